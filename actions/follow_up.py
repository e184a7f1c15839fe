"""Answers that need the conversation: a follow-up, the second of two questions.

A FAQ answer is about a therapy and an aspect of it (`TOPICS`): "does tuina hurt" is
(tuina, hurt). A follow-up changes one of the two: "那针灸呢" keeps the aspect and
changes the therapy, "and for children?" keeps the therapy. The answer is the FAQ
answer for the new pair where the clinic's articles give one (`ANSWERS`); where they
don't, the assistant says so and gives reception's numbers rather than answering a
neighbouring question. The pair answered last is kept in the `topic` slot.
"""

from __future__ import annotations

from typing import Any, Dict, List, Text, Tuple

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.booking import language_of

TOPIC_SLOT = "topic"
# What the NLU pipeline adds to a parse result, under its `response_selector`
# (components/follow_up.py says why there).
FOLLOW_UP = "follow_up"
MORE_QUESTIONS = "more_questions"
NOT_IN_ARTICLES = "utter_follow_up_not_in_articles"
ONE_MORE_QUESTION = "utter_one_more_question"

# (therapy, aspect) of each FAQ answer; None where the answer is about neither.
TOPICS: Dict[str, Tuple[str | None, str | None]] = {
    "faq/tuina_what": ("tuina", "what"),
    "faq/tuina_what_to_expect": ("tuina", "expect"),
    "faq/does_it_hurt": ("tuina", "hurt"),
    "faq/tuina_children": ("tuina", "children"),
    "faq/medical_massage_what": ("medical_massage", "what"),
    "faq/medical_massage_conditions": ("medical_massage", "benefits"),
    "faq/medical_massage_techniques": ("medical_massage", "expect"),
    "faq/medical_vs_spa": ("medical_massage", None),
    "faq/soreness_after_spa": ("medical_massage", "hurt"),
    "faq/acupuncture": ("acupuncture", "what"),
    "faq/cupping": ("cupping", "what"),
    "faq/herbal_medicine": ("herbal_medicine", "what"),
    "faq/acupressure_what": ("acupressure", "what"),
    "faq/acupressure_benefits": ("acupressure", "benefits"),
    "faq/acupressure_vs_massage": ("acupressure", None),
    "faq/contraindications": ("medical_massage", "contraindications"),
    "faq/therapy_frequency": ("pain_therapy", "frequency"),
    "faq/pain_therapy_benefits": ("pain_therapy", "benefits"),
    "faq/combined_therapies": ("tuina", None),
}
# The FAQ answer that covers an aspect of a therapy, as the articles do. A pair that
# is missing is one the articles are silent on. The acupuncture, cupping and herbal
# answers each describe the therapy and what it does for back pain.
ANSWERS: Dict[Tuple[str, str], str] = {
    ("tuina", "what"): "faq/tuina_what",
    ("tuina", "expect"): "faq/tuina_what_to_expect",
    ("tuina", "hurt"): "faq/does_it_hurt",
    ("tuina", "children"): "faq/tuina_children",
    ("tuina", "frequency"): "faq/therapy_frequency",
    ("tuina", "contraindications"): "faq/contraindications",
    ("medical_massage", "what"): "faq/medical_massage_what",
    ("medical_massage", "benefits"): "faq/medical_massage_conditions",
    ("medical_massage", "expect"): "faq/tuina_what_to_expect",
    ("medical_massage", "hurt"): "faq/does_it_hurt",
    ("medical_massage", "frequency"): "faq/therapy_frequency",
    ("medical_massage", "contraindications"): "faq/contraindications",
    ("acupuncture", "what"): "faq/acupuncture",
    ("acupuncture", "benefits"): "faq/acupuncture",
    ("cupping", "what"): "faq/cupping",
    ("cupping", "benefits"): "faq/cupping",
    ("herbal_medicine", "what"): "faq/herbal_medicine",
    ("herbal_medicine", "benefits"): "faq/herbal_medicine",
    ("acupressure", "what"): "faq/acupressure_what",
    ("acupressure", "benefits"): "faq/acupressure_benefits",
    ("acupressure", "contraindications"): "faq/contraindications",
    ("pain_therapy", "benefits"): "faq/pain_therapy_benefits",
    ("pain_therapy", "frequency"): "faq/therapy_frequency",
}
THERAPY_NAMES = {
    "tuina": ("tuina", "推拿"),
    "medical_massage": ("medical massage", "医疗按摩"),
    "acupuncture": ("acupuncture", "针灸"),
    "cupping": ("cupping", "拔罐"),
    "herbal_medicine": ("Chinese herbal medicine", "中药"),
    "acupressure": ("acupressure", "穴位按摩"),
    "pain_therapy": ("pain therapy", "疼痛治疗"),
}
# The question the articles leave open: "Our articles don't say {...}" and
# "我们的文章没有提到{...}".
QUESTIONS = {
    "what": ("what {} is", "{}是什么"),
    "expect": ("what happens during a {} session", "{}的治疗过程"),
    "hurt": ("whether {} hurts", "{}会不会疼"),
    "children": ("whether {} is suitable for children", "{}是否适合儿童"),
    "frequency": ("how often to have {}", "{}多久做一次"),
    "contraindications": ("who should not have {}", "哪些人不适合{}"),
    "benefits": ("what {} helps with", "{}有什么作用"),
}


def answer_for(
    previous: Tuple[str | None, str | None], service: str | None, aspect: str | None
) -> Tuple[Tuple[str | None, str | None], str | None]:
    """The (therapy, aspect) a follow-up asks about, and its FAQ answer if any."""
    therapy = service or previous[0]
    asked = aspect or previous[1] or "what"
    return (therapy, asked), ANSWERS.get((therapy, asked)) if therapy else None


def describe(topic: Tuple[str, str], language: str) -> str:
    """The question the articles leave open, in the visitor's language."""
    therapy, aspect = topic
    index = 1 if language == "zh" else 0
    return QUESTIONS[aspect][index].format(THERAPY_NAMES[therapy][index])


def encode_topic(topic: Tuple[str | None, str | None]) -> str:
    """The `topic` slot's value: "therapy|aspect"."""
    return f"{topic[0] or ''}|{topic[1] or ''}"


def decode_topic(value: str) -> Tuple[str | None, str | None]:
    """The (therapy, aspect) stored in the `topic` slot."""
    therapy, _, aspect = value.partition("|")
    return therapy or None, aspect or None


def answered_key(parse_data: Dict[str, Any]) -> str | None:
    """The FAQ answer a parsed message got, if it got one."""
    intent = (parse_data.get("intent") or {}).get("name")
    selected = (parse_data.get("response_selector") or {}).get(intent) or {}
    return (selected.get("response") or {}).get("intent_response_key")


def marked(parse_data: Dict[str, Any], key: str) -> Dict[str, Any]:
    """What the NLU pipeline added to a parse result under `key` ({} if nothing)."""
    return (parse_data.get("response_selector") or {}).get(key) or {}


def previous_topic(events: List[Dict[str, Any]]) -> Tuple[str | None, str | None]:
    """The (therapy, aspect) last answered before the latest message."""
    user_messages = 0
    for event in reversed(events):
        if event.get("event") == "user":
            user_messages += 1
            if user_messages == 1:
                continue
            key = answered_key(event.get("parse_data") or {})
            if key in TOPICS:
                return TOPICS[key]
        elif (
            event.get("event") == "slot"
            and event.get("name") == TOPIC_SLOT
            and user_messages >= 1
            and event.get("value")
        ):
            return decode_topic(event["value"])
    return None, None


class ActionAnswerFollowUp(Action):
    """Answers "那针灸呢" / "and for children?" about the conversation's topic."""

    def name(self) -> Text:
        """The action's name."""
        return "action_answer_follow_up"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        """Says the answer for the new pair, or that the articles don't say."""
        message = tracker.latest_message or {}
        asked = marked(message, FOLLOW_UP)
        topic, key = answer_for(
            previous_topic(tracker.events), asked.get("service"), asked.get("aspect")
        )
        if key is None and topic[0] is None:
            # Nothing to follow: answer the message as it stands.
            key = answered_key(message)
            topic = TOPICS.get(key or "", (None, None))
        if key is not None:
            dispatcher.utter_message(response=f"utter_{key}")
        else:
            dispatcher.utter_message(
                response=NOT_IN_ARTICLES, topic=describe(topic, language_of(tracker))
            )
        return [SlotSet(TOPIC_SLOT, encode_topic(topic))]


class ActionAnswerSecondQuestion(Action):
    """Answers the second of two questions asked in one message."""

    def name(self) -> Text:
        """The action's name."""
        return "action_answer_second_question"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        """Says the second answer, and that a third question needs asking again."""
        more = marked(tracker.latest_message or {}, MORE_QUESTIONS)
        key = more.get("second")
        if not key:
            return []
        dispatcher.utter_message(response=f"utter_{key}")
        if more.get("left"):
            dispatcher.utter_message(response=ONE_MORE_QUESTION)
        return [SlotSet(TOPIC_SLOT, encode_topic(TOPICS.get(key, (None, None))))]
