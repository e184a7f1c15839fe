"""Declining: a diagnosis or a dose goes to a doctor, anything else to the topics."""

from __future__ import annotations

from typing import Any, Dict

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.decline import MEDICAL_ADVICE, OUT_OF_SCOPE, SEE_A_DOCTOR, ActionDecline


def tracker(text: str, marks: Dict[str, Any]) -> Tracker:
    latest = {
        "text": text,
        "intent": {"name": "out_of_scope"},
        "response_selector": marks,
    }
    return Tracker("visitor", {"language": "en"}, latest, [], False, None, {}, "")


async def declined(text: str, marks: Dict[str, Any]):
    dispatcher = CollectingDispatcher()
    events = await ActionDecline().run(dispatcher, tracker(text, marks), {})
    assert events == []
    return [message["response"] for message in dispatcher.messages]


async def test_a_diagnosis_or_a_dose_is_sent_to_a_doctor():
    marks = {MEDICAL_ADVICE: {"asked": True}}
    assert await declined("is it a slipped disc?", marks) == [SEE_A_DOCTOR]


async def test_anything_else_gets_the_topics_the_assistant_answers():
    assert await declined("what's the weather tomorrow", {}) == [OUT_OF_SCOPE]
    assert await declined("tell me a joke", {"article": {"answer": "abstain"}}) == [
        OUT_OF_SCOPE
    ]
