import pytest
from rasa.shared.nlu.training_data.message import Message

from components.off_topic_detector import OffTopicDetector, asks_off_topic


@pytest.mark.parametrize(
    "text",
    [
        "how do I become a certified tuina therapist?",
        "where can i buy acupuncture needles",
        "acupuncture for my dog",
        "is there a vet who does acupuncture for cats",
        "can you recommend a good TCM hospital in Hangzhou",
        "I need help with my essay on the history of TCM",
        "any massage course you recommend?",
        "tuina licence exam",
        "which massage chair should I buy",
        "are you hiring therapists",
        "推拿培训班怎么报名",
        "想学推拿 去哪里学",
        "考针灸证书难吗",
        "在哪里买拔罐器",
        "我家狗能做针灸吗",
        "杭州哪家中医院好",
        "写论文 关于中医的历史",
        "你们招聘推拿师吗",
        "推荐一款按摩椅",
    ],
)
def test_requests_the_clinic_does_not_serve_are_recognised(text):
    assert asks_off_topic(text)


@pytest.mark.parametrize(
    "text",
    [
        "is your therapist certified?",
        "how can i vet a massage therapist before going",  # vet: to check
        "do your tuina therapists have proper training and certification?",
        "how many sessions is a course of tuina?",
        "I want to learn more about tuina",
        "my job gives me back pain, can tuina help",
        "do you have a clinic in Beijing?",  # the clinic's own locations answer
        "北京有你们的诊所吗",
        "推拿完能上班吗",
        "医学上推拿有用吗",
        "你们的推拿师有证书吗",
        "does acupuncture hurt",
        "推拿用精油吗",
        "疗程多长",
    ],
)
def test_the_clinics_own_questions_are_left_alone(text):
    assert not asks_off_topic(text)


@pytest.mark.parametrize(
    "predicted, replaced",
    [("faq", True), ("book_appointment", True), ("emergency", False), ("greet", False)],
)
def test_only_a_clinic_answer_or_a_booking_is_replaced(predicted, replaced):
    message = Message(
        {"text": "where can i buy cupping sets", "intent": {"name": predicted}}
    )
    OffTopicDetector().process([message])
    assert (message.get("intent")["name"] == "out_of_scope") is replaced
