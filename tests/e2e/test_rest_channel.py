"""Visitors talking to the real assistant through the REST channel."""

from __future__ import annotations

import sqlite3

import requests

from components.language import detect_language
from tests.e2e.conversation import sender, text_of


def test_english_question_gets_the_english_answer(assistant, responses):
    replies = assistant.say(sender(), "is tuina going to hurt me?")
    assert replies[0]["text"] == text_of(responses["utter_faq/does_it_hurt"], "en")
    assert [b["title"] for b in replies[0]["buttons"]]


def test_chinese_question_gets_the_chinese_answer(assistant, responses):
    replies = assistant.say(sender(), "你们的诊所在哪里")
    assert replies[0]["text"] == text_of(responses["utter_faq/locations"], "zh")


def test_code_switched_question_is_answered_in_chinese(assistant, responses):
    replies = assistant.say(sender(), "推拿 hurt吗")
    assert replies[0]["text"] == text_of(responses["utter_faq/does_it_hurt"], "zh")


def test_toneless_pinyin_is_answered_in_chinese(assistant, responses):
    replies = assistant.say(sender(), "tuina teng bu teng")
    assert replies[0]["text"] == text_of(responses["utter_faq/does_it_hurt"], "zh")


def test_reply_follows_the_language_of_the_latest_message(assistant):
    visitor = sender()
    languages = [
        detect_language(assistant.say(visitor, message)[0]["text"])
        for message in ["what is cupping", "拔罐是什么", "and acupuncture?"]
    ]
    assert languages == ["en", "zh", "en"]


def test_visitor_can_ask_for_chinese_in_english(assistant, responses):
    replies = assistant.say(sender(), "can you speak chinese")
    assert replies[0]["text"] == text_of(responses["utter_language_switched"], "zh")


def test_a_button_click_keeps_the_conversation_language(assistant, responses):
    visitor = sender()
    assistant.say(visitor, "针灸是什么")
    replies = assistant.say(visitor, '/book_appointment{"service": "acupuncture"}')
    # The service came with the button: the booking form asks for the clinic next.
    assert replies[0]["text"] == text_of(responses["utter_ask_clinic"], "zh")


def test_emergency_gets_only_the_call_120_instruction(assistant, responses):
    replies = assistant.say(
        sender(), "my father has crushing chest pain and can't breathe"
    )
    assert [r["text"] for r in replies] == [text_of(responses["utter_emergency"], "en")]
    assert "buttons" not in replies[0]


def test_gibberish_is_declined_with_topic_buttons(assistant, responses):
    declines = {
        text_of(responses[name], "en")
        for name in ("utter_nlu_fallback", "utter_out_of_scope")
    }
    replies = assistant.say(sender(), "qwzx blorp vvv")
    assert replies[0]["text"] in declines
    assert len(replies[0]["buttons"]) >= 3


def test_fallback_offers_the_topics_as_buttons(assistant, responses):
    replies = assistant.say(sender(), "/nlu_fallback")
    assert replies[0]["text"] == text_of(responses["utter_nlu_fallback"], "en")
    payloads = [button["payload"] for button in replies[0]["buttons"]]
    assert "What is tuina?" in payloads and len(payloads) >= 4


def test_channel_language_hint_is_used_before_the_visitor_writes_words(assistant):
    # The language detector takes metadata.language for a message without words.
    replies = assistant.say(sender(), "👍", metadata={"language": "zh-CN"})
    assert detect_language(replies[0]["text"]) == "zh"


def test_http_api_needs_the_token(assistant):
    assert requests.get(f"{assistant.url}/status", timeout=10).status_code == 401
    parse = requests.post(
        f"{assistant.url}/model/parse", json={"text": "hi"}, timeout=10
    )
    assert parse.status_code == 401
    authorised = requests.get(
        f"{assistant.url}/status", params={"token": assistant.token}, timeout=10
    )
    assert authorised.status_code == 200


def test_conversation_is_stored_in_the_sqlite_tracker_store(assistant):
    visitor = sender()
    assistant.say(visitor, "where are your clinics")
    with sqlite3.connect(assistant.tracker_db) as db:
        stored = db.execute(
            "SELECT type_name FROM events WHERE sender_id = ? ORDER BY id", (visitor,)
        ).fetchall()
    kinds = [kind for (kind,) in stored]
    assert "user" in kinds and "bot" in kinds


def test_booking_button_under_an_answer_carries_the_service(assistant):
    replies = assistant.say(sender(), "what is acupuncture")
    payloads = [button["payload"] for button in replies[0]["buttons"]]
    assert '/book_appointment{"service": "acupuncture"}' in payloads


def test_a_retried_message_id_gets_the_same_replies_and_is_stored_once(assistant):
    visitor, url = sender(), f"{assistant.url}/webhooks/rest/webhook"
    body = {"sender": visitor, "message": "does tuina hurt", "message_id": "m-1"}
    first = requests.post(url, json=body, timeout=30)
    again = requests.post(url, json=body, timeout=30)
    assert first.status_code == again.status_code == 200
    assert again.json() == first.json() and first.json()
    with sqlite3.connect(assistant.tracker_db) as db:
        stored = db.execute(
            "SELECT count(*) FROM events WHERE sender_id = ? AND type_name = 'user'",
            (visitor,),
        ).fetchone()[0]
    assert stored == 1
    other = requests.post(url, json={**body, "message_id": "m-2"}, timeout=30)
    assert other.status_code == 200
