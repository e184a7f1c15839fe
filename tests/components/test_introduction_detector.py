from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from components.introduction_detector import IntroductionDetector, introduces_self


def test_introductions_are_recognised():
    for text in [
        "my name is Sam Green",
        "hi, my name's rose king",
        "name's tom brown",
        "我叫王芳",
        "你好，我姓刘",
        "我的名字是李娜",
    ]:
        assert introduces_self(text), text


def test_other_messages_are_not_introductions():
    for text in [
        "what is your name?",
        "i'm hungry",
        "is my name on the booking?",
        "我叫什么名字你知道吗",
        "does tuina hurt",
        "call me back",
    ]:
        assert not introduces_self(text), text


def _classified(text: str, intent: str) -> Message:
    message = Message({TEXT: text})
    message.set(INTENT, {"name": intent, "confidence": 0.6})
    message.set(INTENT_RANKING_KEY, [{"name": intent, "confidence": 0.6}])
    return message


def test_introduction_taken_for_small_talk_becomes_inform():
    message = _classified("my name is Sam Green", "out_of_scope")
    IntroductionDetector().process([message])
    assert message.get(INTENT) == {"name": "inform", "confidence": 1.0}
    assert [r["name"] for r in message.get(INTENT_RANKING_KEY)] == [
        "inform",
        "out_of_scope",
    ]


def test_a_request_in_the_same_message_keeps_its_intent():
    message = _classified("my name is anna and i want tuina", "book_appointment")
    IntroductionDetector().process([message])
    assert message.get(INTENT)["name"] == "book_appointment"
