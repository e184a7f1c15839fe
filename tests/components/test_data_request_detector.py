import pytest
from rasa.shared.nlu.training_data.message import Message

from components.data_request_detector import DataRequestDetector, asks_to_delete_data


@pytest.mark.parametrize(
    "text",
    [
        "delete my data",
        "Please delete all my personal information",
        "forget me",
        "erase this conversation",
        "can you remove my details from your system?",
        "i want my data deleted",
        "right to be forgotten",
        "I withdraw my consent",
        "don't keep my phone number",
        "删除我的信息",
        "请把我的资料删掉",
        "忘记我",
        "清除聊天记录",
        "帮我把电话号码和名字删除",
        "不要保存我的信息",
        "刪除我的資料",
        "可以删除我的数据吗",
    ],
)
def test_deletion_requests_are_recognised(text):
    assert asks_to_delete_data(text)


@pytest.mark.parametrize(
    "text",
    [
        "forget it",
        "never mind, cancel the booking",
        "do you delete my data after a while?",
        "how long do you keep my data?",
        "会删除我的信息吗",
        "多久删除聊天记录",
        "remove the pain in my back",
        "can massage remove toxins?",
        "我的电话是13812345678",
        "取消预约",
    ],
)
def test_other_messages_are_not_deletion_requests(text):
    assert not asks_to_delete_data(text)


@pytest.mark.parametrize(
    "predicted, replaced",
    [("cancel", True), ("faq", True), ("nlu_fallback", True), ("emergency", False)],
)
def test_the_request_wins_over_every_intent_but_an_emergency(predicted, replaced):
    message = Message({"text": "please forget me", "intent": {"name": predicted}})
    DataRequestDetector().process([message])
    assert (message.get("intent")["name"] == "delete_my_data") is replaced
