"""Forwards pending requests from the outbox to the clinic's booking system.

    python -m booking.relay

Runs until SIGTERM or Ctrl-C. Settings come from the BOOKING_* environment variables
(booking/settings.py). Without BOOKING_WEBHOOK_URL it only purges old delivered
requests: the rest wait in the outbox for staff (`python -m booking.staff list`).
"""

from __future__ import annotations

import argparse
import logging
import random
import signal
import sys
import threading
import time
from datetime import datetime, timedelta, timezone
from typing import Callable, List
from urllib.parse import urlsplit

from booking.client import BookingClient, DeliveryResult
from booking.outbox import Outbox, Request, describe
from booking.settings import BookingSettings, booking_settings

logger = logging.getLogger(__name__)

PURGE_EVERY_SECONDS = 3600.0
BATCH = 20
STAFF_HINT = "see python -m booking.staff list --status failed"

Clock = Callable[[], datetime]


def next_delay(attempts: int, base: float, cap: float, rng: random.Random) -> float:
    """Seconds to wait after `attempts` failed attempts (1 = the first failed).

    Exponential back-off with "equal jitter": the ceiling doubles per attempt
    (base, 2 base, 4 base, ... up to cap) and the delay is uniform in its upper
    half. Jitter spreads out requests that failed together (the booking system was
    down for all of them); unlike full jitter, the lower bound keeps a retry from
    following a failure almost at once.
    """
    # The exponent is bounded so a large BOOKING_MAX_ATTEMPTS cannot overflow.
    ceiling = min(cap, base * 2 ** min(max(attempts - 1, 0), 60))
    return rng.uniform(ceiling / 2, ceiling)


def _utcnow() -> datetime:
    return datetime.now(timezone.utc)


class Relay:
    """Delivers due requests, retries with back-off and gives up loudly."""

    def __init__(
        self,
        outbox: Outbox,
        client: BookingClient | None,
        settings: BookingSettings,
        rng: random.Random | None = None,
        clock: Clock | None = None,
    ) -> None:
        """Relays from `outbox` through `client` (None: no booking system)."""
        self._outbox = outbox
        self._client = client
        self._settings = settings
        self._rng = rng or random.Random()  # noqa: S311 - jitter, not secrets
        self._clock = clock or _utcnow
        # Long enough for a connect and a read to time out, so a request is never
        # sent twice at once; short enough that a crashed relay's requests go soon.
        self._lease = timedelta(seconds=2 * settings.timeout_seconds + 10)
        if client is None:
            logger.warning(
                "BOOKING_WEBHOOK_URL is not set: booking requests are NOT forwarded; "
                "they wait in %s for staff (python -m booking.staff list).",
                describe(settings.outbox),
            )

    def run_once(self, now: datetime | None = None) -> int:
        """Delivers what is due at `now` (default: the clock); returns how many."""
        if self._client is None:
            return 0
        now = now or self._clock()
        handled = 0
        for request in self._outbox.due(now, limit=BATCH):
            until = max(now, self._clock()) + self._lease
            if not self._outbox.claim(request.id, now, until):
                continue  # another relay has it
            self._settle(request, self._client.deliver(request))
            handled += 1
        return handled

    def purge(self) -> int:
        """Deletes delivered requests older than the retention period."""
        days = self._settings.retention_days
        purged = self._outbox.purge_delivered(timedelta(days=days), self._clock())
        if purged:
            logger.info("Purged %d delivered requests older than %d days", purged, days)
        return purged

    def run_forever(self, stop: threading.Event) -> None:
        """Polls until `stop` is set, purging old delivered requests about hourly."""
        last_purge = -PURGE_EVERY_SECONDS
        while not stop.is_set():
            busy = False
            # A failing disk or a bug in one request must not stop the relay: the
            # request stays pending and the next poll tries again.
            try:
                if time.monotonic() - last_purge >= PURGE_EVERY_SECONDS:
                    last_purge = time.monotonic()
                    self.purge()
                busy = self.run_once() >= BATCH
            except Exception:
                logger.exception("Relay poll failed; trying again")
            if not busy:
                stop.wait(self._settings.poll_seconds)

    def _settle(self, request: Request, result: DeliveryResult) -> None:
        attempt = request.attempts + 1
        if result.delivered:
            self._outbox.mark_delivered(request.id, self._clock())
            logger.info("Delivered %s (attempt %d)", request.reference, attempt)
            return
        error = result.error or "unknown error"
        if result.retry and attempt < self._settings.max_attempts:
            delay = next_delay(
                attempt,
                self._settings.retry_base_seconds,
                self._settings.retry_max_seconds,
                self._rng,
            )
            if result.retry_after is not None:
                delay = max(delay, result.retry_after)
            self._outbox.schedule_retry(
                request.id, self._clock() + timedelta(seconds=delay), error
            )
            logger.warning(
                "Could not deliver %s (attempt %d of %d): %s; next try in %.0f s",
                request.reference,
                attempt,
                self._settings.max_attempts,
                error,
                delay,
            )
            return
        self._outbox.mark_failed(request.id, error)
        why = "not retryable" if not result.retry else "no attempts left"
        logger.error(
            "BOOKING REQUEST %s FAILED after %d attempt(s) (%s): %s. The clinic has "
            "NOT received this %s request: %s, and phone the patient.",
            request.reference,
            attempt,
            why,
            error,
            request.kind,
            STAFF_HINT,
        )


def main(argv: List[str] | None = None) -> int:
    """Runs the relay until SIGTERM/SIGINT; returns the exit status."""
    parser = argparse.ArgumentParser(
        prog="python -m booking.relay",
        description=__doc__.split("\n\n")[0],
        epilog="Settings: the BOOKING_* environment variables (docs/operations.md).",
    )
    parser.add_argument(
        "--once", action="store_true", help="deliver what is due now, then exit"
    )
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    try:
        settings = booking_settings()
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    client = None
    if settings.webhook_url and settings.webhook_secret:
        client = BookingClient(
            settings.webhook_url,
            settings.webhook_secret,
            settings.timeout_seconds,
            settings.ca_bundle,
        )
        logger.info(
            "Relaying %s to %s",
            describe(settings.outbox),
            urlsplit(settings.webhook_url).netloc,
        )
    with Outbox(settings.outbox) as outbox:
        relay = Relay(outbox, client, settings)
        if args.once:
            relay.purge()
            relay.run_once()
            return 0
        stop = threading.Event()
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: stop.set())
        relay.run_forever(stop)
    logger.info("Relay stopped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
