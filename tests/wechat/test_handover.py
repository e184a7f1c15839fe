"""A person takes over a WeChat conversation (active mode), against the fake WeChat API.

A real Rasa server (WeChat in active mode, the Redis store, the fake API; WeChat's own
transfer to 人工客服 off), action server and console; reception works in Chromium.
Every reply the visitor gets goes through the fake customer-service API (the reply
budget is shorter than any turn), so `fake_api.sent` is what the visitor saw.
"""

from __future__ import annotations

import time
from typing import Iterator, List

import pytest
import requests

from booking.outbox import Outbox
from console.accounts import save_account
from console.db import ConsoleStore
from handover.store import HandoverStore
from scripts.servers import Assistant, ServerError, running_console
from tests.browser.conftest import driver, wait_until  # noqa: F401 - a fixture
from tests.console.browser.conftest import Page
from tests.wechat.conftest import TOKEN, _start, open_id, webhook
from tests.wechat.test_wechat_channel import text, user_texts

PASSWORD = "reception password 1"  # noqa: S105 - a throwaway account
PHONE_NUMBER = "6345 5101"


@pytest.fixture(scope="module")
def server(tmp_path_factory, redis_url, fake_api) -> Iterator[Assistant]:
    """Active mode, every reply through the API; hand-overs rather than transfers."""
    yield from _start(
        tmp_path_factory,
        "handover",
        {
            "WECHAT_MODE": "active",
            "WECHAT_REDIS_URL": redis_url,
            "WECHAT_API_BASE": fake_api.url,
            "WECHAT_REPLY_BUDGET_SECONDS": "0.001",
            "WECHAT_TRANSFER_TO_HUMAN": "false",
        },
    )


@pytest.fixture(scope="module")
def console(server: Assistant, tmp_path_factory) -> Iterator[str]:
    """`python -m console` on the server's outbox and tracker store."""
    with Outbox(server.outbox) as outbox:
        save_account(ConsoleStore(outbox), "rita", "reception", PASSWORD)
    work = tmp_path_factory.mktemp("wechat-console")
    try:
        with running_console(
            server.tracker_db,
            server.outbox,
            work,
            "wechat tests",
            {"HANDOVER_RASA_URL": server.url, "HANDOVER_TOKEN": server.token},
        ) as url:
            yield url
    except ServerError as error:
        pytest.fail(str(error))


def sent_texts(fake_api, user: str) -> List[str]:
    """What the customer-service API sent the user, oldest first."""
    return [m["text"]["content"] for m in fake_api.sent if m["touser"] == user]


def say(wechat, fake_api, user: str, content: str, replies: int = 1) -> List[str]:
    """Sends a message and waits for `replies` new API messages (0: waits 3 s)."""
    before = len(sent_texts(fake_api, user))
    wechat.post(text(user, content))
    if replies == 0:
        time.sleep(3)
        return sent_texts(fake_api, user)[before:]
    wait_until(
        lambda: len(sent_texts(fake_api, user)) >= before + replies,
        timeout=30,
        what=f"the answer to {content!r}",
    )
    return sent_texts(fake_api, user)[before:]


def test_reception_takes_over_a_wechat_conversation_and_hands_back(
    server,
    fake_api,
    console,
    driver,  # noqa: F811 - the fixture imported above
):
    from tests.wechat.client import WeChat

    wechat = WeChat(webhook(server), TOKEN)
    user = open_id()
    # Nobody online: reception's numbers, as before.
    assert PHONE_NUMBER in "\n".join(say(wechat, fake_api, user, "转人工"))

    page = Page(driver, console).sign_in("rita", PASSWORD).go("/live")
    joining = "\n".join(say(wechat, fake_api, user, "转人工"))
    assert "马上加入" in joining and "需要一点时间" in joining
    wait_until(lambda: page.find_all(f"tr[data-sender='{user}']"), what="the queue")
    page.click_and_wait(f"tr[data-sender='{user}'] button.take")

    page.find("#reply-text").send_keys("您好，我是前台的 Rita。")
    page.click_and_wait("#reply-send")
    wait_until(
        lambda: "您好，我是前台的 Rita。" in sent_texts(fake_api, user),
        what="the staff reply through the customer-service API",
    )

    # The visitor's answer reaches the console; the assistant stays silent.
    assert say(wechat, fake_api, user, "我想今天下午三点来", replies=0) == []
    wait_until(
        lambda: "我想今天下午三点来" in page.text("#transcript"),
        what="the visitor's message in the console",
    )
    # A red flag is answered at once.
    assert "120" in "\n".join(say(wechat, fake_api, user, "我胸口剧痛，喘不上气"))

    page.click_and_wait("#hand-back")
    wait_until(
        lambda: any("诊所助手继续" in t for t in sent_texts(fake_api, user)),
        what="the hand-back message",
    )
    answer = "\n".join(say(wechat, fake_api, user, "推拿会疼吗"))
    assert "马上加入" not in answer and "没跟上" not in answer
    assert "推拿" in answer
    assert user_texts(server, user)[-1] == "推拿会疼吗"


@pytest.fixture(scope="module")
def passive_server(tmp_path_factory) -> Iterator[Assistant]:
    """Passive mode (no customer-service API): staff's words go with the next reply."""
    yield from _start(
        tmp_path_factory,
        "handover-passive",
        {"WECHAT_MODE": "passive", "WECHAT_TRANSFER_TO_HUMAN": "false"},
    )


def console_call(server: Assistant, route: str, token: str | None, **body):
    """What the console's Live page sends (console/pages/live.py, call_rasa)."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return requests.post(
        f"{server.url}/webhooks/handover/{route}",
        json=body,
        headers=headers,
        timeout=30,
    )


def test_passive_accounts_get_staffs_words_with_the_next_reply(passive_server):
    from tests.wechat.client import WeChat

    server = passive_server
    wechat, user = WeChat(webhook(server), TOKEN), open_id()
    with Outbox(server.outbox) as outbox:
        store = HandoverStore(outbox)
        store.seen("rita")
        joining = wechat.reply(wechat.post(text(user, "转人工")))["Content"]
        assert "需要一点时间" in joining
        assert store.claim(user, "rita")

        # Only the console, with the secret, may write into a conversation.
        sent = {"sender": user, "text": "您好，我是前台的 Rita。", "staff": "rita"}
        assert console_call(server, "message", None, **sent).status_code == 401
        assert console_call(server, "message", "wrong", **sent).status_code == 401
        bad = {**sent, "sender": "no spaces allowed"}
        assert console_call(server, "message", server.token, **bad).status_code == 400
        unknown = {**sent, "sender": open_id()}
        assert (
            console_call(server, "message", server.token, **unknown).status_code == 404
        )
        assert console_call(server, "message", server.token, **sent).status_code == 200

        # The visitor's next message carries it; the assistant adds nothing.
        reply = wechat.reply(wechat.post(text(user, "好的，我等一下")))
        assert reply["Content"] == "您好，我是前台的 Rita。"

        assert store.end(user)
        assert console_call(server, "end", server.token, **sent).status_code == 200
        answer = wechat.reply(wechat.post(text(user, "推拿会疼吗")))["Content"]
        assert answer.startswith("现在由诊所助手继续为您服务")
        assert "推拿" in answer.split("\n", 1)[1]
