import pytest
from rasa.shared.nlu.training_data.message import Message

from components.handoff_detector import HandoffDetector, asks_for_a_person


@pytest.mark.parametrize(
    "text",
    [
        "can i talk to a real person",
        "let me speak to a human",
        "I want to talk to someone at reception",
        "connect me to a staff member please",
        "转人工",
        "我要找真人",
        "想跟前台说",
        "人工客服在吗",
    ],
)
def test_requests_for_a_person_are_recognised(text):
    assert asks_for_a_person(text)


@pytest.mark.parametrize(
    "text",
    ["are you a real person?", "is this a bot", "你是真人吗", "what is tuina"],
)
def test_questions_about_the_bot_are_not_requests(text):
    assert not asks_for_a_person(text)


@pytest.mark.parametrize(
    "predicted, replaced",
    [("bot_challenge", True), ("faq", False), ("emergency", False)],
)
def test_a_bot_question_prediction_becomes_a_handoff(predicted, replaced):
    message = Message(
        {"text": "can i talk to a real person", "intent": {"name": predicted}}
    )
    HandoffDetector().process([message])
    assert (message.get("intent")["name"] == "human_handoff") is replaced
