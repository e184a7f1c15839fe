import pytest
from rasa.shared.nlu.training_data.message import Message

from components.cancel_detector import CancelDetector, says_cancel


@pytest.mark.parametrize(
    "text",
    [
        "never mind",
        "cancel the booking",
        "i no longer want an appointment",
        "don't go ahead with the booking",
        "call the whole thing off",
        "取消",
        "算了吧 不约了",
        "别帮我约了",
        "预约不用了",
    ],
)
def test_cancellations_are_recognised(text):
    assert says_cancel(text)


@pytest.mark.parametrize(
    "text",
    [
        "can i cancel an appointment later?",
        "取消预约要收费吗",
        "i want to book an appointment",
        "book tuina tomorrow",
        "我想预约推拿",
        "does tuina hurt",
    ],
)
def test_questions_and_requests_are_not_cancellations(text):
    assert not says_cancel(text)


def process(text: str, intent: str) -> str:
    message = Message({"text": text, "intent": {"name": intent, "confidence": 0.9}})
    CancelDetector().process([message])
    return message.get("intent")["name"]


def test_a_cancellation_taken_for_a_booking_request_becomes_cancel():
    assert process("i no longer want an appointment", "book_appointment") == "cancel"
    assert process("算了 不约了", "nlu_fallback") == "cancel"


def test_faq_questions_and_off_topic_messages_are_left_alone():
    assert process("can i cancel my appointment?", "faq") == "faq"
    assert process("滴滴司机一直取消订单", "out_of_scope") == "out_of_scope"
