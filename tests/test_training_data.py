"""The training data and answers keep the promises the assistant is built on."""

from __future__ import annotations

import json
import re

import pytest
from rasa.core.nlg.interpolator import interpolate_text
from structlog.testing import capture_logs

from components.language import detect_language
from staff.checks import (
    check_answer_length,
    check_duplicates,
    check_faq_answers,
    load_project,
)
from tests.conftest import (
    FAQ_KEYS,
    LABELS,
    ROOT,
    is_chinese_example,
    read_examples,
)

SERVICES = {
    "tuina", "medical_massage", "acupuncture", "cupping", "herbal_medicine",
    "acupressure", "osteopathy",
}  # fmt: skip
# The clinic's two reception numbers, as the articles give them.
CLINIC_NUMBERS = {"6345 5101", "6461 6550"}
PHONE_NUMBER = re.compile(r"\d{4} \d{4}")
# Figures the articles never give: a price in any currency, or a clock time.
INVENTED_FIGURE = re.compile(
    r"¥|RMB|CNY|\d+\s*元|\d{1,2}[:：]\d{2}|\d\s*(am|pm)\b", re.I
)
# A button that sends an intent: "/book_appointment{"service": "tuina"}", "/affirm".
INTENT_PAYLOAD = re.compile(r"^/(?P<intent>\w+)(?P<entities>\{.*\})?$")
ENTITY_VALUES = {"service": SERVICES, "clinic": {"downtown", "minhang"}}
# Booking prompts show the format expected ("138 1234 5678", "next Monday 3pm"): they
# are examples, not facts about the clinic.
FORMAT_HINTS = re.compile(
    r"^utter_(ask_|invalid_|past_|ambiguous_|booking_summary|callback_summary)"
)


def normalise(text: str) -> str:
    return re.sub(r"[\W_]+", "", text.lower())


def variations(responses, name):
    english = [v for v in responses[name] if "condition" not in v]
    chinese = [
        v
        for v in responses[name]
        if v.get("condition") == [{"type": "slot", "name": "language", "value": "zh"}]
    ]
    return english, chinese


@pytest.mark.parametrize("key", FAQ_KEYS)
def test_every_faq_key_has_one_english_and_one_chinese_answer(responses, key):
    english, chinese = variations(responses, f"utter_faq/{key}")
    assert len(english) == 1 and len(chinese) == 1
    assert detect_language(english[0]["text"]) == "en"
    assert detect_language(chinese[0]["text"]) == "zh"


def test_every_response_exists_in_both_languages(responses):
    for name in responses:
        english, chinese = variations(responses, name)
        assert (len(english), len(chinese)) == (1, 1), name


# The checks `make validate` runs (staff/checks.py), on the real data.
@pytest.mark.parametrize(
    "check", [check_answer_length, check_faq_answers, check_duplicates]
)
def test_make_validate_data_check_finds_no_error(check):
    problems = [str(p) for p in check(load_project()) if p.level == "error"]
    assert problems == []


def test_answers_give_only_the_clinics_own_phone_numbers(responses):
    for name, answers in responses.items():
        if FORMAT_HINTS.match(name):
            continue
        for answer in answers:
            numbers = set(PHONE_NUMBER.findall(answer["text"]))
            assert numbers <= CLINIC_NUMBERS, f"{name}: {numbers - CLINIC_NUMBERS}"


def test_answers_invent_no_prices_or_opening_times(responses):
    for name, answers in responses.items():
        if FORMAT_HINTS.match(name):
            continue
        for answer in answers:
            assert not INVENTED_FIGURE.search(answer["text"]), name


@pytest.mark.parametrize("key", ["prices", "opening_hours", "insurance"])
def test_questions_the_articles_do_not_answer_get_the_phone_numbers(responses, key):
    for answer in responses[f"utter_faq/{key}"]:
        assert set(PHONE_NUMBER.findall(answer["text"])) == CLINIC_NUMBERS


def english_and_chinese(examples):
    chinese = sum(map(is_chinese_example, examples))
    return len(examples) - chinese, chinese


@pytest.mark.parametrize("label", LABELS)
def test_enough_training_examples_in_each_language(training_examples, label):
    english, chinese = english_and_chinese(training_examples[label])
    assert (english >= 20, chinese >= 12) == (True, True), (english, chinese)


@pytest.mark.parametrize("label", LABELS)
def test_enough_heldout_examples_in_each_language(heldout_examples, label):
    english, chinese = english_and_chinese(heldout_examples[label])
    assert (english >= 5, chinese >= 5) == (True, True), (english, chinese)


@pytest.mark.parametrize("held_out", ["heldout", "heldout_hard"])
def test_no_heldout_example_is_trained_on(training_examples, held_out):
    trained = {
        normalise(e) for examples in training_examples.values() for e in examples
    }
    examples = read_examples(sorted((ROOT / "tests" / held_out).glob("*.yml")))
    leaked = [e for es in examples.values() for e in es if normalise(e) in trained]
    assert examples and leaked == []


def rendered(payload: str) -> str:
    """The payload as Rasa sends it: slot placeholders filled, escaped braces undone."""
    with capture_logs() as logs:
        text = interpolate_text(payload, {})
    assert logs == [], (
        f"Rasa cannot render {payload!r}: write entity braces as {{{{ }}}}"
    )
    return text


def test_buttons_send_a_known_intent_and_value_or_ask_a_trained_question(
    responses, training_examples
):
    label_of = {
        normalise(example): label
        for label, examples in training_examples.items()
        for example in examples
    }
    for name, answers in responses.items():
        for answer in answers:
            for button in answer.get("buttons", []):
                payload = rendered(button["payload"])
                if payload.startswith("/"):
                    match = INTENT_PAYLOAD.match(payload)
                    assert match, f"{name}: {payload}"
                    assert match.group("intent") in LABELS, f"{name}: {payload}"
                    entities = json.loads(match.group("entities") or "{}")
                    for entity, value in entities.items():
                        assert value in ENTITY_VALUES[entity], f"{name}: {payload}"
                else:
                    assert normalise(payload) in label_of, f"{name}: {payload!r}"
                    expected = "zh" if "condition" in answer else "en"
                    assert detect_language(payload) == expected, f"{name}: {payload!r}"
