"""What every public channel checks before a visitor's message reaches the assistant.

Shared by the REST channel (channels/rest.py), the website widget's socket.io channel
(channels/webchat.py) and WeChat (channels/wechat.py):

- a message longer than `max_chars` is not processed: the visitor is told, in their
  language, to send a shorter question or call (`too_long_notice`);
- an empty message (nothing but spaces and invisible characters) is not processed:
  the visitor is asked to type their question (`empty_notice`);
- a sender (conversation id) may send `sender_rate` messages per window; over it, the
  visitor is told to slow down (REST: HTTP 429); counted per process, or in Redis for
  every server at once when GUARD_REDIS_URL is set;
- typed text starting with "/" reaches intents and slots only when it is exactly one of
  the payloads the assistant's own buttons offer (plus the language the widget and
  WeChat attach); anything else loses its slashes and goes through NLU as plain text.

The HTTP-level checks (body size, per-IP rate, errors, the API's token) are in
channels/http_guard.py. Settings come from the environment (GUARD_*), read here once.
"""

from __future__ import annotations

import json
import logging
import math
import os
import re
import time
import unicodedata
from collections import deque
from dataclasses import dataclass, field
from typing import Any, Deque, Dict, FrozenSet, Iterable, Tuple

from actions.parsing import CLINICS
from components.language import detect_language, language_hint

logger = logging.getLogger(__name__)

PHONES_EN = ", ".join(
    f"{clinic.key.title()} {clinic.phone_in('en')}" for clinic in CLINICS.values()
)
PHONES_ZH = "，".join(
    f"{clinic.name_zh} {clinic.phone_in('zh')}" for clinic in CLINICS.values()
)

# How Rasa reads "/intent{json}" (rasa.shared.nlu.constants INTENT_MESSAGE_PREFIX).
PAYLOAD = re.compile(r"^/(?P<intent>[^{@]+)(?P<entities>\{.*\})?$", re.DOTALL)
# The widget and WeChat add the visitor's language to button clicks and menu clicks.
LANGUAGE_ENTITY = "language"
LANGUAGES = {"en", "zh"}
# Sent by the widget itself (webchat/widget.js) when a conversation starts and from the
# EN / 中文 switch, not by a button in a response.
WIDGET_INTENTS = {"greet", "switch_language"}

Payload = Tuple[str, FrozenSet[Tuple[str, str]]]

GENERIC_SORRY = (
    "Sorry, something went wrong on our side: please try again later, or call us. "
    "抱歉，系统暂时出了问题，请稍后再试或致电诊所。"
)


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


def _env_rate(name: str, default: str) -> Tuple[int, float]:
    """Reads "COUNT/SECONDS" (e.g. "20/60"); "0" or "off" switches the limit off."""
    value = (os.environ.get(name, "") or default).strip().lower()
    if value in {"0", "off"}:
        return 0, 1.0
    count, _, seconds = value.partition("/")
    return int(count), float(seconds or 60)


@dataclass
class GuardSettings:
    """The limits (environment: GUARD_MAX_CHARS, GUARD_SENDER_RATE, ...)."""

    max_chars: int = 1000
    sender_rate: Tuple[int, float] = (20, 60.0)
    ip_rate: Tuple[int, float] = (120, 60.0)
    max_body_bytes: int = 64 * 1024
    # Open socket.io connections per address: a visitor has a tab or two (one
    # connection each); hundreds from one address are a flood holding server memory.
    sockets_per_ip: int = 20
    # Redis shared by every server process for the rate counts; empty: per process.
    redis_url: str = ""

    @classmethod
    def from_env(cls) -> GuardSettings:
        """The settings from GUARD_* variables; unset ones keep the defaults."""
        return cls(
            max_chars=_env_int("GUARD_MAX_CHARS", 1000),
            sender_rate=_env_rate("GUARD_SENDER_RATE", "20/60"),
            ip_rate=_env_rate("GUARD_IP_RATE", "120/60"),
            max_body_bytes=_env_int("GUARD_MAX_BODY_BYTES", 64 * 1024),
            sockets_per_ip=_env_int("GUARD_IP_SOCKETS", 20),
            redis_url=os.environ.get("GUARD_REDIS_URL", "").strip(),
        )


def language_of(text: str, hint: str | None = None) -> str:
    """The language the text is written in; `hint` (or English) when it has no words.

    The NLU pipeline's own rule (components.language), so a notice is in the language
    the assistant would have answered in.
    """
    return detect_language(text) or language_hint({"language": hint}) or "en"


def empty_notice(language: str) -> str:
    """What a visitor who sent an empty message is told."""
    if language == "zh":
        return "请输入您的问题，例如：“推拿会疼吗？”"
    return 'Please type your question, for example: "Does tuina hurt?"'


# Lone surrogates (JSON's "\ud800") cannot be stored as UTF-8: they become U+FFFD, as
# a browser would show them.
LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def is_blank(text: str) -> bool:
    """True when the text has nothing to read: spaces and invisible characters only."""
    return all(c.isspace() or unicodedata.category(c) == "Cf" for c in text)


def too_long_notice(language: str, limit: int) -> str:
    """What a visitor whose message is over the limit is told."""
    if language == "zh":
        return (
            f"抱歉，您的消息太长了（超过 {limit} 个字），我没有处理。"
            f"请把问题写短一些再发，或致电诊所：{PHONES_ZH}。"
        )
    return (
        f"Sorry, your message is too long (over {limit} characters), so I have not "
        f"read it. Please send a shorter question, or call us: {PHONES_EN}."
    )


def slow_down_notice(language: str) -> str:
    """What a visitor sending faster than the rate limit is told."""
    if language == "zh":
        return (
            f"您发送消息太快了，请稍等一分钟再发。如有急事，请致电诊所：{PHONES_ZH}。"
        )
    return (
        "You are sending messages too quickly: please wait a minute and try again. "
        f"For anything urgent, call us: {PHONES_EN}."
    )


def unavailable_notice(language: str) -> str:
    """What a visitor is told when the assistant cannot store the conversation."""
    if language == "zh":
        return (
            "抱歉，系统暂时无法使用，您的消息没有处理。"
            f"请稍后再发，或致电诊所：{PHONES_ZH}。"
        )
    return (
        "Sorry, our system is briefly unavailable and your message was not "
        f"processed. Please send it again in a minute, or call us: {PHONES_EN}."
    )


def parse_payload(text: str) -> Payload | None:
    """Reads "/intent{json}" as (intent, entities); None if it is not one."""
    match = PAYLOAD.match(text.strip())
    if not match:
        return None
    entities: Dict[str, Any] = {}
    if match.group("entities"):
        try:
            entities = json.loads(match.group("entities"))
        except ValueError:
            return None
        if not isinstance(entities, dict):
            return None
    items = frozenset(
        (str(k), json.dumps(v, sort_keys=True)) for k, v in entities.items()
    )
    return match.group("intent").strip(), items


def button_payloads(responses: Dict[str, Any]) -> FrozenSet[Payload]:
    """Every "/intent{...}" payload of the buttons in the domain's responses."""
    found = set()
    for variants in responses.values():
        for variant in variants or []:
            for button in (variant or {}).get("buttons") or []:
                # Responses are format strings: '{{' in the domain is '{' when sent.
                text = str(button.get("payload") or "")
                text = text.replace("{{", "{").replace("}}", "}")
                payload = parse_payload(text) if text.startswith("/") else None
                if payload:
                    found.add(payload)
    return frozenset(found)


def is_offered(payload: Payload, offered: Iterable[Payload]) -> bool:
    """True when the payload is one a button offers, give or take the language."""
    intent, entities = payload
    language = {(k, v) for k, v in entities if k == LANGUAGE_ENTITY}
    if any(json.loads(v) not in LANGUAGES for _, v in language):
        return False
    rest = entities - language
    if intent in WIDGET_INTENTS and not rest:
        return True
    return (intent, frozenset(rest)) in set(offered)


def neutralise(text: str, offered: Iterable[Payload]) -> str:
    """The text, with a leading "/" removed unless it is an offered button payload."""
    if not text.lstrip().startswith("/"):
        return text
    payload = parse_payload(text)
    if payload is not None and is_offered(payload, offered):
        return text.strip()
    return text.lstrip().lstrip("/").lstrip()


class RateLimiter:
    """At most `count` events per `seconds` per key (a sliding window, in memory).

    Each Rasa server process counts its own visitors; with several servers behind a
    load balancer with sticky sessions a visitor reaches one of them.
    """

    def __init__(self, count: int, seconds: float, max_keys: int = 100_000) -> None:
        """Creates the limiter; `count` 0 allows everything."""
        self.count, self.seconds, self.max_keys = count, seconds, max_keys
        self._events: Dict[str, Deque[float]] = {}

    def allow(self, key: str, now: float | None = None) -> bool:
        """Records an event for `key`; False when it is over the limit."""
        if self.count <= 0:
            return True
        now = time.monotonic() if now is None else now
        events = self._events.get(key)
        if events is None:
            if len(self._events) >= self.max_keys:
                self._forget_idle(now)
            events = self._events[key] = deque()
        while events and now - events[0] >= self.seconds:
            events.popleft()
        if len(events) >= self.count:
            return False
        events.append(now)
        return True

    def _forget_idle(self, now: float) -> None:
        for key in [
            k for k, v in self._events.items() if not v or now - v[-1] >= self.seconds
        ]:
            del self._events[key]
        if len(self._events) >= self.max_keys:  # still full: a flood of new keys
            self._events.clear()

    async def hit(self, key: str) -> bool:
        """`allow` now, with the interface of the shared limiter."""
        return self.allow(key)


class SharedRateLimiter:
    """At most `count` events per `seconds` per key, counted in Redis for every server.

    Fixed windows (INCR + EXPIRE in one transaction): cheap and atomic; a visitor may
    send up to twice the count across a window's edge, which is fine for flood control.
    While Redis is unreachable each process counts on its own (`fallback`) rather than
    letting everything through or refusing everyone.
    """

    def __init__(self, url: str, count: int, seconds: float, prefix: str) -> None:
        """Connects lazily to the Redis at `url`; `count` 0 allows everything."""
        import redis.asyncio as redis

        self.redis = redis.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5)
        self.count, self.seconds, self.prefix = count, seconds, prefix
        self.fallback = RateLimiter(count, seconds)
        self._warned_at = -math.inf

    async def hit(self, key: str) -> bool:
        """Records an event for `key`; False when it is over the limit."""
        if self.count <= 0:
            return True
        window = int(time.time() // self.seconds)
        name = f"{self.prefix}{key}:{window}"
        try:
            async with self.redis.pipeline(transaction=True) as pipe:
                pipe.incr(name)
                pipe.expire(name, math.ceil(self.seconds) + 1)
                count, _ = await pipe.execute()
        except Exception as error:  # redis.RedisError, OSError, timeouts
            if time.monotonic() - self._warned_at > 60:
                self._warned_at = time.monotonic()
                logger.warning(
                    "Rate counts: Redis unreachable (%s), counting locally.", error
                )
            return self.fallback.allow(key)
        return int(count) <= self.count


def rate_limiter(
    settings: GuardSettings, rate: Tuple[int, float], prefix: str
) -> RateLimiter | SharedRateLimiter:
    """The limiter for `rate`: shared through Redis when GUARD_REDIS_URL is set."""
    if settings.redis_url:
        return SharedRateLimiter(settings.redis_url, *rate, prefix=prefix)
    return RateLimiter(*rate)


@dataclass
class Verdict:
    """What to do with one message: pass `text` on, or answer with `notice`."""

    text: str
    notice: str | None = None
    reason: str | None = None  # "too_long", "empty" or "rate_limited"


@dataclass
class MessageGuard:
    """The message-level checks, one instance per server process."""

    settings: GuardSettings = field(default_factory=GuardSettings.from_env)
    offered: FrozenSet[Payload] = frozenset()

    def __post_init__(self) -> None:
        """Makes the per-sender limiter."""
        self.senders = rate_limiter(
            self.settings, self.settings.sender_rate, "clinic:guard:sender:"
        )
        self._domain: Any = None  # the domain `offered` was read from

    async def check(
        self, sender: str, text: Any, language: str | None = None
    ) -> Verdict:
        """Checks one message from `sender`; `language` if the channel knows it."""
        text = LONE_SURROGATE.sub("\ufffd", text if isinstance(text, str) else "")
        language = language_of(text, language)
        if len(text) > self.settings.max_chars:
            notice = too_long_notice(language, self.settings.max_chars)
            return Verdict("", notice, "too_long")
        if is_blank(text):
            return Verdict("", empty_notice(language), "empty")
        if not await self.senders.hit(sender):
            return Verdict("", slow_down_notice(language), "rate_limited")
        return Verdict(neutralise(text, self.offered))

    def learn_domain(self, agent: Any = None) -> None:
        """Takes the button payloads from the loaded model's domain.

        Without an agent, the Rasa server's (the one Sanic app in this process). Read
        again whenever the agent holds another domain: a model loaded through the HTTP
        API (PUT /model) may offer other buttons.
        """
        if agent is None:
            try:
                from sanic import Sanic

                agent = getattr(Sanic.get_app().ctx, "agent", None)
            except Exception:  # no app (unit tests) or several: nothing to learn yet
                return
        domain = getattr(agent, "domain", None)
        if domain is not None and domain is not self._domain:
            self.offered = button_payloads(domain.responses)
            self._domain = domain


# One per process: every channel of the server shares the same per-sender counts.
_GUARD: MessageGuard | None = None


def message_guard() -> MessageGuard:
    """The process's MessageGuard."""
    global _GUARD
    if _GUARD is None:
        _GUARD = MessageGuard()
    return _GUARD
