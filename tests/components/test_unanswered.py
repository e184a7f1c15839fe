"""Questions of the kind the articles leave open: the file and the regression."""

from __future__ import annotations

import numpy as np
import pytest

from components.unanswered import Unanswered, answered_texts, load_unanswered


def unit(rows: np.ndarray) -> np.ndarray:
    return (rows / np.linalg.norm(rows, axis=1, keepdims=True)).astype(np.float32)


def clusters(seed: int = 0):
    """Two groups of 512-d vectors around different directions, like two kinds."""
    rng = np.random.default_rng(seed)
    centre_open, centre_answered = rng.normal(size=512), rng.normal(size=512)
    left_open = unit(centre_open + 0.8 * rng.normal(size=(40, 512)))
    answered = unit(centre_answered + 0.8 * rng.normal(size=(400, 512)))
    return centre_open, centre_answered, left_open, answered


def test_a_question_like_the_open_ones_scores_high_and_an_answered_one_low():
    centre_open, centre_answered, left_open, answered = clusters()
    regression = Unanswered.fit(left_open, answered)
    assert regression is not None
    near_open = unit(
        (centre_open + 0.8 * np.random.default_rng(1).normal(size=512))[None]
    )
    near_answered = unit(
        (centre_answered + 0.8 * np.random.default_rng(2).normal(size=512))[None]
    )
    assert regression.probability(near_open[0]) > 0.9
    assert regression.probability(near_answered[0]) < 0.1


def test_the_regression_is_stored_and_read_back_the_same():
    _, _, left_open, answered = clusters()
    regression = Unanswered.fit(left_open, answered)
    again = Unanswered.from_json(regression.to_json())
    assert again.bias == pytest.approx(regression.bias)
    assert again.probability(left_open[0]) == pytest.approx(
        regression.probability(left_open[0]), abs=1e-6
    )
    # A model trained before the file existed has none.
    assert Unanswered.from_json(None) is None


def test_no_open_questions_no_regression():
    _, _, _, answered = clusters()
    assert Unanswered.fit(np.zeros((0, 512), np.float32), answered) is None


def test_the_file_by_language_and_its_absence(tmp_path):
    path = tmp_path / "unanswered.yml"
    assert load_unanswered(path) == {"en": [], "zh": []}
    path.write_text(
        "questions:\n  en:\n    - is there parking?\n  zh:\n    - 有停车位吗\n",
        encoding="utf-8",
    )
    assert load_unanswered(path) == {"en": ["is there parking?"], "zh": ["有停车位吗"]}
    path.write_text("questions:\n  - is there parking?\n", encoding="utf-8")
    with pytest.raises(ValueError, match="'en:' and 'zh:'"):
        load_unanswered(path)


def test_the_other_side_is_every_faq_example_and_passage_question():
    examples = {"faq/locations": {"en": ["where are you"], "zh": ["你们在哪"]}}
    assert answered_texts(examples, ["What is tuina?"]) == [
        "where are you",
        "你们在哪",
        "What is tuina?",
    ]


def test_the_real_file_has_questions_in_both_languages():
    from pathlib import Path

    questions = load_unanswered(Path(__file__).parents[2] / "knowledge/unanswered.yml")
    assert len(questions["en"]) >= 40 and len(questions["zh"]) >= 40
