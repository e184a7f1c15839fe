"""Prints the performance figures: REST reply latency, start-up and training time.

    python scripts/bench.py --model models/clinic.tar.gz [--messages 400] [--train]

Latency is one client sending FAQ questions (held-out, English and Chinese) one after
another through the REST channel of a real Rasa server with its action server and SQLite
tracker store, as `make run` starts them; ten messages per conversation.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Dict, List

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import requests

from scripts.servers import RASA, ROOT, running_assistant
from staff.evaluate import load_examples

TARGETS = {"p50_ms": 30, "p99_ms": 60, "ready_s": 20, "train_s": 120}
# One client from one address sends far more than a visitor may (channels/guard.py):
# the benchmark measures replies, not the rate limits.
NO_RATE_LIMITS = {"GUARD_SENDER_RATE": "1000000/60", "GUARD_IP_RATE": "1000000/60"}


def questions() -> List[str]:
    """The FAQ questions of the held-out files, English and Chinese, key by key."""
    examples = load_examples([str(ROOT / "tests" / "heldout")])
    return [text for text, label in examples if label.startswith("faq/")]


def percentile(values: List[float], share: float) -> float:
    """The value below which `share` of the sorted values lie (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def time_training() -> float:
    """Seconds for a full `rasa train` from scratch (no cache), as `make train` runs."""
    with tempfile.TemporaryDirectory() as out:
        env = {
            **os.environ,
            "TF_CPP_MIN_LOG_LEVEL": "2",
            "RASA_TELEMETRY_ENABLED": "false",
        }
        started = time.monotonic()
        subprocess.run(
            [RASA, "train", "--force", "--out", out],
            cwd=ROOT,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        return time.monotonic() - started


def time_replies(model: Path, count: int, sqlite: bool = True) -> Dict[str, float]:
    """Starts the servers and times `count` REST replies from one client."""
    texts = questions()
    with (
        tempfile.TemporaryDirectory() as workdir,
        running_assistant(
            model, Path(workdir), sqlite=sqlite, extra_env=NO_RATE_LIMITS
        ) as bot,
    ):
        session = requests.Session()
        url = f"{bot.url}/webhooks/rest/webhook"

        def ask(i: int, run: str) -> float:
            # Ten messages per conversation, as a visitor asking a few questions.
            body = {
                "sender": f"bench-{run}-{i // 10}",
                "message": texts[i % len(texts)],
            }
            started = time.perf_counter()
            response = session.post(url, json=body, timeout=30)
            elapsed = time.perf_counter() - started
            response.raise_for_status()
            assert response.json(), "no reply"  # noqa: S101 - a reply must come back
            return elapsed * 1000

        first_reply_ms = ask(0, "warmup")
        for i in range(1, 30):
            ask(i, "warmup")
        run = uuid.uuid4().hex[:8]
        latencies = [ask(i, run) for i in range(count)]
        return {
            "ready_s": bot.seconds_to_ready,
            "first_reply_ms": first_reply_ms,
            "messages": count,
            "p50_ms": percentile(latencies, 0.50),
            "p90_ms": percentile(latencies, 0.90),
            "p99_ms": percentile(latencies, 0.99),
            "max_ms": max(latencies),
            "mean_ms": statistics.fmean(latencies),
            "msg_per_s": 1000 * count / sum(latencies),
        }


def main() -> int:
    """Runs the benchmark and prints the figures next to their targets."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=ROOT / "models" / "clinic.tar.gz")
    parser.add_argument("--messages", type=int, default=400)
    parser.add_argument(
        "--train", action="store_true", help="also time a full training"
    )
    parser.add_argument(
        "--tracker-store",
        choices=["sqlite", "memory"],
        default="sqlite",
        help="sqlite as in endpoints.yml, or Rasa's in-memory store for comparison",
    )
    parser.add_argument("--out", type=Path, default=ROOT / "results" / "bench.json")
    args = parser.parse_args()

    figures = time_replies(args.model, args.messages, args.tracker_store == "sqlite")
    figures["tracker_store"] = args.tracker_store
    if args.train:
        figures["train_s"] = time_training()

    print(
        f"\nOne client, {figures['messages']} FAQ messages over REST "
        f"({args.tracker_store} tracker store):"
    )
    print(f"  p50 {figures['p50_ms']:.1f} ms   p90 {figures['p90_ms']:.1f} ms   "
          f"p99 {figures['p99_ms']:.1f} ms   max {figures['max_ms']:.1f} ms   "
          f"({figures['msg_per_s']:.0f} msg/s)")  # fmt: skip
    print(f"  first reply after start: {figures['first_reply_ms']:.0f} ms")
    print(f"Servers ready after {figures['ready_s']:.1f} s")
    if "train_s" in figures:
        print(f"Full training: {figures['train_s']:.0f} s")
    print("\nTargets:")
    for name, target in TARGETS.items():
        if name in figures:
            verdict = "ok" if figures[name] <= target else "MISSED"
            print(f"  {name:8} {figures[name]:8.1f}  <= {target:<5} {verdict}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
