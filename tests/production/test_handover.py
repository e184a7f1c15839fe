"""A hand-over holds across two Rasa servers sharing PostgreSQL and Redis.

Two real Rasa servers (each with its action server) on one PostgreSQL (tracker store
and outbox, where the hand-over table lives) and one Redis (locks), as behind nginx.
The visitor's widget sockets connect to both servers (a reconnection lands on the
other one); the console's calls (channels/handover.py) go to either server.
"""

from __future__ import annotations

import secrets
import time
from contextlib import ExitStack
from typing import Iterator, List, Tuple

import pytest
import requests
import socketio

from booking.outbox import Outbox
from handover.store import HandoverStore
from scripts.servers import Assistant
from tests.assistant import started_assistant
from tests.production.conftest import PROD_STORES

pytestmark = pytest.mark.postgres

SECRET = secrets.token_hex(16)


@pytest.fixture(scope="module")
def servers(tmp_path_factory, services) -> Iterator[Tuple[Assistant, Assistant]]:
    """Two Rasa servers on the same stores, knowing the console's secret."""
    database, cache = services
    env = {
        **database.info.env(),
        "REDIS_HOST": "127.0.0.1",
        "REDIS_PORT": str(cache.port),
        "REDIS_PASSWORD": "",
        "BOOKING_OUTBOX_URL": database.info.url,
        "HANDOVER_TOKEN": SECRET,
    }
    with ExitStack() as stack:
        first, second = (
            stack.enter_context(
                started_assistant(
                    tmp_path_factory.mktemp(name), stores=PROD_STORES, extra_env=env
                )
            )
            for name in ("first", "second")
        )
        yield first, second


class Socket:
    """One widget connection (a tab) to one server, collecting the bot's messages."""

    def __init__(self, server: Assistant, session_id: str) -> None:
        self.messages: List[str] = []
        self.session_id = session_id
        self.client = socketio.Client()
        self.client.on("bot_uttered", lambda data: self.messages.append(data["text"]))
        confirmed: List[str] = []
        self.client.on("session_confirm", confirmed.append)
        self.client.connect(server.url, transports=["websocket"])
        self.client.emit("session_request", {"session_id": session_id})
        wait(lambda: confirmed, "the session")

    def say(self, text: str) -> None:
        self.client.emit(
            "user_uttered", {"message": text, "session_id": self.session_id}
        )

    def close(self) -> None:
        self.client.disconnect()


def wait(condition, what: str, timeout: float = 20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def console_call(server: Assistant, route: str, **body) -> None:
    """What the console's Live page sends (console/pages/live.py, call_rasa)."""
    reply = requests.post(
        f"{server.url}/webhooks/handover/{route}",
        json=body,
        headers={"Authorization": f"Bearer {SECRET}"},
        timeout=30,
    )
    assert reply.status_code == 200, reply.text


def test_the_hand_over_holds_whichever_server_gets_the_message(servers, services):
    first, second = servers
    database, _ = services
    with Outbox(database.info.url) as outbox:
        store = HandoverStore(outbox)
        store.seen("rita")  # reception has the Live page open
        session = secrets.token_hex(16)
        on_first, on_second = Socket(first, session), Socket(second, session)
        try:
            on_first.say("can I talk to a real person?")
            wait(lambda: any("joining" in m for m in on_first.messages), "joining")
            assert store.claim(session, "rita")

            # Staff write through the second server: the first server's socket
            # gets it too (each server delivers to its own sockets).
            console_call(second, "message", sender=session, text="Hi, Rita here.",
                         staff="rita")  # fmt: skip
            for socket in (on_first, on_second):
                wait(lambda s=socket: "Hi, Rita here." in s.messages, "staff's words")

            # The visitor's messages reach either server: silence on both.
            count = len(on_first.messages)
            on_second.say("does tuina hurt?")
            on_first.say("what about cupping?")
            time.sleep(3)
            assert len(on_first.messages) == count
            # But a red flag is answered at once, by whichever server.
            on_second.say("I have crushing chest pain")
            wait(lambda: any("120" in m for m in on_second.messages), "emergency")

            # Handed back through the first server: told on both sockets, and the
            # assistant answers again on the second.
            assert store.end(session)
            console_call(first, "end", sender=session, staff="rita")
            for socket in (on_first, on_second):
                wait(lambda s=socket: any("back with" in m for m in s.messages), "back")
            before = len(on_second.messages)
            on_second.say("does tuina hurt?")
            wait(lambda: len(on_second.messages) > before, "the assistant's answer")
            fresh = requests.post(
                f"{second.url}/webhooks/rest/webhook",
                json={"sender": secrets.token_hex(16), "message": "does tuina hurt?"},
                timeout=30,
            ).json()
            assert on_second.messages[before] == fresh[0]["text"]
        finally:
            on_first.close()
            on_second.close()

    events = requests.get(
        f"{first.url}/conversations/{session}/tracker",
        params={"token": first.token},
        timeout=10,
    ).json()["events"]
    person = [e for e in events if (e.get("metadata") or {}).get("from_person")]
    assert [(e["text"], e["metadata"]["staff"]) for e in person] == [
        ("Hi, Rita here.", "rita")
    ]


def test_a_hand_over_stops_a_booking_form_in_progress(servers, services):
    first, second = servers
    database, _ = services
    with Outbox(database.info.url) as outbox:
        store = HandoverStore(outbox)
        store.seen("rita")
        session = secrets.token_hex(16)
        socket = Socket(first, session)
        try:
            socket.say("I'd like to book tuina")
            wait(lambda: socket.messages, "the form's first question")
            socket.say("can I talk to a real person?")
            wait(lambda: any("joining" in m for m in socket.messages), "joining")
            count = len(socket.messages)
            socket.say("tomorrow at 3pm")  # the form would have asked on
            time.sleep(3)
            assert len(socket.messages) == count
        finally:
            socket.close()
    tracker = requests.get(
        f"{second.url}/conversations/{session}/tracker",
        params={"token": second.token},
        timeout=10,
    ).json()
    assert tracker["active_loop"] in ({}, None) or not tracker["active_loop"].get(
        "name"
    )
