"""HandoverPolicy's decisions (components/handover_policy.py), without a tracker."""

from __future__ import annotations

import pytest

from components.handover_policy import next_step

LISTEN = "action_listen"
START = "action_start_handover"


def decide(intent, latest=LISTEN, person=False, failed=False, there=True):
    return next_step(intent, latest, lambda: person, lambda: failed, lambda: there)


def test_a_request_for_a_person_starts_a_hand_over_when_someone_is_there():
    assert decide("human_handoff") == START
    assert decide("nlu_fallback", failed=True) == START


def test_nobody_there_leaves_todays_answer_to_the_rules():
    assert decide("human_handoff", there=False) is None
    assert decide("nlu_fallback", failed=True, there=False) is None
    assert decide("nlu_fallback") is None


@pytest.mark.parametrize(
    "intent", ["faq", "greet", "human_handoff", "book_appointment"]
)
def test_the_assistant_is_silent_while_a_person_has_it(intent):
    assert decide(intent, person=True) == LISTEN


def test_a_red_flag_is_answered_even_during_a_hand_over():
    assert decide("emergency", person=True) is None


def test_after_the_start_it_listens():
    assert decide("human_handoff", latest=START) == LISTEN
    assert decide("faq", latest="utter_faq") is None
