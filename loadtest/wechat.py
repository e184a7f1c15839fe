"""The harness's WeChat users: signed, encrypted messages, with WeChat's retries.

As WeChat's servers do it (tests/wechat/client.py: signatures, AES safe mode, the
reply's signature checked): each message is POSTed with its MsgId; without an answer
in 5 s, or with an error status, WeChat sends the same MsgId again, 5 s after the
last try began, three tries in all (channels/wechat.py answers a retry with the first
try's reply, never a second turn). When WeChat gives up the user sees "service
unavailable" and types the message again a little later, as a new message (a new
MsgId; counted as a client-visible error). A reply is the passive XML, decrypted.
"""

from __future__ import annotations

import asyncio
import random
import time
from typing import List, Sequence

import aiohttp

from loadtest.traffic import MAX_ATTEMPTS, Conversation, Sent
from tests.wechat.client import WeChat, message_xml

TRY_SECONDS = 5.0  # WeChat waits this long for an answer
TRIES = 3  # WeChat's tries of one MsgId
RETYPE_AFTER = (3.0, 8.0)  # a user who saw "service unavailable" types it again


def message_key(open_id: str, msg_id: int) -> str:
    """The id the channel gives a message in the tracker (channels/wechat.py)."""
    return f"{open_id}:{msg_id}"


async def deliver(
    session: aiohttp.ClientSession, wechat: WeChat, xml: str, sent: Sent, address: str
) -> str | None:
    """WeChat's tries of one message; the reply's text, or None if WeChat gave up."""
    for _ in range(TRIES):
        began = time.monotonic()
        params, body = wechat.signed(xml)
        try:
            async with session.post(
                wechat.url,
                params=params,
                data=body.encode("utf-8"),
                headers={"X-Forwarded-For": address},
                timeout=aiohttp.ClientTimeout(total=TRY_SECONDS),
            ) as response:
                status, text = response.status, await response.text()
        except (aiohttp.ClientError, asyncio.TimeoutError):
            status, text = 0, ""
        sent.statuses.append(status)
        if status == 200:
            return wechat.reply_fields(text).get("Content", "")
        await asyncio.sleep(max(0.0, began + TRY_SECONDS - time.monotonic()))
    return None


async def send(
    session: aiohttp.ClientSession,
    wechat: WeChat,
    conversation: Conversation,
    index: int,
    msg_ids: List[int],
    rng: random.Random,
) -> Sent:
    """One message the user types (again after WeChat gave up); what happened."""
    text = conversation.texts[index]
    sent = Sent(conversation.sender, index, text, "")
    sent.started = time.monotonic()
    for _ in range(MAX_ATTEMPTS):
        msg_ids[0] += 1
        sent.message_id = message_key(conversation.sender, msg_ids[0])
        xml = message_xml(conversation.sender, "text", msg_ids[0], Content=text)
        content = await deliver(session, wechat, xml, sent, conversation.address)
        if content is not None:
            sent.replies = [{"text": content}] if content else []
            break
        sent.abandoned_ids.append(sent.message_id)
        await asyncio.sleep(rng.uniform(*RETYPE_AFTER))
    sent.finished = time.monotonic()
    return sent


async def run_conversations(
    webhook: str,
    token: str,
    app_id: str,
    aes_key: str,
    scripts: List[Conversation],
    think: Sequence[float] = (0.0, 0.0),
    seed: int = 3,
) -> float:
    """Plays every conversation at once; returns the seconds it took."""
    wechat = WeChat(webhook, token, app_id, aes_key)
    rng = random.Random(seed)
    msg_ids = [rng.getrandbits(40) << 16]  # WeChat's MsgIds: 64-bit, increasing

    async def converse(conversation: Conversation) -> None:
        for index in range(len(conversation.texts)):
            conversation.sent.append(
                await send(session, wechat, conversation, index, msg_ids, rng)
            )
            if think[1] > 0:
                await asyncio.sleep(rng.uniform(*think))

    started = time.monotonic()
    connector = aiohttp.TCPConnector(limit=0)
    async with aiohttp.ClientSession(connector=connector) as session:
        await asyncio.gather(*(converse(c) for c in scripts))
    return time.monotonic() - started
