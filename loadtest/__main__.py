"""Load, fault and fuzz tests of the production-shaped stack (`make loadtest`).

    python -m loadtest [--quick] [--out results/loadtest.json]

Starts PostgreSQL, Redis, the fake booking system, the action server, the relay, two
Rasa servers and nginx (loadtest/stack.py), then runs the phases:

1. load: 100 conversations x 20 messages at once (FAQ in both languages and complete
   bookings), then checks the tracker store and the booking system (loadtest/verify.py);
2. throughput: FAQ traffic from 16 clients, one Rasa server, then two behind nginx;
3. fuzz: tests/fuzz/cases.py against REST, socket.io (a real WebSocket: the cases,
   broken frames, a flood on one socket) and WeChat behind nginx;
4. faults: REST, widget (socket.io over a real WebSocket, loadtest/widget.py) and
   WeChat (signed, encrypted, WeChat's retries: loadtest/wechat.py) visitors at
   once, slower, while one Rasa server is killed (-9), the action server, Redis and
   PostgreSQL are restarted and the booking system answers 500 for 45 s; every
   channel checked on its own (lost, duplicated, bookings, errors, recovery).

Prints a report and writes it as JSON; exits 1 when a correctness check fails
(throughput is reported against its target, not asserted). `--quick` (make test):
30 conversations x 10 messages, 10 s of throughput, the fuzz, no faults.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import sys
import tempfile
import threading
import time
import uuid
from contextlib import ExitStack
from pathlib import Path
from typing import Any, Callable, Dict, List

from loadtest import traffic, wechat, widget
from loadtest.stack import (
    WECHAT_AES_KEY,
    WECHAT_APP_ID,
    WECHAT_TOKEN,
    Stack,
    start_stack,
)
from loadtest.verify import (
    Findings,
    check_bookings,
    check_messages,
    wait_for_bookings,
)
from scripts.servers import ROOT
from tests.fuzz import cases

TARGET = {"msg_per_s": 80.0, "p99_ms": 500.0}
# How long the Rasa server hangs (SIGSTOP) before it is killed in the fault phase.
HUNG_SECONDS = 3
# Conversations per channel in the fault phase (20 messages each).
MIXED = {"rest": 50, "widget": 30, "wechat": 30}


def phase_load(stack: Stack, count: int, length: int, think: tuple) -> Dict[str, Any]:
    """Plays the conversations, then checks messages and bookings."""
    stack.booking.reset()
    scripts = traffic.conversations(
        count, length, 0.4, seed=7, run=uuid.uuid4().hex[:6]
    )
    seconds = asyncio.run(traffic.run_conversations(stack.url, scripts, think))
    return _verify(stack, scripts, seconds)


def _verify(
    stack: Stack, scripts: List, seconds: float, everyone: List | None = None
) -> Dict[str, Any]:
    """Waits for the bookings `everyone` was told of, then checks `scripts`."""
    everyone = everyone or scripts
    references = [r for c in everyone for r in c.references]
    wait_for_bookings(stack.booking, references, timeout=120)
    found = check_messages(stack.postgres, scripts)
    check_bookings(found, stack.booking, scripts, everyone)
    sent = [m for c in scripts for m in c.sent]
    latencies = [(m.finished - m.started) * 1000 for m in sent if m.accepted]
    errors: Dict[str, int] = {}
    for message in sent:
        for status in message.errors:
            errors[str(status)] = errors.get(str(status), 0) + 1
    return {
        "conversations": len(scripts),
        "messages": len(sent),
        "booking_conversations": sum(c.booking for c in scripts),
        "seconds": round(seconds, 1),
        "msg_per_s": round(len(sent) / seconds, 1),
        "p50_ms": round(traffic.percentile(latencies, 0.5), 1),
        "p99_ms": round(traffic.percentile(latencies, 0.99), 1),
        "client_errors": errors,
        "gave_up": sum(not m.accepted for m in sent),
        "retried_ok": sum(bool(m.errors) and m.accepted for m in sent),
        "reconnects": sum(c.reconnects for c in scripts),
        "resent_after_reconnect": sum(c.resent for c in scripts),
        **found.summary(),
        "correct": found.correct,
        "_findings": found,
        "_scripts": scripts,
    }


def phase_throughput(
    stack: Stack, seconds: float, counts: tuple = (1, 2)
) -> Dict[str, Any]:
    """FAQ traffic from 16 clients against one server, then two, behind nginx."""
    out = {}
    for servers in counts:
        stack.use_servers(servers)
        figures = asyncio.run(
            traffic.throughput(
                stack.url,
                stack.token,
                16,
                seconds,
                min(10, seconds / 2),
                f"s{servers}",
                lambda n=servers: sum(r.cpu_seconds() for r in stack.rasa[:n]),
            )
        )
        figures["servers"] = servers
        figures["meets_target"] = (
            figures["msg_per_s"] >= TARGET["msg_per_s"]
            and figures["p99_ms"] < TARGET["p99_ms"]
        )
        out[f"{servers}_server{'s' if servers > 1 else ''}"] = figures
    stack.use_servers(2)
    return out


def _postgres_reader(stack: Stack) -> cases.EventReader:
    postgres = stack.postgres

    def read(after: int):
        connection = postgres.connect()
        try:
            with connection.cursor() as cursor:
                cursor.execute(cases.EVENTS_AFTER.format(int(after)))
                rows = cursor.fetchall()
        finally:
            connection.close()
        return cases.rows_to_events(rows, after)

    return read


def phase_fuzz(stack: Stack) -> Dict[str, Any]:
    """The fuzz cases on every channel, behind nginx; servers healthy after."""
    log = cases.EventLog(_postgres_reader(stack))
    problems: Dict[str, List[str]] = {}
    checks: List[tuple] = []
    for n, case in enumerate(cases.rest_cases()):
        checks.append(
            ("rest", case, lambda c=case, n=n: cases.check_rest(stack.url, log, c, n))
        )
    for n, case in enumerate(cases.wechat_cases()):
        checks.append(("wechat", case, lambda c=case, n=n: cases.check_wechat(
            stack.wechat_url(), WECHAT_TOKEN, log, c, n)))  # fmt: skip
    for case in cases.socketio_cases():
        checks.append(
            ("socketio", case, lambda c=case: cases.check_socketio(stack.url, log, c))
        )
    for case in cases.frame_cases():
        checks.append(
            ("websocket", case, lambda c=case: cases.check_frame(stack.url, log, c))
        )
    flood = cases.Case("150 messages at once on one socket", "", None)
    checks.append(("websocket", flood, lambda: cases.check_flood(stack.url, log)))
    seconds: Dict[str, float] = {}
    for channel, case, check in checks:
        began = time.monotonic()
        found = check()
        seconds[channel] = seconds.get(channel, 0.0) + time.monotonic() - began
        if found:
            problems[f"{channel}: {case.name}"] = found
    healthy = stack.healthy()
    return {
        "cases": len(checks),
        "problems": problems,
        "seconds": {k: round(v, 1) for k, v in seconds.items()},
        "healthy_after": healthy,
        "correct": not problems and all(healthy.values()),
    }


class Faults:
    """Runs the faults at their moments in a thread while the load goes on."""

    def __init__(self, stack: Stack) -> None:
        """Starts the clock of the schedule."""
        self.stack = stack
        self.log: List[Dict[str, Any]] = []
        self.started = time.monotonic()

    def _do(self, name: str, action: Callable[[], None]) -> None:
        began = time.monotonic()
        error = None
        try:
            action()
        except Exception as failure:  # reported; the run goes on
            error = repr(failure)
        self.log.append(
            {
                "fault": name,
                "at_s": round(began - self.started, 1),
                "recovered_after_s": round(time.monotonic() - began, 1),
                "start": began,
                "end": time.monotonic(),
                **({"error": error} if error else {}),
            }
        )

    def run(self, schedule: List[tuple]) -> threading.Thread:
        """Plays (seconds, name, action) entries in a thread; returns it."""

        def play() -> None:
            for at, name, action in schedule:
                time.sleep(max(0.0, self.started + at - time.monotonic()))
                self._do(name, action)

        thread = threading.Thread(target=play, daemon=True)
        thread.start()
        return thread


def phase_faults(
    stack: Stack, length: int, counts: Dict[str, int] = MIXED
) -> Dict[str, Any]:
    """Every channel's visitors at once, slower, with five faults at their moments."""
    stack.booking.reset()
    rasa = stack.rasa[1]

    def kill_rasa() -> None:
        # Hung first, so that messages of every channel are in flight on it when it
        # dies: some stored and not answered, some not yet read.
        rasa.freeze()
        time.sleep(HUNG_SECONDS)
        rasa.kill()
        rasa.start()

    def restart_actions() -> None:
        stack.actions.stop()
        stack.actions.start()

    def booking_500() -> None:
        stack.booking.fail_for(45)
        time.sleep(45)

    schedule = [
        (10, f"rasa-2 hung {HUNG_SECONDS} s, kill -9, started again", kill_rasa),
        (50, "restart the action server", restart_actions),
        (75, "restart Redis", stack.restart_redis),
        (105, "restart PostgreSQL", stack.restart_postgres),
        (135, "booking system answers 500 for 45 s", booking_500),
    ]
    run = "f" + uuid.uuid4().hex[:5]
    scripts: Dict[str, List] = {}
    first = 1
    for n, (channel, count) in enumerate(counts.items()):
        scripts[channel] = traffic.conversations(
            count, length, 0.5, 11 + n, run, channel=channel, first_address=first
        )
        first += count
    think = (5.0, 12.0)

    async def play() -> List[float]:
        return await asyncio.gather(
            traffic.run_conversations(stack.url, scripts["rest"], think),
            widget.run_conversations(stack.url, scripts["widget"], think),
            wechat.run_conversations(
                stack.wechat_url(), WECHAT_TOKEN, WECHAT_APP_ID, WECHAT_AES_KEY,
                scripts["wechat"], think,
            ),
        )  # fmt: skip

    faults = Faults(stack)
    thread = faults.run(schedule)
    seconds = max(asyncio.run(play()))
    thread.join()
    everyone = [c for channel in scripts.values() for c in channel]
    result = _verify(stack, everyone, seconds)
    result["channels"] = {
        channel: _verify(stack, conversations, seconds, everyone)
        for channel, conversations in scripts.items()
    }
    result["faults"] = [_cost(f, result["channels"]) for f in faults.log]
    # Every client-visible error was retried to an answer, and WeChat never gave up
    # on a message that was then processed anyway.
    result["correct"] = (
        result["correct"]
        and result["gave_up"] == 0
        and result["repeated_after_giving_up"] == 0
    )
    return result


def _cost(fault: Dict[str, Any], channels: Dict[str, Dict]) -> Dict[str, Any]:
    """What a fault cost each channel: the messages in flight around it.

    From its start to 15 s after it ended: their errors as clients saw them, the lost
    or duplicated ones among them, and when the last of them with an error was
    answered (recovery, from the fault's start).
    """
    start, end = fault["start"], fault["end"] + 15
    costs = {}
    for channel, result in channels.items():
        found: Findings = result["_findings"]
        hit = [
            m for c in result["_scripts"] for m in c.sent
            if m.started <= end and m.finished >= start
        ]  # fmt: skip
        labels = {f"{m.conversation}#{m.index}" for m in hit}
        statuses: Dict[str, int] = {}
        for message in hit:
            for status in message.errors:
                statuses[str(status)] = statuses.get(str(status), 0) + 1
        troubled = [m.finished for m in hit if m.errors]
        costs[channel] = {
            "messages_in_window": len(hit),
            "client_errors": sum(statuses.values()),
            "error_statuses": statuses,
            "messages_retried_ok": sum(bool(m.errors) and m.accepted for m in hit),
            "gave_up": sum(not m.accepted for m in hit),
            "lost": len(labels & set(found.lost)),
            "duplicated": len(labels & set(found.duplicated)),
            "recovered_s": round(max(troubled) - start, 1) if troubled else 0.0,
            "slowest_s": round(
                max((m.finished - m.started for m in hit), default=0), 1
            ),
        }
    return {
        "fault": fault["fault"],
        "at_s": fault["at_s"],
        "action_s": fault["recovered_after_s"],
        "channels": costs,
        **({"error": fault["error"]} if "error" in fault else {}),
    }


def channel_table(result: Dict[str, Any]) -> List[str]:
    """The fault phase per channel, as a Markdown table (docs/testing.md)."""
    lines = [
        "| channel | conversations | messages | lost | duplicated | out of order "
        "| bookings (lost / duplicated) | client errors | retried ok | gave up "
        "| reconnects (re-sent) | p50 / p99 ms |",
        "| --- | ---: | ---: | ---: | ---: | ---: | --- | --- | ---: | ---: | ---: "
        "| --- |",
    ]
    for channel, r in result["channels"].items():
        errors = ", ".join(f"{k}: {v}" for k, v in r["client_errors"].items())
        lines.append(
            f"| {channel} | {r['conversations']} | {r['messages']} | {r['lost']} | "
            f"{r['duplicated']} | {r['out_of_order']} | {r['bookings_confirmed']} "
            f"({r['bookings_lost']} / {r['bookings_duplicated']}) | "
            f"{sum(r['client_errors'].values())}{f' ({errors})' if errors else ''} | "
            f"{r['retried_ok']} | {r['gave_up']} | {r['reconnects']} "
            f"({r['resent_after_reconnect']}) | "
            f"{r['p50_ms']:.0f} / {r['p99_ms']:.0f} |"
        )
    return lines


def fault_table(result: Dict[str, Any]) -> List[str]:
    """Each fault's cost per channel, as a Markdown table."""
    channels = list(result["channels"])
    lines = [
        "| at | fault | " + " | ".join(channels) + " |",
        "| ---: | --- | " + " | ".join("---" for _ in channels) + " |",
    ]
    for fault in result["faults"]:
        cells = [
            f"{c['client_errors']} errors, {c['lost']} lost, {c['duplicated']} dup, "
            f"answered by {c['recovered_s']} s"
            for c in (fault["channels"][ch] for ch in channels)
        ]
        lines.append(
            f"| {fault['at_s']:.0f} s | {fault['fault']} | " + " | ".join(cells) + " |"
        )
    return lines


def report(results: Dict[str, Any]) -> None:
    """Prints the figures and verdicts."""
    print("\n=== Load and fault tests ===")
    for name in ("load", "faults"):
        if name not in results:
            continue
        r = results[name]
        print(
            f"\n{name}: {r['conversations']} conversations, {r['messages']} messages "
            f"in {r['seconds']} s ({r['msg_per_s']} msg/s, p50 {r['p50_ms']} ms, "
            f"p99 {r['p99_ms']} ms); client errors {r['client_errors'] or 'none'}; "
            f"gave up {r['gave_up']}"
        )
        print(
            f"  accepted {r['accepted_messages']}: lost {r['lost']}, duplicated "
            f"{r['duplicated']}, out of order {r['out_of_order']}, without a bot "
            f"reply {r['unanswered']}; bookings confirmed {r['bookings_confirmed']}: "
            f"lost {r['bookings_lost']}, duplicated {r['bookings_duplicated']}, "
            f"unexpected {r['bookings_unexpected']}  -> "
            f"{'PASS' if r['correct'] else 'FAIL'}"
        )
        if "channels" in r:
            print("\n  per channel (Markdown, as in docs/testing.md):")
            for line in [*channel_table(r), "", *fault_table(r)]:
                print(f"  {line}")
            print(
                f"  WeChat tries stored after WeChat gave up: "
                f"{r['stored_unacknowledged']}; processed twice for that: "
                f"{r['repeated_after_giving_up']}"
            )
    if "throughput" in results:
        print("\nthroughput (FAQ, 16 clients, via nginx):")
        for name, f in results["throughput"].items():
            verdict = "PASS" if f["meets_target"] else "MISS"
            print(
                f"  {name:9} {f['msg_per_s']:6.1f} msg/s  p50 {f['p50_ms']:6.1f} ms  "
                f"p90 {f['p90_ms']:6.1f} ms  p99 {f['p99_ms']:6.1f} ms  errors "
                f"{f['errors']}  (target >= {TARGET['msg_per_s']:.0f} msg/s, p99 < "
                f"{TARGET['p99_ms']:.0f} ms: {verdict})\n{'':12}servers' CPU "
                f"{f['server_cpu_ms_per_msg']:.1f} ms per message"
            )
    if "fuzz" in results:
        f = results["fuzz"]
        verdict = "PASS" if f["correct"] else "FAIL"
        print(
            f"\nfuzz: {f['cases']} cases, problems {len(f['problems'])}, servers "
            f"healthy after: {f['healthy_after']} -> {verdict}"
        )
        for name, problems in f["problems"].items():
            print(f"  {name}: {'; '.join(problems)}")


def keep_logs(workdir: Path, to: Path) -> None:
    """Copies the servers' logs (no message text at INFO) next to the results."""
    shutil.rmtree(to, ignore_errors=True)
    to.mkdir(parents=True)
    for log in [*workdir.glob("*.log"), workdir / "nginx" / "error.log"]:
        if log.exists():
            shutil.copy(log, to / log.name)


def _public(value: Any) -> Any:
    """The results without the private `_` entries (findings, scripts)."""
    if isinstance(value, dict):
        return {k: _public(v) for k, v in value.items() if not str(k).startswith("_")}
    if isinstance(value, list):
        return [_public(v) for v in value]
    return value


def main() -> int:
    """Starts the stack, runs the phases, reports; 1 if a correctness check failed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=ROOT / "models" / "clinic.tar.gz")
    parser.add_argument("--quick", action="store_true", help="the short variant")
    parser.add_argument(
        "--workers", type=int, default=1, help="SANIC_WORKERS per Rasa server"
    )
    parser.add_argument(
        "--phases", default="load,throughput,fuzz,faults", help="comma-separated"
    )
    parser.add_argument(
        "--servers", default="1,2", help="throughput: with how many servers, in turn"
    )
    parser.add_argument(
        "--mixed",
        default=",".join(f"{k}={v}" for k, v in MIXED.items()),
        help="faults: conversations per channel (rest=50,widget=30,wechat=30)",
    )
    parser.add_argument("--out", type=Path, default=ROOT / "results" / "loadtest.json")
    args = parser.parse_args()
    phases = set(args.phases.split(","))
    if args.quick:
        phases.discard("faults")
    results: Dict[str, Any] = {"quick": args.quick, "workers": args.workers}
    started = time.monotonic()
    logs = args.out.with_name(args.out.stem + "-logs")
    with tempfile.TemporaryDirectory(prefix="loadtest-") as tmp, ExitStack() as exits:
        # Registered first, so it runs last: the servers' logs once they stopped.
        exits.callback(keep_logs, Path(tmp), logs)
        stack = start_stack(Path(tmp), args.model, exits, workers=args.workers)
        results["ready_s"] = round(time.monotonic() - started, 1)
        print(f"stack ready after {results['ready_s']} s at {stack.url}", flush=True)
        if "load" in phases:
            count, length = (30, 10) if args.quick else (100, 20)
            results["load"] = phase_load(stack, count, length, (0.0, 0.5))
            print(f"load done ({results['load']['seconds']} s)", flush=True)
        if "throughput" in phases:
            results["throughput"] = phase_throughput(
                stack,
                10 if args.quick else 30,
                tuple(int(n) for n in args.servers.split(",")),
            )
            print("throughput done", flush=True)
        if "fuzz" in phases:
            results["fuzz"] = phase_fuzz(stack)
            print("fuzz done", flush=True)
        if "faults" in phases:
            mixed = {
                channel: int(count)
                for channel, count in (p.split("=") for p in args.mixed.split(","))
            }
            results["faults"] = phase_faults(stack, 20, mixed)
            print("faults done", flush=True)
    results["total_s"] = round(time.monotonic() - started, 1)
    report(results)
    print(f"\ntotal {results['total_s']} s")
    clean = json.loads(json.dumps(_public(results), default=str))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(clean, indent=2, ensure_ascii=False))
    correct = all(
        results[name]["correct"]
        for name in ("load", "fuzz", "faults")
        if name in results
    )
    return 0 if correct else 1


if __name__ == "__main__":
    sys.exit(main())
