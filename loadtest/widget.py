"""The harness's website visitors: the widget's socket.io over a real WebSocket.

Each visitor is tests/webchat/client.py's WidgetClient (the widget's protocol: a
`message_id` per message, an acknowledgement, unacknowledged messages sent again
with the same id after a reconnect), behind nginx at its own address, in a thread of
its own (the client is blocking). When its server is killed, the socket reconnects
through nginx to the other one and goes on. An acknowledgement `unavailable` (a store
was down: the visitor was shown the notice), `error`, or none within 30 s is a
client-visible error: the visitor sends the message again, same id, after a pause,
as REST visitors do (loadtest/traffic.py).
"""

from __future__ import annotations

import asyncio
import random
import time
from concurrent.futures import ThreadPoolExecutor
from typing import List, Sequence

from loadtest.traffic import MAX_ATTEMPTS, TIMEOUT_SECONDS, Conversation, Sent
from tests.webchat.client import ACK_STATUS, WidgetClient

CONNECT_ATTEMPTS = 10


def connected(url: str, conversation: Conversation) -> WidgetClient:
    """The visitor's connection, opened (tried again while a fault lasts)."""
    for attempt in range(CONNECT_ATTEMPTS):
        client = WidgetClient(url, conversation.address, session_id=conversation.sender)
        try:
            return client.connect()
        except Exception:  # refused or timed out: like the widget, try again
            client.close()
            if attempt == CONNECT_ATTEMPTS - 1:
                raise
            time.sleep(1 + attempt)
    raise AssertionError("unreachable")


def send(client: WidgetClient, conversation: Conversation, index: int) -> Sent:
    """Sends one message until it is acknowledged as processed; what happened."""
    text = conversation.texts[index]
    sent = Sent(conversation.sender, index, text, f"w{index:03d}-{time.time_ns():x}")
    sent.started = time.monotonic()
    for attempt in range(MAX_ATTEMPTS):
        ack = client.send(text, sent.message_id, timeout=TIMEOUT_SECONDS)
        status = ACK_STATUS.get((ack or {}).get("status"), 0)
        sent.statuses.append(status)
        if status == 200:
            sent.replies = client.wait_replies(sent.message_id, 2)
            break
        if status == 400:
            break  # refused: sending it again will not help
        time.sleep(min(attempt + 1, 5))
    sent.finished = time.monotonic()
    return sent


def converse(
    url: str, conversation: Conversation, think: Sequence[float], seed: int
) -> None:
    """Plays one conversation on one (reconnecting) socket."""
    rng = random.Random(seed)
    client = connected(url, conversation)
    try:
        for index in range(len(conversation.texts)):
            conversation.sent.append(send(client, conversation, index))
            if think[1] > 0:
                time.sleep(rng.uniform(*think))
    finally:
        conversation.reconnects = client.connections - 1
        conversation.resent = client.resent
        client.close()


async def run_conversations(
    base_url: str, scripts: List[Conversation], think: Sequence[float] = (0.0, 0.0)
) -> float:
    """Plays every conversation at once, a thread each; returns the seconds taken."""
    loop = asyncio.get_running_loop()
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=max(1, len(scripts))) as pool:
        await asyncio.gather(
            *(
                loop.run_in_executor(pool, converse, base_url, c, think, n)
                for n, c in enumerate(scripts)
            )
        )
    return time.monotonic() - started
