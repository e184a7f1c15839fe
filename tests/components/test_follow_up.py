import pytest
from rasa.shared.nlu.training_data.message import Message

from components.follow_up import FOLLOW_UP, FollowUpDetector, follow_up, read_mark


@pytest.mark.parametrize(
    "text, service",
    [
        ("那针灸呢", "acupuncture"),
        ("拔罐呢？", "cupping"),
        ("what about acupuncture?", "acupuncture"),
        ("and cupping?", "cupping"),
        ("how about herbs", "herbal_medicine"),
        ("那穴位按摩呢", "acupressure"),
        ("medical massage too?", "medical_massage"),
    ],
)
def test_a_therapy_alone_follows_the_question(text, service):
    assert follow_up(text) == (service, None)


@pytest.mark.parametrize(
    "text, aspect",
    [
        ("and for children?", "children"),
        ("小孩可以做吗", "children"),
        ("how often?", "frequency"),
        ("多久做一次", "frequency"),
        ("会疼吗", "hurt"),
        ("does it hurt?", "hurt"),
        ("孕妇可以吗", "contraindications"),
        ("有什么好处", "benefits"),
    ],
)
def test_an_aspect_alone_follows_the_therapy(text, aspect):
    assert follow_up(text) == (None, aspect)


@pytest.mark.parametrize(
    "text",
    [
        "does tuina hurt?",  # a whole question
        "推拿是什么",
        "can I book acupuncture on saturday",
        "acupuncture for my dog?",
        "where are your clinics",
        "what about the price?",
        "hello",
        "I have had lower back pain for three years and tried physiotherapy, "
        "would tuina or acupuncture be better for children like mine",
    ],
)
def test_a_question_that_stands_alone_is_not_marked(text):
    assert follow_up(text) == (None, None)


def test_the_detector_marks_the_parse_result_and_leaves_the_intent():
    message = Message({"text": "那针灸呢", "intent": {"name": "faq"}})
    FollowUpDetector().process([message])
    assert read_mark(message.data, FOLLOW_UP) == {
        "service": "acupuncture",
        "aspect": None,
    }
    assert message.get("intent") == {"name": "faq"}
