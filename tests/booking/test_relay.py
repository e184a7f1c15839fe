from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
import random
import signal
import subprocess
import sys
import threading
import time
from datetime import datetime, timedelta, timezone
from typing import Callable, Dict, Iterator, List

import pytest

from booking.client import BookingClient
from booking.outbox import Outbox
from booking.relay import Relay, next_delay
from booking.settings import ROOT, BookingSettings, booking_settings
from tests.booking.conftest import Location, outbox_env
from tests.fakes.booking_system import FakeBookingSystem, Reply

SECRET = "test-secret-3f9a"  # noqa: S105 - the fake's, for tests
NAME = "王小明"
PHONE = "+8613812345678"
BOOKING = {
    "service": "tuina",
    "clinic": "downtown",
    "preferred_time": "tomorrow at 3pm",
    "preferred_time_normalised": "2025-03-02T15:00:00+08:00",
    "name": NAME,
    "phone": PHONE,
    "practitioner": None,
    "note": None,
    "language": "en",
}


class Clock:
    """A clock the test moves by hand, so back-off needs no sleeping."""

    def __init__(self) -> None:
        self.now = datetime.now(timezone.utc)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture(scope="module")
def fake_system() -> Iterator[FakeBookingSystem]:
    with FakeBookingSystem(secret=SECRET) as fake:
        yield fake


@pytest.fixture
def fake(fake_system: FakeBookingSystem) -> FakeBookingSystem:
    """The module's fake, emptied (one TLS set-up for the whole module)."""
    fake_system.reset()
    return fake_system


def environment(location: Location, fake: FakeBookingSystem | None, **extra: str):
    env = outbox_env(location)
    if fake is not None:
        env.update(
            BOOKING_WEBHOOK_URL=fake.url,
            BOOKING_WEBHOOK_SECRET=SECRET,
            BOOKING_WEBHOOK_CA_BUNDLE=str(fake.ca_path),
        )
    return {**env, **extra}


class Setup:
    """An outbox, a client for the fake and a relay on a hand-moved clock."""

    def __init__(
        self, outbox_location: Location, fake: FakeBookingSystem, **extra: str
    ) -> None:
        self.settings: BookingSettings = booking_settings(
            environment(outbox_location, fake, **extra)
        )
        self.outbox = Outbox(self.settings.outbox)
        self.clock = Clock()
        self.client = BookingClient(
            fake.url, SECRET, self.settings.timeout_seconds, str(fake.ca_path)
        )
        self.relay = Relay(
            self.outbox,
            self.client,
            self.settings,
            random.Random(7),  # noqa: S311 - jitter
            self.clock,
        )

    def submit(self, conversation: str = "c1", **changes: object) -> str:
        payload = {**BOOKING, **changes}
        return self.outbox.submit(
            "booking", conversation, payload, self.clock()
        ).reference

    def only(self):
        (request,) = self.outbox.requests()
        return request


@pytest.fixture
def make_setup(
    outbox_location: Location, fake: FakeBookingSystem
) -> Iterator[Callable]:
    made: List[Setup] = []

    def make(**extra: str) -> Setup:
        made.append(Setup(outbox_location, fake, **extra))
        return made[-1]

    yield make
    for each in made:
        each.outbox.close()


@pytest.fixture
def setup(make_setup: Callable) -> Setup:
    return make_setup()


def test_a_request_is_delivered_once(setup: Setup, fake: FakeBookingSystem) -> None:
    reference = setup.submit()

    assert setup.relay.run_once() == 1
    assert setup.relay.run_once() == 0

    (booking,) = fake.bookings
    assert booking["reference"] == reference
    assert booking["kind"] == "booking"
    assert booking["request"] == BOOKING
    assert len(fake.attempts) == 1
    request = setup.only()
    assert (request.status, request.attempts) == ("delivered", 1)
    assert request.delivered_at == setup.clock.now


def test_the_body_is_signed_with_an_hmac_the_fake_can_verify(
    setup: Setup, fake: FakeBookingSystem
) -> None:
    setup.submit()
    setup.relay.run_once()

    (attempt,) = fake.attempts
    timestamp = attempt.headers["X-BodySoul-Timestamp"]
    expected = hmac.new(
        SECRET.encode(), f"{timestamp}.".encode() + attempt.body, hashlib.sha256
    ).hexdigest()
    assert attempt.headers["X-BodySoul-Signature"] == f"sha256={expected}"
    assert abs(int(timestamp) - time.time()) < 60
    assert attempt.headers["Content-Type"] == "application/json"
    assert attempt.idempotency_key == setup.only().idempotency_key
    # Compact UTF-8, Chinese not escaped.
    assert NAME.encode("utf-8") in attempt.body and b": " not in attempt.body


def test_a_wrong_secret_is_refused_and_not_retried(
    make_setup: Callable, fake: FakeBookingSystem
) -> None:
    setup = make_setup()
    setup.client = BookingClient(fake.url, "wrong", 5, str(fake.ca_path))
    relay = Relay(setup.outbox, setup.client, setup.settings, clock=setup.clock)
    setup.submit()

    relay.run_once()

    assert [a.status for a in fake.attempts] == [401]
    assert fake.bookings == []
    assert (setup.only().status, setup.only().last_error) == (
        "failed",
        "HTTP 401 Unauthorized",
    )


def test_500_then_200_is_delivered_once(setup: Setup, fake: FakeBookingSystem) -> None:
    fake.respond(500)
    setup.submit()

    assert setup.relay.run_once() == 1
    pending = setup.only()
    assert (pending.status, pending.attempts) == ("pending", 1)
    assert pending.last_error == "HTTP 500 Internal Server Error"
    assert setup.relay.run_once() == 0  # backing off

    setup.clock.advance(setup.settings.retry_max_seconds)
    assert setup.relay.run_once() == 1

    assert [a.status for a in fake.attempts] == [500, 200]
    assert len({a.idempotency_key for a in fake.attempts}) == 1
    assert len(fake.bookings) == 1
    assert (setup.only().status, setup.only().attempts) == ("delivered", 2)


def test_requests_wait_while_the_system_is_down_then_go_once(
    setup: Setup, fake: FakeBookingSystem
) -> None:
    fake.down()
    setup.submit()
    for _ in range(3):
        setup.relay.run_once()
        setup.clock.advance(setup.settings.retry_max_seconds)
    waiting = setup.only()
    assert (waiting.status, waiting.attempts) == ("pending", 3)
    assert waiting.last_error.startswith("could not connect")

    fake.up()
    assert setup.relay.run_once() == 1

    assert len(fake.bookings) == 1
    assert len(fake.attempts) == 1
    assert setup.only().status == "delivered"


def test_a_400_is_not_retried_and_is_logged_loudly_without_patient_data(
    setup: Setup, fake: FakeBookingSystem, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    fake.respond(400)
    reference = setup.submit()

    setup.relay.run_once()
    setup.clock.advance(86400)
    assert setup.relay.run_once() == 0

    assert len(fake.attempts) == 1
    failed = setup.only()
    assert (failed.status, failed.attempts) == ("failed", 1)
    (error,) = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert reference in error.getMessage()
    assert "HTTP 400" in error.getMessage()
    assert "python -m booking.staff list --status failed" in error.getMessage()
    assert NAME not in caplog.text
    assert PHONE[1:] not in caplog.text and "13812345678" not in caplog.text


def test_429_waits_at_least_as_long_as_retry_after(
    make_setup: Callable, fake: FakeBookingSystem
) -> None:
    setup = make_setup(
        BOOKING_RETRY_BASE_SECONDS="0.01", BOOKING_RETRY_MAX_SECONDS="0.02"
    )
    fake.respond(Reply(429, retry_after=120))
    setup.submit()

    setup.relay.run_once()
    assert setup.only().next_attempt_at >= setup.clock.now + timedelta(seconds=120)
    setup.clock.advance(119)
    assert setup.relay.run_once() == 0
    setup.clock.advance(1.5)
    assert setup.relay.run_once() == 1

    assert [a.status for a in fake.attempts] == [429, 200]
    assert setup.only().status == "delivered"


def test_a_timeout_is_retried_and_the_booking_is_still_held_once(
    make_setup: Callable, fake: FakeBookingSystem
) -> None:
    setup = make_setup(BOOKING_TIMEOUT_SECONDS="0.3")
    # The booking system accepts the first POST, but answers too late.
    fake.respond(Reply(200, delay=1.0))
    setup.submit()

    setup.relay.run_once()
    timed_out = setup.only()
    assert (timed_out.status, timed_out.last_error) == ("pending", "no answer in 0.3 s")

    setup.clock.advance(setup.settings.retry_max_seconds)
    assert setup.relay.run_once() == 1
    attempts = fake.wait_for(2)

    assert [a.status for a in attempts] == [200, 200]
    assert len(fake.bookings) == 1
    assert setup.only().status == "delivered"


def test_after_max_attempts_the_request_fails_loudly(
    make_setup: Callable, fake: FakeBookingSystem, caplog: pytest.LogCaptureFixture
) -> None:
    setup = make_setup(BOOKING_MAX_ATTEMPTS="3")
    fake.respond(500, 502, 503)
    reference = setup.submit()

    for _ in range(5):
        setup.relay.run_once()
        setup.clock.advance(setup.settings.retry_max_seconds)

    assert [a.status for a in fake.attempts] == [500, 502, 503]
    failed = setup.only()
    assert (failed.status, failed.attempts) == ("failed", 3)
    assert failed.last_error == "HTTP 503 Service Unavailable"
    (error,) = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert reference in error.getMessage() and "no attempts left" in error.getMessage()


def test_two_relays_on_one_outbox_send_each_request_once(
    outbox_location: Location, fake: FakeBookingSystem
) -> None:
    settings = booking_settings(environment(outbox_location, fake))
    with Outbox(settings.outbox) as outbox:
        for i in range(12):
            outbox.submit("booking", f"c{i}", BOOKING)
    relays = []
    for _ in range(2):
        client = BookingClient(fake.url, SECRET, 5, str(fake.ca_path))
        relays.append(Relay(Outbox(settings.outbox), client, settings))
    start = threading.Barrier(2)

    def run(relay: Relay) -> None:
        start.wait()
        relay.run_once()

    threads = [threading.Thread(target=run, args=(relay,)) for relay in relays]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(fake.attempts) == 12
    assert len(fake.bookings) == 12
    for relay in relays:
        relay._outbox.close()


def test_without_a_webhook_requests_wait_for_staff(
    outbox_location: Location, caplog: pytest.LogCaptureFixture
) -> None:
    settings = booking_settings(environment(outbox_location, None))
    assert settings.webhook_url is None
    with Outbox(settings.outbox) as outbox:
        outbox.submit("booking", "c1", BOOKING)
        relay = Relay(outbox, None, settings)

        assert relay.run_once(datetime.now(timezone.utc) + timedelta(days=1)) == 0
        (request,) = outbox.requests()

    assert (request.status, request.attempts) == ("pending", 0)
    (warning,) = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert "python -m booking.staff list" in warning.getMessage()


def child_env(
    outbox_location: Location, fake: FakeBookingSystem, **extra: str
) -> Dict[str, str]:
    inherited = {k: v for k, v in os.environ.items() if not k.startswith("BOOKING_")}
    return {**inherited, **environment(outbox_location, fake, **extra)}


SUBMIT_THEN_DIE = """
import json, os, signal
from booking.settings import booking_settings
from booking.outbox import Outbox
outbox = Outbox(booking_settings().outbox)
print(outbox.submit("booking", "c1", json.loads(os.environ["PAYLOAD"])).reference)
os.kill(os.getpid(), signal.SIGKILL)  # no clean-up, no relay: a crash
"""


def test_a_crash_after_writing_loses_nothing_a_new_relay_process_sends_it_once(
    outbox_location: Location, fake: FakeBookingSystem
) -> None:
    env = child_env(outbox_location, fake, BOOKING_POLL_SECONDS="0.05")
    writer = subprocess.run(  # noqa: S603 - our own code
        [sys.executable, "-c", SUBMIT_THEN_DIE],
        cwd=ROOT,
        env={**env, "PAYLOAD": json.dumps(BOOKING)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert writer.returncode == -signal.SIGKILL, writer.stderr
    reference = writer.stdout.strip()
    assert fake.attempts == []

    relay = subprocess.Popen(
        [sys.executable, "-m", "booking.relay"],
        cwd=ROOT,
        env=env,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 20
        while not fake.bookings and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.3)  # a few more polls: nothing else may be sent
    finally:
        relay.send_signal(signal.SIGTERM)
        _, log = relay.communicate(timeout=20)

    assert relay.returncode == 0, log
    (booking,) = fake.bookings
    assert booking["reference"] == reference
    assert len(fake.attempts) == 1
    assert f"Delivered {reference}" in log and "Relay stopped" in log
    assert NAME not in log and "13812345678" not in log
    with Outbox(outbox_location) as outbox:
        assert [r.status for r in outbox.requests()] == ["delivered"]


SEND_THEN_DIE = """
import os, signal
from booking.client import BookingClient
from booking.settings import booking_settings
from booking.outbox import Outbox
from booking.relay import Relay

class DiesAfterPosting(BookingClient):
    def deliver(self, request):
        super().deliver(request)
        os.kill(os.getpid(), signal.SIGKILL)  # before the outbox hears of it

settings = booking_settings()
client = DiesAfterPosting(settings.webhook_url, settings.webhook_secret, 5,
                          settings.ca_bundle)
Relay(Outbox(settings.outbox), client, settings).run_once()
"""


def test_a_crash_after_posting_resends_with_the_same_key_and_is_held_once(
    outbox_location: Location, fake: FakeBookingSystem
) -> None:
    env = child_env(outbox_location, fake)
    with Outbox(outbox_location) as outbox:
        outbox.submit("booking", "c1", BOOKING)
    crashed = subprocess.run(  # noqa: S603 - our own code
        [sys.executable, "-c", SEND_THEN_DIE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert crashed.returncode == -signal.SIGKILL, crashed.stderr
    assert len(fake.bookings) == 1

    settings = booking_settings(environment(outbox_location, fake))
    clock = Clock()
    with Outbox(settings.outbox) as outbox:
        client = BookingClient(fake.url, SECRET, 5, str(fake.ca_path))
        relay = Relay(outbox, client, settings, clock=clock)
        # The dead relay's claim still holds: nobody sends it meanwhile.
        assert relay.run_once() == 0
        clock.advance(2 * settings.timeout_seconds + 10)
        assert relay.run_once() == 1
        (request,) = outbox.requests()

    first, second = fake.attempts
    assert first.idempotency_key == second.idempotency_key == request.idempotency_key
    assert len(fake.bookings) == 1
    assert (request.status, request.attempts) == ("delivered", 1)


def test_retention_purge_keeps_recent_and_undelivered_requests(setup: Setup) -> None:
    setup.submit("old")
    setup.relay.run_once()
    setup.clock.advance(20 * 86400)
    setup.submit("recent")
    setup.relay.run_once()
    setup.submit("pending", note="still waiting")  # not yet sent

    setup.clock.advance(11 * 86400)  # "old" was delivered 31 days ago
    assert setup.relay.purge() == 1

    assert sorted(r.status for r in setup.outbox.requests()) == ["delivered", "pending"]


def test_back_off_grows_with_jitter_up_to_the_cap() -> None:
    rng = random.Random(1)  # noqa: S311 - jitter
    for attempts, ceiling in [(1, 2.0), (2, 4.0), (3, 8.0), (9, 300.0), (500, 300.0)]:
        delays = [next_delay(attempts, 2.0, 300.0, rng) for _ in range(200)]
        assert all(ceiling / 2 <= d <= ceiling for d in delays)
        assert max(delays) - min(delays) > ceiling / 4  # jittered, not fixed


def test_settings_defaults_and_loopback_http() -> None:
    settings = booking_settings({})
    assert settings.outbox_path == ROOT / "bookings.db"
    assert settings.webhook_url is None
    assert (settings.max_attempts, settings.retry_base_seconds) == (20, 2.0)
    assert (settings.retry_max_seconds, settings.timeout_seconds) == (300.0, 5.0)
    assert (settings.poll_seconds, settings.retention_days) == (0.5, 30)
    local = booking_settings(
        {"BOOKING_WEBHOOK_URL": "http://127.0.0.1:9/x", "BOOKING_WEBHOOK_SECRET": "s"}
    )
    assert local.webhook_url == "http://127.0.0.1:9/x"


@pytest.mark.parametrize(
    ("environ", "named"),
    [
        ({"BOOKING_MAX_ATTEMPTS": "many"}, "BOOKING_MAX_ATTEMPTS"),
        ({"BOOKING_MAX_ATTEMPTS": "0"}, "BOOKING_MAX_ATTEMPTS"),
        ({"BOOKING_TIMEOUT_SECONDS": "5s"}, "BOOKING_TIMEOUT_SECONDS"),
        ({"BOOKING_WEBHOOK_URL": "https://clinic.example/x"}, "BOOKING_WEBHOOK_SECRET"),
        (
            {
                "BOOKING_WEBHOOK_URL": "http://clinic.example/x",
                "BOOKING_WEBHOOK_SECRET": "s",
            },
            "https://",
        ),
        ({"BOOKING_WEBHOOK_URL": "clinic.example"}, "BOOKING_WEBHOOK_URL"),
        (
            {"BOOKING_WEBHOOK_CA_BUNDLE": "/nonexistent.pem"},
            "BOOKING_WEBHOOK_CA_BUNDLE",
        ),
    ],
)
def test_bad_settings_are_refused_with_a_message_naming_the_variable(
    environ: Dict[str, str], named: str
) -> None:
    with pytest.raises(ValueError, match=named):
        booking_settings(environ)
