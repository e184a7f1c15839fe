"""Consent and "delete my data" through the real servers, relay and fake clinic."""

from __future__ import annotations

import sqlite3
import time

import pytest
import requests

from booking.outbox import Outbox
from tests.e2e.conversation import sender
from tests.e2e.test_booking import Visitor, accepted


def stored_events(assistant, conversation_id: str) -> list:
    """The conversation's rows in the tracker store's database."""
    with sqlite3.connect(assistant.tracker_db) as db:
        return db.execute(
            "SELECT type_name, data FROM events WHERE sender_id = ?", (conversation_id,)
        ).fetchall()


def api_user_texts(assistant, conversation_id: str) -> list:
    """What the HTTP API shows of the visitor's messages in the conversation."""
    response = requests.get(
        f"{assistant.url}/conversations/{conversation_id}/tracker",
        params={"token": assistant.token, "include_events": "ALL"},
        timeout=30,
    )
    response.raise_for_status()
    return [e.get("text") for e in response.json()["events"] if e["event"] == "user"]


def book_until_consent(visitor: Visitor, language: str) -> None:
    if language == "en":
        [asked] = visitor.says(
            "book cupping at downtown on saturday morning",
            "utter_data_consent_booking",
        )
        assert "deletes the request 30 days after" in asked
    else:
        [asked] = visitor.says(
            "我想周六上午在市区诊所拔罐", "utter_data_consent_booking"
        )
        assert "诊所收到后 30 天" in asked
    assert "{" not in asked  # every placeholder filled


# Yes to consent, no note, and yes to the summary, in each language.
SEND_ANSWERS = {"en": ("yes", "no", "yes"), "zh": ("同意", "没有", "确认")}


def book_and_send(visitor: Visitor, language: str, name: str, phone: str) -> None:
    """A whole booking, agreed to and sent to the clinic."""
    agree, no_note, send = SEND_ANSWERS[language]
    book_until_consent(visitor, language)
    visitor.says(agree, "utter_ask_visitor_name")
    visitor.says(name, "utter_ask_phone")
    visitor.says(phone, "utter_ask_note")
    visitor.says(no_note, "utter_booking_summary")
    visitor.says(send, "utter_booking_submitted")


@pytest.mark.parametrize(
    "language, no", [("en", "no"), ("zh", "不同意"), ("en", "/deny")]
)
def test_saying_no_to_sending_the_details_keeps_and_sends_nothing(
    assistant, responses, booking_system, language, no
):
    before = len(booking_system.attempts)
    visitor = Visitor(assistant, responses, language)
    book_until_consent(visitor, language)
    visitor.says(no, "utter_consent_declined")
    assert Outbox(assistant.outbox).of_conversation(visitor.id) == []
    time.sleep(1)
    assert len(booking_system.attempts) == before  # nothing went to the clinic


def test_saying_no_to_the_call_back_consent_keeps_nothing(assistant, responses):
    visitor = Visitor(assistant, responses, "zh")
    visitor.says("转人工", "utter_handoff", "utter_offer_callback")
    visitor.says("好的", "utter_data_consent_callback")
    visitor.says("不同意", "utter_consent_declined")
    assert Outbox(assistant.outbox).of_conversation(visitor.id) == []


def test_delete_my_data_asks_first_and_no_keeps_everything(assistant, responses):
    visitor = Visitor(assistant, responses, "en")
    visitor.says("does tuina hurt?", "utter_faq/does_it_hurt")
    visitor.says("please delete my data", "utter_confirm_delete_data")
    visitor.says("no", "utter_data_kept")
    assert "does tuina hurt?" in api_user_texts(assistant, visitor.id)


def test_delete_my_data_erases_the_conversation_and_the_unsent_request(
    assistant, responses, booking_system
):
    other = sender()
    assistant.say(other, "推拿会疼吗")
    # The clinic's system is down: the request waits in the outbox.
    booking_system.fail_for(12)
    visitor = Visitor(assistant, responses, "zh")
    book_and_send(visitor, "zh", "我叫李娜", "13712345603")
    [waiting] = Outbox(assistant.outbox).of_conversation(visitor.id)
    assert waiting.status == "pending"

    visitor.says("删除我的信息", "utter_confirm_delete_data")
    visitor.says("确认删除", "utter_data_deleted")

    assert stored_events(assistant, visitor.id) == []
    assert api_user_texts(assistant, visitor.id) == []
    assert Outbox(assistant.outbox).of_conversation(visitor.id) == []
    assert stored_events(assistant, other)  # another visitor is untouched
    # Never sent, even once the clinic's system is back.
    time.sleep(14)
    assert accepted(booking_system, "+8613712345603", wait=0) == []

    # Gone for good: a restarted server has nothing either.
    assistant.stop_rasa()
    assistant.start_rasa()
    assert api_user_texts(assistant, visitor.id) == []
    assert stored_events(assistant, visitor.id) == [] or all(
        kind != "user" for kind, _ in stored_events(assistant, visitor.id)
    )
    assert "推拿会疼吗" in api_user_texts(assistant, other)


def test_deleting_after_the_clinic_received_the_request_says_to_call_them(
    assistant, responses, booking_system
):
    visitor = Visitor(assistant, responses, "en")
    book_and_send(visitor, "en", "Lee Min", "13712345604")
    assert accepted(booking_system, "+8613712345604")
    deadline = time.monotonic() + 10
    while Outbox(assistant.outbox).of_conversation(visitor.id)[0].status != "delivered":
        assert time.monotonic() < deadline
        time.sleep(0.1)

    visitor.says("forget me", "utter_confirm_delete_data")
    [reply] = visitor.says("yes", "utter_data_deleted_some_sent")
    assert "1 request" in reply and "6345 5101" in reply
    assert stored_events(assistant, visitor.id) == []
    assert Outbox(assistant.outbox).of_conversation(visitor.id) == []


def test_no_name_or_phone_of_these_conversations_reaches_the_logs(assistant):
    # Runs after the conversations above: consent, deletion and their log lines.
    logs = "".join(
        path.read_text(errors="replace")
        for path in assistant.outbox.parent.glob("*.log")
    )
    assert "deleted at their request" in logs  # the action did log the deletion
    for secret in ["13712345603", "13712345604", "李娜", "Lee Min"]:
        assert secret not in logs
