"""A WeChat message's claim while its turn runs: renewed; lapsing if its server dies.

In process, with the channel's in-process store and a turn function in place of Rasa's;
the Redis store's claim and renewal are checked against a real Redis in
tests/wechat/test_wechat_text.py.
"""

from __future__ import annotations

import asyncio
import time
from types import SimpleNamespace
from typing import List

import pytest
from rasa.core.channels.channel import UserMessage
from wechatpy import parse_message

from channels.wechat import (
    CLAIM_LEASE_SECONDS,
    NotReadyError,
    WeChatInput,
    WeChatSettings,
)
from tests.wechat.client import message_xml

KEY = "open-id:1001"
# As app.ctx of a Rasa server without an agent: the turn goes to on_new_message.
REQUEST = SimpleNamespace(app=SimpleNamespace(ctx=SimpleNamespace(agent=None)))
MESSAGE = parse_message(message_xml("open-id", "text", 1001, Content="hello"))


def channel() -> WeChatInput:
    return WeChatInput(WeChatSettings(token="token-for-tests"))  # noqa: S106 - a test's


def answering(seen: List[str], seconds: float = 0.0):
    async def turn(message: UserMessage) -> None:
        seen.append(message.text)
        await asyncio.sleep(seconds)
        await message.output_channel.send_text_message(message.sender_id, "Hi!")

    return turn


async def test_a_claim_left_by_a_dead_server_lapses_and_the_retry_runs_the_turn():
    wechat = channel()
    seen: List[str] = []
    # The first try's server claimed the message and was killed: nobody renews it.
    assert await wechat.store.claim(f"claim:{KEY}", CLAIM_LEASE_SECONDS, "dead")

    started = time.monotonic()
    reply = await wechat._conversation_reply(
        REQUEST, answering(seen), MESSAGE, "hello", KEY
    )

    assert reply.content == "Hi!" and seen == ["hello"]
    assert CLAIM_LEASE_SECONDS - 0.5 < time.monotonic() - started < 5
    # Done: later tries get this reply and run nothing.
    again = await wechat._conversation_reply(
        REQUEST, answering(seen), MESSAGE, "hello", KEY
    )
    assert again.content == "Hi!" and seen == ["hello"]


async def test_a_turn_longer_than_the_lease_keeps_its_claim_and_runs_once():
    wechat = channel()
    seen: List[str] = []
    slow = answering(seen, seconds=CLAIM_LEASE_SECONDS + 1.5)

    first = asyncio.ensure_future(
        wechat._conversation_reply(REQUEST, slow, MESSAGE, "hello", KEY)
    )
    await asyncio.sleep(0.2)
    retry = await wechat._conversation_reply(REQUEST, slow, MESSAGE, "hello", KEY)

    assert retry.content == "Hi!" and (await first).content == "Hi!"
    assert seen == ["hello"]


async def test_a_passive_reply_not_ready_in_time_asks_wechat_to_try_again():
    # `success` would tell WeChat the message was answered; 503 makes it retry.
    wechat = channel()
    seen: List[str] = []
    with pytest.raises(NotReadyError):
        await wechat._conversation_reply(
            REQUEST, answering(seen, seconds=7), MESSAGE, "hello", KEY
        )
    # The turn goes on; WeChat's next try collects its reply.
    reply = await wechat._conversation_reply(
        REQUEST, answering(seen), MESSAGE, "hello", KEY
    )
    assert reply.content == "Hi!" and seen == ["hello"]
