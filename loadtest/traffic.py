"""The harness's visitors: asyncio + aiohttp clients of the REST channel behind nginx.

Each conversation has its own sender id and its own address (X-Forwarded-For, which
nginx trusts from the harness and passes on). A message that fails (5xx, 429, a
dropped connection, a timeout) is sent again after a pause, as the widget would, with
the same `message_id`, so a retry of a message the server did store is not a second
turn (channels/replay.py).
"""

from __future__ import annotations

import asyncio
import random
import re
import time
import uuid
from dataclasses import dataclass, field
from typing import Callable, Dict, List, Sequence

import aiohttp

from scripts.servers import ROOT
from staff.evaluate import load_examples

REFERENCE = re.compile(r"BS-[0-9A-Z]{8}")
MAX_ATTEMPTS = 10
TIMEOUT_SECONDS = 30

# A complete booking, one answer at a time, confirmed (tests/e2e/test_booking.py).
BOOKING = {
    "en": [
        "I'd like to book an appointment",
        "tuina",
        "minhang",
        "tomorrow at 3pm",
        "yes",  # to sending the details to the clinic
        "Anna Li",
        "{phone}",
        "no",
        "yes",
    ],
    "zh": [
        "我想预约",
        "针灸",
        "闵行",
        "周六上午",
        "同意",
        "我叫王芳",
        "{phone}",
        "没有",
        "确认",
    ],
}


# The third digit of a channel's visitors' phone numbers, and its sender ids.
PHONE_DIGIT = {"rest": "9", "widget": "8", "wechat": "7"}
SENDER: Dict[str, Callable[[str, int, random.Random], str]] = {
    "rest": lambda run, n, rng: f"load-{run}-{n}",
    "widget": lambda run, n, rng: f"{rng.getrandbits(128):032x}",
    "wechat": lambda run, n, rng: f"o{run}{n:06d}".ljust(28, "x"),
}


def faq_questions() -> Dict[str, List[str]]:
    """The held-out FAQ questions, by language (Chinese: any Han character)."""
    found: Dict[str, List[str]] = {"en": [], "zh": []}
    for text, label in load_examples([str(ROOT / "tests" / "heldout")]):
        if label.startswith("faq/"):
            zh = re.search(r"[\u4e00-\u9fff]", text) is not None
            found["zh" if zh else "en"].append(text)
    return found


@dataclass
class Sent:
    """One message of a conversation and what became of it."""

    conversation: str
    index: int
    text: str
    message_id: str
    statuses: List[int] = field(default_factory=list)  # every attempt; 0 = no answer
    replies: List[dict] = field(default_factory=list)
    started: float = 0.0
    finished: float = 0.0
    # WeChat: the ids of earlier tries of this message that WeChat gave up on (the
    # user typed it again, as a new message).
    abandoned_ids: List[str] = field(default_factory=list)

    @property
    def accepted(self) -> bool:
        """The client got a 200 in the end."""
        return bool(self.statuses) and self.statuses[-1] == 200

    @property
    def errors(self) -> List[int]:
        """The statuses of the failed attempts."""
        return [s for s in self.statuses if s != 200]


@dataclass
class Conversation:
    """A visitor's script: their sender id, address and messages."""

    sender: str
    address: str
    texts: List[str]
    booking: bool
    sent: List[Sent] = field(default_factory=list)
    channel: str = "rest"
    phone: str = ""  # the phone number a booking conversation gives
    reconnects: int = 0  # the widget's socket came back this many times
    resent: int = 0  # the widget's messages sent again after a reconnect

    @property
    def references(self) -> List[str]:
        """The booking references the bot gave in this conversation."""
        return [
            ref
            for message in self.sent
            for reply in message.replies
            for ref in REFERENCE.findall(str(reply.get("text") or ""))
        ]


def address(n: int) -> str:
    """A visitor's address: 10.x.y.z, one per conversation."""
    return f"10.{(n >> 16) & 255}.{(n >> 8) & 255}.{n & 255 or 1}"


def conversations(
    count: int,
    length: int,
    booking_share: float,
    seed: int,
    run: str,
    channel: str = "rest",
    first_address: int = 1,
) -> List[Conversation]:
    """`count` scripts of `length` messages: FAQ only, or a booking then FAQ.

    Each channel's visitors have their own phone numbers (13x, x by channel) and
    addresses (from `first_address`); WeChat's sender is an OpenID, the widget's a
    conversation id as the widget makes them.
    """
    rng = random.Random(seed)
    questions = faq_questions()
    made = []
    for n in range(count):
        language = "zh" if n % 2 else "en"
        booking = rng.random() < booking_share
        texts: List[str] = []
        phone = f"13{PHONE_DIGIT[channel]}{n:08d}" if booking else ""
        if booking:
            texts = [t.format(phone=phone) for t in BOOKING[language]]
        while len(texts) < length:
            texts.append(rng.choice(questions[language]))
        made.append(
            Conversation(
                SENDER[channel](run, n, rng),
                address(first_address + n),
                texts[:length],
                booking,
                channel=channel,
                phone=phone,
            )
        )
    return made


async def send(
    session: aiohttp.ClientSession,
    url: str,
    conversation: Conversation,
    index: int,
    idempotent: bool = True,
    retry_pause: float = 1.0,
) -> Sent:
    """Sends one message, retrying on failures; returns what happened."""
    text = conversation.texts[index]
    sent = Sent(conversation.sender, index, text, uuid.uuid4().hex)
    body = {"sender": conversation.sender, "message": text}
    if idempotent:
        body["message_id"] = sent.message_id
    headers = {"X-Forwarded-For": conversation.address}
    sent.started = time.monotonic()
    for attempt in range(MAX_ATTEMPTS):
        try:
            async with session.post(url, json=body, headers=headers) as response:
                status = response.status
                data = await response.json(content_type=None)
        except (aiohttp.ClientError, asyncio.TimeoutError, ValueError):
            status, data = 0, None
        sent.statuses.append(status)
        if status == 200:
            sent.replies = data if isinstance(data, list) else []
            break
        if 400 <= status < 500 and status != 429:
            break  # the request itself is wrong: sending it again will not help
        await asyncio.sleep(min(retry_pause * (attempt + 1), 5))
    sent.finished = time.monotonic()
    return sent


async def converse(
    session: aiohttp.ClientSession,
    url: str,
    conversation: Conversation,
    think: Sequence[float],
    rng: random.Random,
) -> None:
    """Plays one conversation from start to end, pausing `think` seconds between."""
    for index in range(len(conversation.texts)):
        conversation.sent.append(await send(session, url, conversation, index))
        if think[1] > 0:
            await asyncio.sleep(rng.uniform(*think))


async def run_conversations(
    base_url: str,
    scripts: List[Conversation],
    think: Sequence[float] = (0.0, 0.0),
    seed: int = 1,
) -> float:
    """Plays every conversation at once; returns the seconds it took."""
    url = f"{base_url}/webhooks/rest/webhook"
    rng = random.Random(seed)
    timeout = aiohttp.ClientTimeout(total=TIMEOUT_SECONDS)
    connector = aiohttp.TCPConnector(limit=0)
    started = time.monotonic()
    async with aiohttp.ClientSession(timeout=timeout, connector=connector) as session:
        await asyncio.gather(*(converse(session, url, c, think, rng) for c in scripts))
    return time.monotonic() - started


def percentile(values: List[float], share: float) -> float:
    """Nearest-rank percentile (as scripts/bench.py)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


async def _faq_only(base_url: str, token: str, questions: List[str]) -> List[str]:
    """The questions the model takes for FAQ (not the start of a booking, say)."""
    keep = []
    async with aiohttp.ClientSession() as session:
        for text in questions:
            async with session.post(
                f"{base_url}/model/parse?token={token}", json={"text": text}
            ) as response:
                parsed = await response.json()
            if (parsed.get("intent") or {}).get("name") == "faq":
                keep.append(text)
    return keep


async def throughput(
    base_url: str,
    token: str,
    clients: int,
    seconds: float,
    warmup: float,
    run: str,
    cpu_seconds: Callable[[], float] = lambda: 0.0,
) -> Dict[str, float]:
    """Closed-loop FAQ traffic from `clients` clients; latency and msg/s.

    `cpu_seconds` reads the servers' CPU time: its use over the measured seconds, per
    message, is the cost of a turn, steadier than msg/s on a shared machine.
    """
    questions = faq_questions()
    pool = await _faq_only(base_url, token, questions["en"][::4] + questions["zh"][::4])
    url = f"{base_url}/webhooks/rest/webhook"
    latencies: List[float] = []
    errors: Dict[int, int] = {}
    measuring = asyncio.Event()
    stop_at = time.monotonic() + warmup + seconds

    async def client(n: int, session: aiohttp.ClientSession) -> None:
        rng = random.Random(n)
        sent = 0
        while time.monotonic() < stop_at:
            # Ten questions per conversation, as scripts/bench.py.
            body = {"sender": f"tp-{run}-{n}-{sent // 10}", "message": rng.choice(pool)}
            headers = {"X-Forwarded-For": address(1000 + n)}
            started = time.perf_counter()
            try:
                async with session.post(url, json=body, headers=headers) as response:
                    await response.read()
                    status = response.status
            except (aiohttp.ClientError, asyncio.TimeoutError):
                status = 0
            elapsed = (time.perf_counter() - started) * 1000
            sent += 1
            if measuring.is_set():
                if status == 200:
                    latencies.append(elapsed)
                else:
                    errors[status] = errors.get(status, 0) + 1

    cpu = {}

    async def clock() -> None:
        await asyncio.sleep(warmup)
        cpu["start"] = cpu_seconds()
        measuring.set()
        await asyncio.sleep(seconds)
        cpu["end"] = cpu_seconds()

    timeout = aiohttp.ClientTimeout(total=TIMEOUT_SECONDS)
    async with aiohttp.ClientSession(
        timeout=timeout, connector=aiohttp.TCPConnector(limit=0)
    ) as session:
        await asyncio.gather(clock(), *(client(n, session) for n in range(clients)))
    return {
        "clients": clients,
        "seconds": seconds,
        "messages": len(latencies),
        "msg_per_s": len(latencies) / seconds,
        "p50_ms": percentile(latencies, 0.50),
        "p90_ms": percentile(latencies, 0.90),
        "p99_ms": percentile(latencies, 0.99),
        "max_ms": max(latencies, default=0.0),
        "server_cpu_ms_per_msg": 1000 * (cpu["end"] - cpu["start"]) / len(latencies)
        if latencies
        else 0.0,
        "errors": sum(errors.values()),
        "error_statuses": {str(k): v for k, v in sorted(errors.items())},
        "questions": len(pool),
    }
