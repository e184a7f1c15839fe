import pytest
from rasa.shared.core.events import ActionExecuted, UserUttered

from components.follow_up_policy import (
    FOLLOW_UP_ANSWER,
    SECOND_ANSWER,
    answered_before,
    next_step,
)


def step(intent="faq", marks=(), latest="action_listen", loop=None, context=True):
    return next_step(intent, marks, latest, loop, lambda: context)


def test_a_marked_follow_up_with_an_earlier_answer_is_answered_in_context():
    assert step(marks={"follow_up"}) == FOLLOW_UP_ANSWER
    assert step(latest=FOLLOW_UP_ANSWER, marks={"follow_up"}) == "action_listen"


def test_without_an_earlier_answer_the_rules_answer():
    assert step(marks={"follow_up"}, context=False) is None


def test_the_second_question_is_answered_after_the_first():
    assert step(latest="action_listen", marks={"more_questions"}) is None
    assert step(latest="utter_faq", marks={"more_questions"}) == SECOND_ANSWER
    assert step(latest=SECOND_ANSWER, marks={"more_questions"}) == "action_listen"


@pytest.mark.parametrize("intent", ["emergency", "human_handoff", "book_appointment"])
def test_an_emergency_hand_over_or_booking_is_left_to_the_rules(intent):
    assert step(intent=intent, marks={"follow_up", "more_questions"}) is None


def test_a_form_in_progress_is_left_to_its_rules():
    assert step(marks={"follow_up"}, loop="booking_form") is None


def test_unmarked_messages_are_left_to_the_rules():
    assert step() is None
    assert step(latest="utter_faq") is None


def test_only_messages_before_the_latest_count_as_context():
    faq = UserUttered("what is cupping", {"name": "faq"})
    latest = UserUttered("does it hurt?", {"name": "faq"})
    listen = ActionExecuted("action_listen")
    assert answered_before([faq, listen, latest])
    assert not answered_before([latest])
    assert not answered_before([UserUttered("hi", {"name": "greet"}), listen, latest])
