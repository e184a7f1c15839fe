"""The WeChat channel over HTTP, mounted in real Rasa servers with the trained model."""

from __future__ import annotations

import re
import sqlite3
import time
from concurrent.futures import ThreadPoolExecutor
from typing import List

import requests

from channels.wechat_text import MAX_TEXT_BYTES
from privacy.notice import notice_facts, wechat_notice_line
from tests.wechat.client import WeChat, encrypt, message_xml, sign
from tests.wechat.conftest import AES_KEY, APP_ID, TOKEN, open_id, webhook

HAN = re.compile(r"[\u4e00-\u9fff]")
BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">]>
<xml><ToUserName>gh</ToUserName><FromUserName>{user}</FromUserName>
<CreateTime>1</CreateTime><MsgType>text</MsgType><Content>&lol4;</Content>
<MsgId>{msg_id}</MsgId></xml>"""
EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE xml [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<xml><ToUserName>gh</ToUserName><FromUserName>{user}</FromUserName>
<CreateTime>1</CreateTime><MsgType>text</MsgType><Content>&xxe;</Content>
<MsgId>{msg_id}</MsgId></xml>"""

_ids = iter(range(int(time.time() * 1000), 10**18))


def msg_id() -> int:
    """A fresh MsgId."""
    return next(_ids)


def text(user: str, content: str, mid: int | None = None) -> str:
    """A text message."""
    return message_xml(user, "text", mid or msg_id(), Content=content)


def user_texts(assistant, user: str) -> List[str]:
    """What Rasa's tracker holds as the user's messages (its HTTP API)."""
    answer = requests.get(
        f"{assistant.url}/conversations/{user}/tracker",
        params={"token": assistant.token},
        timeout=10,
    )
    answer.raise_for_status()
    return [e.get("text") for e in answer.json()["events"] if e["event"] == "user"]


# -- protocol ------------------------------------------------------------------


def test_url_verification_echoes_echostr_only_when_signed(passive):
    params = {**WeChat(webhook(passive), TOKEN).query(), "echostr": "1234567890"}
    answer = requests.get(webhook(passive), params=params, timeout=10)
    assert answer.status_code == 200 and answer.text == "1234567890"
    params["signature"] = sign("another token", params["timestamp"], params["nonce"])
    assert requests.get(webhook(passive), params=params, timeout=10).status_code == 403


def test_chinese_question_gets_a_chinese_answer_in_plaintext_mode(plain):
    reply = plain.reply(plain.post(text(open_id(), "推拿会疼吗")))
    assert reply["MsgType"] == "text" and HAN.search(reply["Content"])


def test_english_question_gets_an_english_answer_in_safe_mode(safe):
    user = open_id()
    reply = safe.reply(safe.post(text(user, "does tuina hurt?")))
    assert reply["ToUserName"] == user
    assert reply["MsgType"] == "text" and not HAN.search(reply["Content"])


def test_requests_not_from_wechat_are_refused_and_not_processed(passive, safe):
    user = open_id()
    body = text(user, "does tuina hurt?")
    params = safe.query()
    params["signature"] = sign("wrong", params["timestamp"], params["nonce"])
    assert safe.post_raw(body, params).status_code == 403
    stale = safe.query(timestamp=str(int(time.time()) - 301))
    assert safe.post_raw(body, stale).status_code == 403
    # Safe mode: a right outer signature but a wrong msg_signature.
    params = safe.query()
    encrypted = encrypt(AES_KEY, APP_ID, body)
    params.update(encrypt_type="aes", msg_signature="0" * 40)
    envelope = f"<xml><Encrypt><![CDATA[{encrypted}]]></Encrypt></xml>"
    assert safe.post_raw(envelope, params).status_code == 403
    # Encrypted for another Official Account.
    other = WeChat(safe.url, TOKEN, "wx0000000000000000", AES_KEY)
    assert other.post(body).status_code == 403
    assert user_texts(passive, user) == []


def test_oversize_and_malformed_bodies_are_refused_and_the_server_keeps_going(
    passive, plain
):
    user = open_id()
    huge = text(user, "推拿" * 10000)
    assert plain.post_raw(huge, plain.query()).status_code == 413
    assert plain.post_raw("<xml><MsgType>text", plain.query()).status_code == 400
    assert plain.post_raw(b"\xff\xfe<xml/>", plain.query()).status_code == 400
    assert plain.post_raw("<xml></xml>", plain.query()).status_code == 400
    assert user_texts(passive, user) == []
    assert plain.reply(plain.post(text(user, "推拿会疼吗")))["Content"]


def test_xml_entities_are_never_expanded(passive, plain, safe):
    user = open_id()
    for attack in (BILLION_LAUGHS, EXTERNAL_ENTITY):
        body = attack.format(user=user, msg_id=msg_id())
        assert plain.post_raw(body, plain.query()).status_code == 400
        # The same inside an encrypted envelope.
        assert safe.post(body).status_code == 400
    assert user_texts(passive, user) == []


# -- exactly once ----------------------------------------------------------------


def _concurrently(wechat: WeChat, body: str, times: int = 3) -> list:
    with ThreadPoolExecutor(times) as pool:
        return list(pool.map(lambda _: wechat.post(body), range(times)))


def test_three_posts_of_one_msgid_make_one_turn_and_one_reply(passive, safe):
    user = open_id()
    answers = _concurrently(safe, text(user, "what is cupping?", msg_id()))
    contents = {safe.reply(answer)["Content"] for answer in answers}
    assert len(contents) == 1
    assert user_texts(passive, user) == ["what is cupping?"]


def test_a_retried_confirmation_sends_one_booking_request(passive, plain):
    user = open_id()
    for said in [
        "我想预约",
        "针灸",
        "闵行",
        "周六上午",
        "同意",
        "我叫王芳",
        "13912345603",
        "没有",
    ]:
        assert plain.reply(plain.post(text(user, said)))["Content"]
    answers = _concurrently(plain, text(user, "是的", msg_id()))
    assert len({plain.reply(answer)["Content"] for answer in answers}) == 1
    with sqlite3.connect(passive.outbox) as db:
        rows = db.execute("SELECT COUNT(*) FROM requests").fetchone()[0]
    assert rows == 1
    assert user_texts(passive, user).count("是的") == 1


# -- message types -----------------------------------------------------------------


def test_voice_with_recognition_is_answered_as_its_text(passive, plain):
    user = open_id()
    voice = message_xml(
        user, "voice", msg_id(), MediaId="m1", Format="amr", Recognition="推拿会疼吗"
    )
    assert HAN.search(plain.reply(plain.post(voice))["Content"])
    assert user_texts(passive, user) == ["推拿会疼吗"]


def test_subscribe_gets_a_bilingual_welcome_and_unsubscribe_nothing(plain):
    user = open_id()
    welcome = plain.reply(plain.post(message_xml(user, "event", Event="subscribe")))
    assert "欢迎" in welcome["Content"] and "Welcome" in welcome["Content"]
    # The privacy line (the servers run with this process's environment), in one
    # message.
    assert wechat_notice_line(notice_facts()) in welcome["Content"]
    assert "删除我的信息" in welcome["Content"]
    assert "delete my data" in welcome["Content"]
    assert len(welcome["Content"].encode("utf-8")) <= MAX_TEXT_BYTES
    gone = plain.post(message_xml(user, "event", Event="unsubscribe"))
    assert gone.status_code == 200 and plain.reply(gone) == {}


def test_menu_click_starts_the_booking_in_chinese(plain):
    click = message_xml(open_id(), "event", Event="CLICK", EventKey="BOOKING")
    reply = plain.reply(plain.post(click))["Content"]
    assert HAN.search(reply) and "1. " in reply  # the form asks, with options


def test_image_gets_a_polite_text_only_reply_with_the_phone_numbers(plain):
    image = message_xml(
        open_id(), "image", msg_id(), PicUrl="http://x/y.jpg", MediaId="m"
    )
    reply = plain.reply(plain.post(image))["Content"]
    assert "6345 5101" in reply and "6461 6550" in reply and "text" in reply


def test_a_numbered_option_picks_that_button(passive, plain):
    user = open_id()
    first = plain.reply(plain.post(text(user, "hello")))["Content"]
    assert "\n1. What is tuina?" in first
    plain.reply(plain.post(text(user, "1")))
    assert user_texts(passive, user)[-1] == "What is tuina?"


def test_asking_for_a_person_transfers_to_customer_service(plain):
    reply = plain.reply(plain.post(text(open_id(), "I want to talk to a real person")))
    assert reply["MsgType"] == "transfer_customer_service"


# -- active mode: Redis store, customer-service API ------------------------------------


def _sent_to(fake_api, user: str, wait: float = 15) -> list:
    deadline = time.monotonic() + wait
    while True:
        sent = [m for m in fake_api.sent if m["touser"] == user]
        if sent or time.monotonic() > deadline:
            return sent
        time.sleep(0.05)


def test_a_turn_slower_than_the_budget_is_sent_once_through_the_api(active, fake_api):
    wechat = WeChat(webhook(active), TOKEN)
    user = open_id()
    body = text(user, "推拿会疼吗", msg_id())
    started = time.monotonic()
    assert wechat.reply(wechat.post(body)) == {}  # "success", at once
    assert time.monotonic() - started < 2
    [sent] = _sent_to(fake_api, user)
    assert sent["msgtype"] == "text" and HAN.search(sent["text"]["content"])
    # WeChat's retries of that message, after the answer went out: nothing more.
    assert all(wechat.reply(answer) == {} for answer in _concurrently(wechat, body))
    time.sleep(1)
    assert len(_sent_to(fake_api, user, wait=0)) == 1
    assert user_texts(active, user) == ["推拿会疼吗"]


def test_concurrent_posts_of_a_slow_turn_reach_the_user_once(active, fake_api):
    # Whichever post comes after the answer is ready may carry it passively; the
    # others say "success". Either way the user gets it exactly once.
    wechat = WeChat(webhook(active), TOKEN)
    user = open_id()
    answers = _concurrently(wechat, text(user, "what is cupping?", msg_id()))
    carried = [reply for reply in map(wechat.reply, answers) if reply]
    time.sleep(1)
    by_api = _sent_to(fake_api, user, wait=0 if carried else 15)
    assert len(carried) + len(by_api) == 1
    assert user_texts(active, user) == ["what is cupping?"]


def test_the_access_token_is_fetched_again_when_wechat_refuses_it(active, fake_api):
    wechat = WeChat(webhook(active), TOKEN)
    wechat.reply(wechat.post(text(open_id(), "hello")))
    _sent_to(fake_api, "nobody", wait=2)
    issued = fake_api.tokens_issued
    assert issued >= 1
    fake_api.invalidate_token()
    user = open_id()
    wechat.reply(wechat.post(text(user, "what is cupping?")))
    assert len(_sent_to(fake_api, user)) == 1
    assert fake_api.tokens_issued == issued + 1
    assert fake_api.refused[-1] == f"token-{issued}"


def test_buttons_become_bizmsgmenu_links_in_customer_service_messages(active, fake_api):
    wechat = WeChat(webhook(active), TOKEN)
    user = open_id()
    wechat.reply(wechat.post(text(user, "hello")))
    [sent] = _sent_to(fake_api, user)
    assert 'href="weixin://bizmsgmenu?msgmenucontent=' in sent["text"]["content"]
