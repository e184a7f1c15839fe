"""Prints the booking hand-off's figures: outbox write time and delivery latency.

    python scripts/bench_booking.py [--json results/bench_booking.json]

Submit: `Outbox.submit` of a full booking to a fresh SQLite file (WAL,
synchronous=FULL), as the submit action does at the end of a conversation turn.
Delivery: from submit to the fake booking system (HTTPS on 127.0.0.1) receiving the
request, with `python -m booking.relay` running in its own process with the default
settings (it polls every 0.5 s). Submissions are spaced at random so they fall
anywhere in the relay's polling cycle.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import secrets
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Dict, List

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from booking.outbox import Outbox
from booking.settings import ROOT
from tests.fakes.booking_system import FakeBookingSystem

TARGETS = {"submit_p50_ms": 20.0, "delivery_p99_ms": 2000.0}
BOOKING = {
    "service": "tuina",
    "clinic": "downtown",
    "preferred_time": "明天下午3点",
    "preferred_time_normalised": "2025-03-02T15:00+08:00",
    "name": "王小明",
    "phone": "+8613812345678",
    "practitioner": None,
    "note": "腰疼",
    "language": "zh",
}


def percentile(values: List[float], share: float) -> float:
    """The value below which `share` of the sorted values lie (nearest rank)."""
    # As scripts/bench.py's, which is not imported: it loads Rasa, this needs none.
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def summary(values_ms: List[float]) -> Dict[str, float]:
    """p50, p99 and max of a list of milliseconds."""
    return {
        "count": len(values_ms),
        "p50_ms": percentile(values_ms, 0.50),
        "p99_ms": percentile(values_ms, 0.99),
        "max_ms": max(values_ms),
    }


def time_submits(count: int, workdir: Path) -> List[float]:
    """Milliseconds per submit of `count` different bookings to a new outbox file."""
    timings = []
    with Outbox(workdir / "submit.db") as outbox:
        for i in range(count):
            started = time.perf_counter()
            outbox.submit("booking", f"bench-{i}", BOOKING)
            timings.append((time.perf_counter() - started) * 1000)
    return timings


def time_deliveries(count: int, workdir: Path) -> List[float]:
    """Milliseconds from submit to the booking system receiving, per request."""
    secret = secrets.token_hex(16)
    path = workdir / "relay.db"
    rng = random.Random(3)  # noqa: S311 - spacing, not secrets
    with FakeBookingSystem(secret=secret) as fake, Outbox(path) as outbox:
        env = {k: v for k, v in os.environ.items() if not k.startswith("BOOKING_")}
        env.update(
            BOOKING_OUTBOX_PATH=str(path),
            BOOKING_WEBHOOK_URL=fake.url,
            BOOKING_WEBHOOK_SECRET=secret,
            BOOKING_WEBHOOK_CA_BUNDLE=str(fake.ca_path),
        )
        relay = subprocess.Popen(
            [sys.executable, "-m", "booking.relay"],
            cwd=ROOT,
            env=env,
            stderr=subprocess.DEVNULL,
        )
        try:
            latencies = []
            for i in range(count + 1):  # the first one warms up the relay
                time.sleep(rng.uniform(0, 0.5))
                submitted = time.monotonic()
                outbox.submit("booking", f"delivery-{i}", BOOKING)
                attempts = fake.wait_for(i + 1, timeout=30)
                if len(attempts) <= i:
                    raise SystemExit(f"request {i} was not delivered in 30 s")
                if i:
                    latencies.append((attempts[i].received - submitted) * 1000)
        finally:
            relay.send_signal(signal.SIGTERM)
            relay.wait(timeout=30)
        if len(fake.bookings) != count + 1:
            raise SystemExit(f"the fake holds {len(fake.bookings)} bookings")
    return latencies


def main() -> int:
    """Runs both measurements and prints them next to their targets."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--submits", type=int, default=200)
    parser.add_argument("--deliveries", type=int, default=30)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as workdir:
        submit = summary(time_submits(args.submits, Path(workdir)))
        delivery = summary(time_deliveries(args.deliveries, Path(workdir)))
    figures = {"submit": submit, "delivery": delivery}

    print(f"\nOutbox submit, {submit['count']} bookings to a fresh file:")
    print(f"  p50 {submit['p50_ms']:.2f} ms   p99 {submit['p99_ms']:.2f} ms   "
          f"max {submit['max_ms']:.2f} ms")  # fmt: skip
    print(f"Submit to booking system (relay polling, defaults), {delivery['count']}:")
    print(f"  p50 {delivery['p50_ms']:.0f} ms   p99 {delivery['p99_ms']:.0f} ms   "
          f"max {delivery['max_ms']:.0f} ms")  # fmt: skip
    print("\nTargets:")
    measured = {
        "submit_p50_ms": submit["p50_ms"],
        "delivery_p99_ms": delivery["p99_ms"],
    }
    for name, target in TARGETS.items():
        verdict = "ok" if measured[name] <= target else "MISSED"
        print(f"  {name:16} {measured[name]:8.1f}  <= {target:<7g} {verdict}")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({**figures, "targets": TARGETS}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
