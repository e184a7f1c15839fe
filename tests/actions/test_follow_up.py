"""Follow-ups and second questions: the answer for the conversation's topic."""

from __future__ import annotations

from typing import Any, Dict, List

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.follow_up import (
    ANSWERS,
    TOPICS,
    ActionAnswerFollowUp,
    ActionAnswerSecondQuestion,
    answer_for,
    describe,
    previous_topic,
)


def user(text: str, key: str | None = None, **marks: Any) -> Dict[str, Any]:
    selector: Dict[str, Any] = dict(marks)
    if key:
        selector["faq"] = {"response": {"intent_response_key": key}}
    intent = "faq" if key else "greet"
    return {
        "event": "user",
        "text": text,
        "parse_data": {
            "text": text,
            "intent": {"name": intent},
            "response_selector": selector,
        },
    }


def tracker(events: List[Dict[str, Any]], language: str = "en") -> Tracker:
    latest = events[-1]["parse_data"]
    return Tracker(
        "visitor", {"language": language}, latest, events, False, None, {}, ""
    )


async def run(action, events, language="en"):
    dispatcher = CollectingDispatcher()
    result = await action.run(dispatcher, tracker(events, language), {})
    return dispatcher.messages, result


def test_every_answer_in_the_table_is_a_known_faq_answer():
    assert set(ANSWERS.values()) <= set(TOPICS)


def test_another_therapy_keeps_the_aspect():
    assert answer_for(("tuina", "hurt"), "acupuncture", None) == (
        ("acupuncture", "hurt"),
        None,
    )
    assert answer_for(("tuina", "what"), "cupping", None)[1] == "faq/cupping"


def test_an_aspect_keeps_the_therapy():
    assert answer_for(("tuina", "hurt"), None, "children")[1] == "faq/tuina_children"


def test_the_open_question_is_said_in_the_visitors_language():
    assert describe(("cupping", "hurt"), "en") == "whether cupping hurts"
    assert describe(("acupuncture", "hurt"), "zh") == "针灸会不会疼"


def test_the_topic_is_the_latest_answer_or_follow_up_before_this_message():
    events = [
        user("what is cupping", "faq/cupping"),
        user("what about acupuncture", "faq/acupuncture"),
        {"event": "slot", "name": "topic", "value": "acupuncture|what"},
        user("and for kids?", "faq/tuina_children"),
    ]
    assert previous_topic(events) == ("acupuncture", "what")
    assert previous_topic(events[:2]) == ("cupping", "what")


async def test_a_follow_up_the_articles_cover_gets_that_answer():
    events = [
        user("does tuina hurt?", "faq/does_it_hurt"),
        user(
            "and for children?", "faq/tuina_children", follow_up={"aspect": "children"}
        ),
    ]
    messages, result = await run(ActionAnswerFollowUp(), events)
    assert [m["response"] for m in messages] == ["utter_faq/tuina_children"]
    assert result == [SlotSet("topic", "tuina|children")]


async def test_a_follow_up_the_articles_are_silent_on_says_so():
    events = [
        user("推拿疼吗", "faq/does_it_hurt"),
        user("那针灸呢", "faq/acupuncture", follow_up={"service": "acupuncture"}),
    ]
    messages, _ = await run(ActionAnswerFollowUp(), events, "zh")
    assert messages[0]["response"] == "utter_follow_up_not_in_articles"
    assert messages[0]["topic"] == "针灸会不会疼"


async def test_the_second_question_and_a_third_left_for_later():
    more = {"second": "faq/prices", "left": 1}
    events = [user("where? hurt? price?", "faq/locations", more_questions=more)]
    messages, result = await run(ActionAnswerSecondQuestion(), events)
    assert [m["response"] for m in messages] == [
        "utter_faq/prices",
        "utter_one_more_question",
    ]
    assert result == [SlotSet("topic", "|")]
