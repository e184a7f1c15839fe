"""The clinic's booking system, faked as a real HTTPS server on 127.0.0.1.

In tests:

    with FakeBookingSystem(secret="s") as fake:
        fake.respond(500, Reply(429, retry_after=2), 200)  # then 200s
        ...  # BOOKING_WEBHOOK_URL=fake.url, BOOKING_WEBHOOK_CA_BUNDLE=fake.ca_path
        assert len(fake.bookings) == 1

From another process (an end-to-end run):

    python -m tests.fakes.booking_system --port 8443 --ca-out ca.pem --secret s

prints its URL when ready; `GET /bookings` returns what it holds as JSON.

Like a real idempotent API it checks the HMAC signature and its timestamp (401 if
wrong) and keeps one booking per Idempotency-Key, answering 200 to a repeat.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import hmac
import json
import os
import shutil
import signal
import ssl
import tempfile
import threading
import time
from collections import deque
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Deque, Dict, List

import trustme

MAX_CLOCK_SKEW_SECONDS = 300
WEBHOOK_PATH = "/bookings"
FIELDS = {"reference", "kind", "created_at", "request"}


@dataclass(frozen=True)
class Reply:
    """A scripted answer: status, seconds to wait first, and a Retry-After."""

    status: int = 200
    delay: float = 0.0
    retry_after: float | None = None


@dataclass(frozen=True)
class Attempt:
    """One HTTP request received, and the status it was answered with."""

    idempotency_key: str | None
    status: int
    headers: Dict[str, str]
    body: bytes
    received: float  # time.monotonic() when the request arrived


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False  # a scripted delay must not hold up stopping

    def __init__(self, port: int, fake: FakeBookingSystem) -> None:
        self.fake = fake
        super().__init__(("127.0.0.1", port), _Handler)
        # The handshake happens in the request's thread, not in accept().
        self.socket = fake.tls.wrap_socket(
            self.socket, server_side=True, do_handshake_on_connect=False
        )

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # clients that time out and hang up are part of the tests


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    timeout = 10

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        if self.path != WEBHOOK_PATH:
            self._send(404, {"error": "not found"})
            return
        fake = self.server.fake
        attempts = [
            {"idempotency_key": a.idempotency_key, "status": a.status}
            for a in fake.attempts
        ]
        self._send(200, {"bookings": fake.bookings, "attempts": attempts})

    def do_POST(self) -> None:
        fake = self.server.fake
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        received = time.monotonic()
        key = self.headers.get("Idempotency-Key")
        status, retry_after = fake._answer(self.path, dict(self.headers), body)
        fake._record(Attempt(key, status, dict(self.headers), body, received))
        extra = {"Retry-After": f"{retry_after:g}"} if retry_after is not None else {}
        # The client may have given up waiting (a scripted delay).
        with contextlib.suppress(OSError):
            self._send(status, {"status": status}, extra)

    def _send(
        self, status: int, document: Any, headers: Dict[str, str] | None = None
    ) -> None:
        data = json.dumps(document, ensure_ascii=False).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)


class FakeBookingSystem:
    """A scriptable booking system on https://127.0.0.1:<port>/bookings."""

    def __init__(
        self,
        secret: str = "test-secret",  # noqa: S107 - a fake's, for tests
        port: int = 0,
        ca_path: Path | None = None,
    ) -> None:
        """Creates a CA and a certificate for 127.0.0.1; call start() to listen."""
        self.secret = secret
        ca = trustme.CA()
        self.tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ca.issue_cert("127.0.0.1", "localhost").configure_cert(self.tls)
        self._tmp = None if ca_path else tempfile.mkdtemp(prefix="fake-booking-")
        self.ca_path = Path(ca_path or Path(self._tmp or "") / "ca.pem")
        ca.cert_pem.write_to_path(str(self.ca_path))
        self.port = port
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._script: Deque[Reply] = deque()
        self._bookings: Dict[str, Dict[str, Any]] = {}
        self._attempts: List[Attempt] = []
        self._stopping = threading.Event()
        self._failing: tuple[float, int] = (0.0, 200)  # (until, status)

    @property
    def url(self) -> str:
        """The webhook URL, for BOOKING_WEBHOOK_URL."""
        return f"https://127.0.0.1:{self.port}{WEBHOOK_PATH}"

    @property
    def bookings(self) -> List[Dict[str, Any]]:
        """The accepted bookings (JSON bodies), one per Idempotency-Key."""
        with self._lock:
            return list(self._bookings.values())

    @property
    def attempts(self) -> List[Attempt]:
        """Every request received, repeats and refusals included."""
        with self._lock:
            return list(self._attempts)

    def respond(self, *replies: int | Reply) -> None:
        """Queues answers for the next requests; after them, 200 again."""
        with self._lock:
            self._script.extend(
                r if isinstance(r, Reply) else Reply(r) for r in replies
            )

    def fail_for(self, seconds: float, status: int = 500) -> None:
        """Answers every valid request with `status` for the next `seconds`."""
        with self._lock:
            self._failing = (time.monotonic() + seconds, status)

    def reset(self) -> None:
        """Forgets bookings, attempts and script, and listens again if down."""
        with self._lock:
            self._script.clear()
            self._bookings.clear()
            self._attempts.clear()
        if self._server is None:
            self.start()

    def start(self) -> FakeBookingSystem:
        """Starts listening (on the same port as before, after down())."""
        self._server = _Server(self.port, self)
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}
        )
        self._thread.daemon = True
        self._thread.start()
        return self

    def down(self) -> None:
        """Stops listening: connections are refused until up()."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def up(self) -> None:
        """Listens again on the same port."""
        self.start()

    def stop(self) -> None:
        """Stops listening for good and removes the CA file it made."""
        self._stopping.set()
        self.down()
        if self._tmp:
            shutil.rmtree(self._tmp, ignore_errors=True)

    def wait_for(self, attempts: int, timeout: float = 10) -> List[Attempt]:
        """Waits until `attempts` requests have been answered; returns them all."""
        deadline = time.monotonic() + timeout
        while len(self.attempts) < attempts and time.monotonic() < deadline:
            time.sleep(0.01)
        return self.attempts

    def __enter__(self) -> FakeBookingSystem:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def _answer(
        self, path: str, headers: Dict[str, str], body: bytes
    ) -> tuple[int, float | None]:
        if path != WEBHOOK_PATH:
            return 404, None
        if not self._verified(headers, body):
            return 401, None
        key = headers.get("Idempotency-Key")
        try:
            document = json.loads(body)
        except ValueError:
            return 400, None
        if not key or not isinstance(document, dict) or FIELDS - document.keys():
            return 400, None
        with self._lock:
            until, status = self._failing
            if time.monotonic() < until:
                reply = Reply(status)
            else:
                reply = self._script.popleft() if self._script else Reply()
        if reply.delay:
            self._stopping.wait(reply.delay)
        if 200 <= reply.status < 300:
            with self._lock:
                self._bookings.setdefault(key, document)
        return reply.status, reply.retry_after

    def _verified(self, headers: Dict[str, str], body: bytes) -> bool:
        # Checked here with hmac directly, not with the client's sign(): a bug
        # shared by both would otherwise go unnoticed.
        try:
            timestamp = int(headers["X-BodySoul-Timestamp"])
        except (KeyError, ValueError):
            return False
        if abs(time.time() - timestamp) > MAX_CLOCK_SKEW_SECONDS:
            return False
        expected = hmac.new(
            self.secret.encode("utf-8"),
            str(timestamp).encode("ascii") + b"." + body,
            hashlib.sha256,
        ).hexdigest()
        given = headers.get("X-BodySoul-Signature", "")
        return hmac.compare_digest(f"sha256={expected}", given)

    def _record(self, attempt: Attempt) -> None:
        with self._lock:
            self._attempts.append(attempt)


def main() -> None:
    """Runs the fake until SIGTERM or Ctrl-C, printing its URL when ready."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=0, help="0: any free port")
    parser.add_argument(
        "--ca-out", type=Path, required=True, help="where to write the CA (PEM)"
    )
    parser.add_argument(
        "--secret",
        default=os.environ.get("BOOKING_WEBHOOK_SECRET"),
        help="the HMAC secret (default: $BOOKING_WEBHOOK_SECRET)",
    )
    args = parser.parse_args()
    if not args.secret:
        parser.error("give --secret or set BOOKING_WEBHOOK_SECRET")
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    with FakeBookingSystem(args.secret, args.port, args.ca_out) as fake:
        print(fake.url, flush=True)
        while not stop.wait(1):
            pass


if __name__ == "__main__":
    main()
