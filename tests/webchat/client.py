"""A website visitor's socket.io over a real WebSocket, as the widget does it.

The same protocol as webchat/widget.js: `session_request` / `session_confirm` on
every (re)connection, each `user_uttered` with a `message_id` and an acknowledgement,
messages not acknowledged sent again with the same id after a reconnect, replies
matched to their message by `reply_to` (a repeat's marked `replayed`).

python-socketio's client over websocket-client, both pinned. Its synchronous client:
the asyncio one needs, for WebSocket, an aiohttp newer than Rasa 3.6 allows (< 3.10,
`ClientWSTimeout`), so callers run each visitor in a thread of their own.
"""

from __future__ import annotations

import contextlib
import secrets
import threading
import time
import uuid
from collections import defaultdict
from typing import Any, Dict, List

import socketio

# Socket.io's acknowledgement statuses (channels/webchat.py), as HTTP statuses, so
# every channel's client errors read alike: ok 200, refused 400, error 500,
# unavailable 503; no acknowledgement in time 0.
ACK_STATUS = {"ok": 200, "refused": 400, "error": 500, "unavailable": 503}


class WidgetClient:
    """One visitor's widget connection (a thread-safe, blocking API)."""

    def __init__(
        self,
        url: str,
        address: str = "",
        reconnect: bool = True,
        session_id: str | None = None,
    ) -> None:
        """`url` is the site (nginx or a Rasa server); `address` the visitor's IP."""
        self.url, self.address = url, address
        self.session_id = session_id or secrets.token_hex(16)
        self.sio = socketio.Client(
            reconnection=reconnect,
            reconnection_delay=0.5,
            reconnection_delay_max=3,
            handle_sigint=False,
        )
        self.confirmed = threading.Event()
        self.connections = 0  # session_confirms: more than one means it reconnected
        self.resent = 0  # messages sent again after a reconnect
        self._lock = threading.Lock()
        self._pending: Dict[str, Dict[str, Any]] = {}
        self._acks: Dict[str, Dict[str, Any]] = {}
        self._acked: Dict[str, threading.Event] = {}
        self._replies: Dict[str, List[Dict[str, Any]]] = defaultdict(list)
        self.sio.on("connect", self._on_connect)
        self.sio.on("disconnect", self._on_disconnect)
        self.sio.on("session_confirm", self._on_confirm)
        self.sio.on("bot_uttered", self._on_bot)

    def connect(self, timeout: float = 20) -> WidgetClient:
        """Opens the WebSocket and waits for the conversation to be confirmed."""
        headers = {"X-Forwarded-For": self.address} if self.address else {}
        self.sio.connect(
            self.url,
            headers=headers,
            transports=["websocket"],
            socketio_path="/socket.io",
            wait_timeout=10,
        )
        if not self.confirmed.wait(timeout):
            raise TimeoutError("no session_confirm")
        return self

    def close(self) -> None:
        """Closes the connection (no reconnection)."""
        self.sio.reconnection = False
        try:
            self.sio.disconnect()
        finally:
            self.sio.shutdown()

    def send(
        self,
        text: Any,
        message_id: str | None = None,
        timeout: float = 30,
        **extra: Any,
    ) -> Dict[str, Any] | None:
        """Sends a message; its acknowledgement, or None if none came in `timeout`.

        Sent again, with the same id, after each reconnection until acknowledged.
        """
        message_id = message_id or uuid.uuid4().hex
        acked = threading.Event()
        with self._lock:
            self._acked[message_id] = acked
            self._acks.pop(message_id, None)
            self._pending[message_id] = {"message": text, "message_id": message_id}
            self._pending[message_id].update(extra)
        if self.confirmed.is_set():
            self._transmit(message_id)
        acked.wait(timeout)
        with self._lock:
            self._pending.pop(message_id, None)
            return self._acks.get(message_id)

    def replies(self, message_id: str) -> List[Dict[str, Any]]:
        """The bot messages answering `message_id`: the first ones, else a replay's."""
        with self._lock:
            got = list(self._replies.get(message_id, []))
        first = [r for r in got if not r.get("replayed")]
        return first or got

    def all_replies(self) -> List[Dict[str, Any]]:
        """Every bot message this client received, answering anything."""
        with self._lock:
            return [r for replies in self._replies.values() for r in replies]

    def wait_replies(self, message_id: str, timeout: float = 5) -> List[Dict]:
        """The replies to `message_id`, waiting up to `timeout` for the first."""
        deadline = time.monotonic() + timeout
        while not self.replies(message_id) and time.monotonic() < deadline:
            time.sleep(0.05)
        return self.replies(message_id)

    def emit_raw(self, event: str, data: Any) -> None:
        """Emits anything, as a broken or hostile client would."""
        self.sio.emit(event, data)

    def _transmit(self, message_id: str) -> None:
        with self._lock:
            data = self._pending.get(message_id)
            if data is None:
                return
            data = {**data, "session_id": self.session_id}
        # Disconnected meanwhile: sent again on the next session_confirm.
        with contextlib.suppress(socketio.exceptions.SocketIOError):
            self.sio.emit(
                "user_uttered",
                data,
                callback=lambda ack=None: self._on_ack(message_id, ack),
            )

    def _on_ack(self, message_id: str, ack: Any) -> None:
        with self._lock:
            self._acks[message_id] = ack if isinstance(ack, dict) else {"status": "?"}
            self._pending.pop(message_id, None)
            event = self._acked.get(message_id)
        if event is not None:
            event.set()

    def _on_connect(self) -> None:
        self.sio.emit("session_request", {"session_id": self.session_id})

    def _on_disconnect(self, *_: Any) -> None:
        self.confirmed.clear()

    def _on_confirm(self, session_id: Any) -> None:
        if isinstance(session_id, str):
            self.session_id = session_id
        self.connections += 1
        self.confirmed.set()
        with self._lock:
            pending = list(self._pending)
        if self.connections > 1:
            self.resent += len(pending)
        for message_id in pending:
            self._transmit(message_id)

    def _on_bot(self, data: Any) -> None:
        if isinstance(data, dict):
            with self._lock:
                self._replies[str(data.get("reply_to") or "")].append(data)
