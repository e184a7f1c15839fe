"""Bad input for the three public channels, and how to send it and judge the result.

Shared by the pytest tests (tests/fuzz/test_bad_input.py: one Rasa server, SQLite)
and the load harness (python -m loadtest: behind nginx, PostgreSQL). Socket.io goes
over a real WebSocket: the widget's protocol (tests/webchat/client.py), broken frames
written by hand (`RawSocket`) and a flood of messages on one socket. Each case says
what a visitor would expect to find stored: nothing (refused, or an empty message the
visitor is asked to retype) or exactly one message with the given text.
"""

from __future__ import annotations

import contextlib
import json
import secrets
import sqlite3
import threading
import time
from collections import Counter
from dataclasses import dataclass
from typing import Any, Callable, Dict, List, Tuple

import requests
import websocket

from tests.webchat.client import WidgetClient
from tests.wechat.client import WeChat, message_xml

MB = 1024 * 1024
# Returns the events stored after the event with the given id, and the last id.
EventReader = Callable[[int], Tuple[List[Dict[str, Any]], int]]
EVENTS_AFTER = "SELECT id, data FROM events WHERE id > {} ORDER BY id"

ZERO_WIDTH = "\u200b\u200c\u200d\ufeff"
RTL = "\u202e\u200f"
HTML = '<script>alert("x")</script><img src=x onerror=alert(1)>'
MIXED = "推拿 massage は痛い? Тест مرحبا 😀"
PAYLOAD = '/inform{"phone": "+8613800000000", "visitor_name": "Mallory"}'


@dataclass(frozen=True)
class Case:
    """One bad input; `stored` is the user text that must be kept (None: nothing)."""

    name: str
    message: Any  # what goes in the channel's message field (or a raw body)
    stored: str | None
    status: int = 200  # REST / WeChat: the expected HTTP status
    raw: bytes | None = None  # REST / WeChat: the whole body, as is


def _rest_body(sender: str, message: Any, **extra: Any) -> bytes:
    return json.dumps({"sender": sender, "message": message, **extra}).encode()


# Texts every channel gets; each case's `stored` is what a visitor would expect kept.
TEXT_CASES = [
    Case("empty", "", None),
    Case("whitespace", " \t\n  ", None),
    Case("zero-width only", ZERO_WIDTH, None),
    Case("zero-width inside", f"推{ZERO_WIDTH}拿会疼吗", f"推{ZERO_WIDTH}拿会疼吗"),
    Case("right-to-left", f"{RTL}does tuina hurt", f"{RTL}does tuina hurt"),
    # Not a button the assistant offers: read as text, its slashes dropped.
    Case("intent payload", PAYLOAD, PAYLOAD.lstrip("/")),
    Case("restart payload", "/restart", "restart"),
    Case("html and script", HTML, HTML),
    Case("mixed scripts", MIXED, MIXED),
    Case("lone surrogate", "tuina \ud800 hurt?", "tuina \ufffd hurt?"),
    Case("control characters", "tuina\x00\x07 price", "tuina\x00\x07 price"),
    Case("over the length limit", "推" * 5000, None),
]


def rest_cases() -> List[Case]:
    """The REST cases: the texts, plus bodies that are wrong as a whole."""
    sender = "fuzz-rest-" + secrets.token_hex(6)
    wrong = [
        Case("no body", None, None, 400, b""),
        Case("whitespace body", None, None, 400, b"   \n"),
        Case("malformed JSON", None, None, 400, b'{"sender": "x", "message": '),
        Case("JSON array", None, None, 400, b'["hello"]'),
        Case("JSON string", None, None, 400, b'"hello"'),
        Case("message a number", None, None, 400, _rest_body(sender, 42)),
        Case("message a list", None, None, 400, _rest_body(sender, ["hi"])),
        Case("message null", None, None, 400, _rest_body(sender, None)),
        Case("sender a number", None, None, 400, b'{"sender": 7, "message": "hi"}'),
        Case("huge sender id", None, None, 400, _rest_body("s" * 10_000, "hi")),
        Case("sender of 129", None, None, 400, _rest_body("s" * 129, "hi")),
        Case("invisible sender", None, None, 400, _rest_body(ZERO_WIDTH, "hi")),
        Case("surrogate sender", None, None, 400, _rest_body("\udc00x", "hi")),
        Case("1 MB body", None, None, 413, _rest_body(sender, "a" * MB)),
        Case("bad message_id", None, None, 400, _rest_body(sender, "hi", message_id=3)),
        Case(
            "metadata not an object",
            None,
            "does tuina hurt",
            200,
            _rest_body(sender, "does tuina hurt", metadata="x"),
        ),
    ]
    return [*TEXT_CASES, *wrong]


def user_texts(events: List[Dict[str, Any]]) -> List[str]:
    """The texts of the user events among `events`."""
    return [e.get("text") for e in events if e.get("event") == "user"]


def rows_to_events(
    rows: List[Tuple[int, str]], last: int
) -> Tuple[List[Dict[str, Any]], int]:
    """(events, last id) from (id, data) rows."""
    return [json.loads(data) for _, data in rows], max([last, *(i for i, _ in rows)])


def sqlite_events(path: str) -> EventReader:
    """Reads Rasa's SQL tracker store in SQLite (tests)."""

    def read(after: int) -> Tuple[List[Dict[str, Any]], int]:
        with sqlite3.connect(path) as db:
            rows = db.execute(EVENTS_AFTER.format(int(after))).fetchall()
        return rows_to_events(rows, after)

    return read


def judge(case: Case, status: int, new: List[Dict[str, Any]]) -> List[str]:
    """What is wrong with the outcome of `case`, given the events it stored."""
    problems = []
    if status >= 500 or status == 0:
        problems.append(f"status {status}")
    elif status != case.status:
        problems.append(f"status {status}, expected {case.status}")
    texts = user_texts(new)
    expected = [] if case.stored is None else [case.stored]
    if texts != expected:
        problems.append(f"stored {texts!r:.120}, expected {expected!r:.120}")
    slots = [e for e in new if e.get("event") == "slot" and e.get("name") == "phone"]
    if slots:
        problems.append("a phone number was set from typed input")
    return problems


def send_rest(url: str, case: Case, sender: str, address: str) -> int:
    """Posts the case to the REST webhook at `url`; returns the status (0: none)."""
    body = case.raw if case.raw is not None else _rest_body(sender, case.message)
    headers = {"Content-Type": "application/json", "X-Forwarded-For": address}
    try:
        return requests.post(
            f"{url}/webhooks/rest/webhook", data=body, headers=headers, timeout=30
        ).status_code
    except requests.RequestException:
        return 0


def wechat_cases() -> List[Case]:
    """The WeChat cases: the texts, plus requests that are wrong as a whole."""
    who = "o" + secrets.token_urlsafe(20)
    bad_xml = b"<xml><ToUserName><![CDATA[gh]]></ToUserName><Content>"
    return [
        # WeChat sends UTF-8 XML: a lone surrogate is invalid UTF-8 there.
        # WeChat sends XML: lone surrogates and control characters cannot be in it.
        *[
            c
            for c in TEXT_CASES
            if c.name not in {"lone surrogate", "control characters"}
        ],
        Case("lone surrogate", "tuina \ud800 hurt?", None, 400),
        Case("control characters", "tuina\x00\x07 price", None, 400),
        Case("malformed XML", None, None, 400, bad_xml),
        Case("not XML", None, None, 400, b"hello"),
        Case(
            "invalid UTF-8",
            None,
            None,
            400,
            message_xml(who, "text", 1, Content="x")
            .encode()
            .replace(b"x]]", b"\xed\xa0\x80]]"),
        ),
        Case(
            "huge OpenID",
            None,
            None,
            400,
            message_xml("o" * 10_000, "text", 2, Content="hi").encode(),
        ),
        Case("1 MB body", None, None, 413, b"<xml>" + b"a" * MB + b"</xml>"),
        Case(
            "image message",
            None,
            None,
            200,
            message_xml(who, "image", 3, PicUrl="http://x/y.png").encode(),
        ),
    ]


def send_wechat(url: str, token: str, case: Case, open_id: str, msg_id: int) -> int:
    """Posts the case, signed, to the WeChat webhook; returns the status (0: none)."""
    wechat = WeChat(url, token)
    if case.raw is not None:
        body = case.raw
    else:
        body = message_xml(open_id, "text", msg_id, Content=case.message).encode(
            "utf-8", "surrogatepass"
        )
    try:
        return wechat.post_raw(body, wechat.query()).status_code
    except requests.RequestException:
        return 0


def socketio_cases() -> List[Any]:
    """Socket.io: the texts as `message`, plus payloads of the wrong shape."""
    return [
        *TEXT_CASES,
        Case("message a number", 42, None),
        Case("message a list", ["hi"], None),
        Case("message missing", ..., None),
        Case("payload a string", "__raw__:hello", None),
        Case("1 MB message", "a" * MB, None),
    ]


def send_socketio(url: str, case: Case, wait: float = 5.0) -> List[str]:
    """Sends the case over socket.io (a real WebSocket) in a new conversation.

    Returns the bot's replies ("disconnected" if the server dropped the socket, which
    is how socket.io refuses an oversized message).
    """
    client = WidgetClient(url, reconnect=False).connect()
    try:
        if isinstance(case.message, str) and case.message.startswith("__raw__:"):
            client.emit_raw("user_uttered", case.message.removeprefix("__raw__:"))
        elif case.message is ...:
            client.emit_raw("user_uttered", {"session_id": client.session_id})
        else:
            client.send(case.message, timeout=wait)
        deadline = time.monotonic() + wait
        while not client.all_replies() and time.monotonic() < deadline:
            if not client.sio.connected:
                return ["disconnected"]
            time.sleep(0.1)
        time.sleep(0.3)  # a second bubble, if any
        return [str(r.get("text")) for r in client.all_replies()]
    finally:
        client.close()


def ws_url(url: str) -> str:
    """Socket.io's WebSocket endpoint at `url` (Engine.IO 4)."""
    return url.replace("http", "ws", 1) + "/socket.io/?EIO=4&transport=websocket"


class RawSocket:
    """A WebSocket speaking Engine.IO / Socket.IO by hand, to send broken frames."""

    def __init__(self, url: str, address: str = "192.0.2.200") -> None:
        """Connects, joins the default namespace and a new conversation."""
        self.ws = websocket.create_connection(
            ws_url(url), timeout=10, header=[f"X-Forwarded-For: {address}"]
        )
        assert self.ws.recv().startswith("0")  # Engine.IO's open packet
        self.ws.send("40")
        assert self.ws.recv().startswith("40")  # the namespace joined
        self.session_id = secrets.token_hex(16)
        self.emit("session_request", {"session_id": self.session_id})
        assert "session_confirm" in self.receive()

    def emit(self, event: str, data: Any) -> None:
        """A well-formed event."""
        self.ws.send("42" + json.dumps([event, data]))

    def receive(self, seconds: float = 10) -> str:
        """The next Socket.IO frame (answering Engine.IO pings); "" if none came."""
        self.ws.settimeout(seconds)
        try:
            while True:
                frame = self.ws.recv()
                if frame == "2":
                    self.ws.send("3")
                    continue
                return frame if isinstance(frame, str) else frame.decode("latin-1")
        except (websocket.WebSocketTimeoutException, TimeoutError):
            return ""

    def close(self) -> None:
        """Closes the socket."""
        with contextlib.suppress(OSError, websocket.WebSocketException):
            self.ws.close()


def frame_cases() -> List[Case]:
    """Broken frames on a real WebSocket; `message` is the frame ({sid}: the session).

    The first is well formed: it is stored, so the others' "nothing stored" is not
    true only because frames never arrive.
    """
    event = '42["user_uttered", {{"session_id": "{sid}", "message": "{text}"{more}}}]'
    good = event.format(sid="{sid}", text="does tuina hurt", more="")
    other = event.format(sid=secrets.token_hex(16), text="hi", more="")
    bad_id = event.format(sid="{sid}", text="hi", more=', "message_id": "a b!"')
    huge = event.format(sid="{sid}", text="a" * (2 * MB), more="")
    placeholder = '451-["user_uttered",{"_placeholder":true,"num":0}]'
    return [
        Case("well-formed frame (control)", good, "does tuina hurt"),
        Case("truncated JSON", good[:30], None),
        Case("JSON object, not an array", '42{"user_uttered": 1}', None),
        Case("empty event", "42[]", None),
        Case("event name a number", '42[7, {"message": "hi"}]', None),
        Case("unknown Socket.IO packet", '4z["user_uttered"]', None),
        Case("unknown Engine.IO packet", "9hello", None),
        Case("not Engine.IO", "hello", None),
        Case("binary garbage", b"\x00\xff\xfe\x42garbage", None),
        Case("attachment that never comes", placeholder, None),
        Case("another conversation", other, None),
        Case("bad message_id", bad_id, None),
        Case("2 MB frame", huge, None),
    ]


def check_frame(url: str, log: EventLog, case: Case) -> List[str]:
    """Sends one broken frame on a fresh WebSocket; returns the problems."""
    try:
        raw = RawSocket(url)
    except (OSError, websocket.WebSocketException, AssertionError) as error:
        return [f"could not connect: {error!r:.80}"]
    try:
        frame = case.message
        if isinstance(frame, str):
            raw.ws.send(frame.replace("{sid}", raw.session_id))
        else:
            raw.ws.send_binary(frame)
        answer = raw.receive(5 if case.stored else 1.5)
    except (OSError, websocket.WebSocketException):
        answer = "closed"  # how a server may refuse a frame
    finally:
        raw.close()
    problems = judge(case, 200, log.new())
    if case.stored is not None and "bot_uttered" not in answer:
        problems.append("no reply")
    return problems


def check_flood(url: str, log: EventLog, count: int = 150) -> List[str]:
    """`count` messages at once on one socket, while another visitor is answered.

    Each is acknowledged: accepted and stored once, or told the assistant is
    unavailable and not stored.
    """
    problems: List[str] = []
    flooder = WidgetClient(url, "192.0.2.201", reconnect=False).connect()
    other = WidgetClient(url, "192.0.2.202", reconnect=False).connect()
    ids = [f"flood-{n:04d}-{secrets.token_hex(4)}" for n in range(count)]
    acks: Dict[str, Any] = {}
    try:
        threads = [
            threading.Thread(
                target=lambda i=i: acks.__setitem__(
                    i, flooder.send("does tuina hurt", i, timeout=120)
                )
            )
            for i in ids
        ]
        for n, thread in enumerate(threads):
            thread.start()
            if n == count // 2:  # in the middle of the flood
                began = time.monotonic()
                answered = other.send("where are your clinics?", timeout=60)
                waited = time.monotonic() - began
        for thread in threads:
            thread.join()
        if (answered or {}).get("status") != "ok" or not other.wait_replies(
            answered["message_id"]
        ):
            problems.append("the other visitor was not answered during the flood")
        elif waited > 30:
            problems.append(f"the other visitor waited {waited:.0f} s")
        statuses = {i: (acks.get(i) or {}).get("status") for i in ids}
        if not set(statuses.values()) <= {"ok", "unavailable"}:
            problems.append(f"acknowledgements {Counter(statuses.values())}")
    finally:
        flooder.close()
        other.close()
    # Accepted ones are stored once; those whose turn waited for the conversation's
    # lock longer than a lock lives (10 s in the load harness) were answered with the
    # unavailable notice and are not stored.
    accepted = sorted(i for i, status in statuses.items() if status == "ok")
    stored = [e.get("message_id") for e in log.new() if e.get("event") == "user"]
    flood = sorted(i for i in stored if i in set(ids))
    if flood != accepted or not accepted:
        problems.append(f"stored {len(flood)}, accepted {len(accepted)} of {count}")
    return problems


class EventLog:
    """The events stored since the last look (the cases run one at a time)."""

    def __init__(self, read: EventReader) -> None:
        """Starts after the events already stored."""
        self.read = read
        _, self.last = read(0)

    def new(self) -> List[Dict[str, Any]]:
        """The events stored since the previous call."""
        events, self.last = self.read(self.last)
        return events


def check_rest(url: str, log: EventLog, case: Case, n: int) -> List[str]:
    """Sends a REST case as a new visitor at a new address; returns the problems."""
    sender = f"fuzz-rest-{secrets.token_hex(6)}"
    status = send_rest(url, case, sender, f"192.0.2.{n % 250 + 1}")
    return judge(case, status, log.new())


def check_wechat(url: str, token: str, log: EventLog, case: Case, n: int) -> List[str]:
    """Sends a WeChat case from a new OpenID; returns the problems."""
    open_id = "o" + secrets.token_urlsafe(20)
    status = send_wechat(url, token, case, open_id, 7_000_000 + n)
    return judge(case, status, log.new())


def check_socketio(url: str, log: EventLog, case: Case) -> List[str]:
    """Sends a socket.io case in a new conversation; returns the problems."""
    replies = send_socketio(url, case)
    problems = judge(case, 200, log.new())
    if case.stored is not None and not replies:
        problems.append("no reply")
    return problems
