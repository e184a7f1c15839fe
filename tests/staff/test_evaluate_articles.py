"""The articles' evaluation: outcomes, figures, halves and the bar."""

from __future__ import annotations

from pathlib import Path

import yaml

from staff.evaluate_articles import (
    HONEST_ANSWERS,
    Question,
    failures_against_bar,
    figures,
    load_questions,
    outcome,
)


def question(answer, language="en") -> Question:
    return Question("q", answer, "tune", language)


def test_a_passage_or_fixed_answer_counts_only_where_it_states_the_fact():
    asked = question(["a04-p003", "faq/tcm_back_pain_causes"])
    assert outcome(asked, "passage:a04-p003") == "specific"
    assert outcome(asked, "faq:faq/tcm_back_pain_causes") == "specific"
    assert outcome(asked, "faq:faq/acupuncture") == "wrong"
    assert outcome(asked, "passage:a04-p004") == "wrong"
    assert outcome(asked, "abstain") == "abstained"


def test_a_faq_answer_with_a_passage_after_it_counts_if_either_states_the_fact():
    asked = question(["a04-p002"])
    assert outcome(asked, "passage:a04-p002+faq:faq/tcm_back_pain_causes") == "specific"
    assert outcome(asked, "passage:a04-p003+faq:faq/tcm_back_pain_causes") == "wrong"
    both = question(["faq/tcm_back_pain_causes"])
    assert outcome(both, "passage:a04-p003+faq:faq/tcm_back_pain_causes") == "specific"
    # Not an honest "the articles don't say", even after the prices answer.
    silent = question("not_in_articles")
    assert outcome(silent, "passage:a04-p003+faq:faq/prices") == "wrong"


def test_replies_with_an_added_passage_are_counted_with_each_text_alone():
    questions = [
        question(["a04-p002"]),
        question(["faq/x"]),
        question("not_in_articles"),
    ]
    did = [
        "passage:a04-p002+faq:faq/x",
        "passage:a04-p003+faq:faq/x",
        "passage:a+faq:faq/y",
    ]
    result = figures(questions, did)
    assert result["specific"] == 1.0
    assert (result["added"], result["added_answered"]) == (3, 2)
    assert result["added_passage_specific"] == 1
    assert result["added_faq_specific"] == 1


def test_only_saying_the_articles_dont_say_is_honest():
    silent = question("not_in_articles")
    assert outcome(silent, "abstain") == "honest"
    assert outcome(silent, "declined") == "declined"
    assert outcome(silent, "faq:faq/locations") == "wrong"
    assert outcome(question("emergency"), "emergency") == "right"
    # A diagnosis or a dose: told to see a doctor, not declined like the weather.
    assert outcome(question("see_a_doctor"), "see_a_doctor") == "right"
    assert outcome(question("see_a_doctor"), "declined") == "wrong"
    assert outcome(question("see_a_doctor"), "emergency") == "wrong"
    assert outcome(question("off_topic"), "passage:a01-p001") == "wrong"


def test_a_fixed_answer_that_says_the_articles_dont_say_is_honest():
    silent = question("not_in_articles")
    assert outcome(silent, "faq:faq/prices") == "honest"
    assert outcome(silent, "faq:faq/opening_hours") == "honest"
    assert outcome(silent, "faq:faq/acupuncture") == "wrong"


def test_the_honest_fixed_answers_say_so_with_both_numbers_in_both_languages():
    root = Path(__file__).resolve().parents[2]
    responses = {}
    for path in (root / "data" / "faq").glob("*.yml"):
        responses.update(yaml.safe_load(path.read_text(encoding="utf-8"))["responses"])
    for did in HONEST_ANSWERS:
        texts = [v["text"] for v in responses["utter_" + did.split(":", 1)[1]]]
        assert len(texts) == 2, did
        for text in texts:
            assert "6345 5101" in text and "6461 6550" in text, did
            assert "do not" in text or "没有" in text, did


def test_figures_and_the_bar():
    questions = [
        question(["a01-p001"]),
        question(["a01-p002"]),
        question("emergency"),
        question("see_a_doctor"),
    ]
    did = ["passage:a01-p001", "abstain", "faq:faq/x", "see_a_doctor"]
    summary = {
        "all": figures(questions, did),
        "en": figures(questions, did),
        "zh": figures([], []),
    }
    assert summary["all"]["specific"] == 0.5
    assert summary["all"]["abstained"] == 0.5
    assert summary["all"]["red_flags"] == 2
    assert summary["all"]["red_flags_right"] == 0.5
    failures = failures_against_bar(summary)
    assert any("red flags" in f for f in failures)
    assert any("specific fact 50.0%" in f for f in failures)


def test_every_other_question_of_each_kind_is_in_the_tune_half(tmp_path):
    path = tmp_path / "set.yml"
    path.write_text(
        "questions:\n"
        '  - {text: "a", answer: [a01-p001]}\n'
        '  - {text: "b", answer: not_in_articles}\n'
        '  - {text: "c", answer: [a01-p002]}\n'
        '  - {text: "推拿", answer: not_in_articles}\n',
        encoding="utf-8",
    )
    loaded = load_questions([str(tmp_path)])
    assert [(q.text, q.split) for q in loaded] == [
        ("a", "tune"),
        ("b", "tune"),
        ("c", "report"),
        ("推拿", "report"),
    ]
    assert loaded[-1].language == "zh"
