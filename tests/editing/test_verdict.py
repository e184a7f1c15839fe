"""editing/verdict.py: the bar, per-topic moves and changed answers."""

from __future__ import annotations

from typing import Dict, List, Tuple

from editing.verdict import judge


def _summary(predictions: List[Tuple[str, str, str]]) -> Dict:
    from staff.evaluate import Prediction, summarise

    return summarise(
        [
            Prediction(text, label, got, 0.9, "en", 0.9)
            for text, label, got in predictions
        ]
    )


# Every summary has an off-topic message (the bar's off-topic recall needs one).
JOKE = ("tell me a joke", "out_of_scope", "out_of_scope")
LIVE = [JOKE, ("a", "faq/x", "faq/x"), ("b", "faq/x", "faq/y"), ("c", "faq/y", "faq/y")]


def test_a_candidate_fixing_a_message_passes_and_shows_what_moved() -> None:
    candidate = [
        JOKE,
        ("a", "faq/x", "faq/x"),
        ("b", "faq/x", "faq/x"),
        ("c", "faq/y", "faq/y"),
    ]
    verdict = judge(_summary(candidate), _summary(LIVE))
    assert verdict.passes
    assert [t.label for t in verdict.better] == ["faq/x"] and not verdict.worse
    assert [(c.text, c.live, c.candidate, c.better) for c in verdict.changed] == [
        ("b", "faq/y", "faq/x", True)
    ]


def test_a_worse_candidate_is_below_the_bar() -> None:
    candidate = [
        JOKE,
        ("a", "faq/x", "faq/y"),
        ("b", "faq/x", "faq/y"),
        ("c", "faq/y", "faq/y"),
    ]
    verdict = judge(_summary(candidate), _summary(LIVE))
    assert not verdict.passes
    assert any("overall accuracy" in f for f in verdict.failures)
    assert [t.label for t in verdict.worse] == ["faq/x"]


def test_without_a_live_evaluation_only_the_bar_counts() -> None:
    verdict = judge(_summary(LIVE), None)
    assert verdict.live_overall is None and not verdict.changed
