from __future__ import annotations

import json
import sqlite3
import stat
import subprocess
import sys
import threading
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import List

import pytest

from booking.outbox import (
    Outbox,
    Submission,
    idempotency_key,
    normalise_reference,
    reference_code,
)
from tests.booking.conftest import Location

ROOT = Path(__file__).resolve().parents[2]
T0 = datetime(2025, 3, 1, 6, 0, tzinfo=timezone.utc)
BOOKING = {
    "service": "tuina",
    "clinic": "minhang",
    "preferred_time": "明天下午3点",
    "preferred_time_normalised": "2025-03-02T15:00:00+08:00",
    "name": "王小明",
    "phone": "+8613812345678",
    "practitioner": None,
    "note": "腰疼",
    "language": "zh",
}


@pytest.fixture
def outbox(outbox_location: Location):
    with Outbox(outbox_location) as box:
        yield box


def test_new_file_uses_wal_full_sync_and_private_permissions(tmp_path: Path) -> None:
    path = tmp_path / "nested" / "bookings.db"
    with Outbox(path) as box:
        box.submit("booking", "c1", BOOKING)
        assert box._db.execute("PRAGMA synchronous").fetchone() == (2,)  # FULL
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        columns = {row[1] for row in db.execute("PRAGMA table_info(requests)")}
    assert {"idempotency_key", "payload", "status", "next_attempt_at"} <= columns


def test_submit_returns_a_readable_reference_and_stores_the_payload(
    outbox: Outbox,
) -> None:
    submission = outbox.submit("booking", "conversation-1", BOOKING, now=T0)

    assert submission.created
    assert submission.reference.startswith("BS-")
    code = submission.reference[3:]
    assert len(code) == 8 and not set(code) & set("OIL")
    (request,) = outbox.requests()
    assert request.reference == submission.reference
    assert request.payload == BOOKING  # Chinese and None values intact
    assert request.status == "pending"
    assert request.attempts == 0
    assert request.created_at == T0 == request.next_attempt_at
    assert request.idempotency_key == idempotency_key(
        "booking", "conversation-1", BOOKING
    )


def test_the_same_confirmation_twice_is_one_request(outbox: Outbox) -> None:
    first = outbox.submit("booking", "conversation-1", BOOKING)
    # The visitor confirms again (or the action is re-run): keys in another order.
    again = outbox.submit("booking", "conversation-1", dict(reversed(BOOKING.items())))

    assert again == Submission(reference=first.reference, created=False)
    assert len(outbox.requests()) == 1


def test_different_content_or_conversation_is_another_request(outbox: Outbox) -> None:
    first = outbox.submit("booking", "conversation-1", BOOKING)
    later_time = outbox.submit(
        "booking", "conversation-1", {**BOOKING, "preferred_time": "后天上午"}
    )
    other_visitor = outbox.submit("booking", "conversation-2", BOOKING)
    callback = outbox.submit("callback", "conversation-1", BOOKING)

    references = {first.reference, later_time.reference, other_visitor.reference}
    assert len(references | {callback.reference}) == 4
    assert len(outbox.requests()) == 4


def test_key_and_reference_are_stable_and_unambiguous() -> None:
    key = idempotency_key("booking", "c1", {"b": 1, "a": "张"})
    assert key == idempotency_key("booking", "c1", {"a": "张", "b": 1})
    assert len(key) == 64 and int(key, 16) >= 0
    # Concatenating strings would make these equal.
    assert idempotency_key("booking", "c1", {}) != idempotency_key("bookingc", "1", {})
    assert reference_code(key) == reference_code(key)
    assert reference_code(key) != reference_code(idempotency_key("booking", "c2", {}))


def test_references_typed_by_staff_are_normalised() -> None:
    assert normalise_reference(" bs-7k2q 9mxa ") == "BS-7K2Q9MXA"
    assert normalise_reference("7K2Q9MXA") == "BS-7K2Q9MXA"
    assert normalise_reference("BS-OK2Q9MXI") == "BS-0K2Q9MX1"


def test_a_submitted_request_survives_reopening_the_file(
    outbox_location: Location,
) -> None:
    path = outbox_location
    with Outbox(path) as box:
        submission = box.submit("booking", "c1", BOOKING)

    with Outbox(path) as reopened:
        (request,) = reopened.due(datetime.now(timezone.utc))
        assert request.reference == submission.reference
        assert reopened.submit("booking", "c1", BOOKING).created is False


def test_concurrent_submits_from_threads_make_one_row(
    outbox_location: Location,
) -> None:
    path = outbox_location
    shared = Outbox(path)
    results: List[Submission] = []
    start = threading.Barrier(8)

    def submit(own_connection: bool) -> None:
        box = Outbox(path) if own_connection else shared
        start.wait()
        for _ in range(10):
            results.append(box.submit("booking", "c1", BOOKING))
        if own_connection:
            box.close()

    threads = [threading.Thread(target=submit, args=(i % 2 == 0,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(results) == 80
    assert sum(r.created for r in results) == 1
    assert len({r.reference for r in results}) == 1
    assert len(shared.requests()) == 1
    shared.close()


SUBMIT_IN_CHILD = """
import json, sys
from pathlib import Path
from booking.outbox import Outbox
box = Outbox(sys.argv[1])  # a file path or a postgresql:// URL
payload = json.loads(sys.argv[2])
created = sum(box.submit("booking", "c1", payload).created for _ in range(50))
print(created)
"""


def test_concurrent_submits_from_processes_on_a_new_file_make_one_row(
    outbox_location: Location,
) -> None:
    path = outbox_location  # not there yet: both processes create it
    children = [
        subprocess.Popen(  # noqa: S603 - our own code
            [sys.executable, "-c", SUBMIT_IN_CHILD, str(path), json.dumps(BOOKING)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(3)
    ]
    outputs = [child.communicate(timeout=60) for child in children]

    assert [child.returncode for child in children] == [0, 0, 0], outputs
    assert sum(int(out) for out, _ in outputs) == 1
    with Outbox(path) as box:
        assert len(box.requests()) == 1


def test_due_returns_pending_requests_whose_time_has_come(outbox: Outbox) -> None:
    first = outbox.submit("booking", "c1", BOOKING, now=T0)
    second = outbox.submit("booking", "c2", BOOKING, now=T0 + timedelta(seconds=1))

    assert outbox.due(T0 - timedelta(seconds=1)) == []
    assert [r.reference for r in outbox.due(T0 + timedelta(seconds=5))] == [
        first.reference,
        second.reference,
    ]
    assert len(outbox.due(T0 + timedelta(seconds=5), limit=1)) == 1


def test_retry_failure_and_delivery_transitions(outbox: Outbox) -> None:
    outbox.submit("booking", "c1", BOOKING, now=T0)
    (request,) = outbox.due(T0)

    outbox.schedule_retry(request.id, T0 + timedelta(seconds=30), "HTTP 500")
    assert outbox.due(T0 + timedelta(seconds=29)) == []
    (retried,) = outbox.due(T0 + timedelta(seconds=30))
    assert (retried.attempts, retried.last_error, retried.status) == (
        1,
        "HTTP 500",
        "pending",
    )

    outbox.mark_failed(request.id, "HTTP 400 Bad Request")
    (failed,) = outbox.requests("failed")
    assert (failed.attempts, failed.last_error) == (2, "HTTP 400 Bad Request")
    assert outbox.due(T0 + timedelta(days=1)) == []

    assert outbox.requeue(request.id, T0 + timedelta(hours=1))
    (requeued,) = outbox.due(T0 + timedelta(hours=1))
    assert (requeued.status, requeued.attempts) == ("pending", 2)

    outbox.mark_delivered(request.id, T0 + timedelta(hours=2))
    (delivered,) = outbox.requests("delivered")
    assert delivered.delivered_at == T0 + timedelta(hours=2)
    assert delivered.attempts == 3
    # A late answer from a stale attempt does not undo the delivery.
    outbox.mark_failed(request.id, "timeout")
    outbox.schedule_retry(request.id, T0, "timeout")
    assert outbox.requests("delivered") == [delivered]
    assert not outbox.requeue(request.id, T0)


def test_only_one_claim_on_a_due_request_succeeds(outbox_location: Location) -> None:
    path = outbox_location
    with Outbox(path) as one, Outbox(path) as other:
        one.submit("booking", "c1", BOOKING, now=T0)
        (request,) = one.due(T0)
        lease = T0 + timedelta(seconds=20)

        assert one.claim(request.id, T0, lease)
        assert not other.claim(request.id, T0, lease)
        assert other.due(T0 + timedelta(seconds=19)) == []
        # The claimer died: after the lease the request is due again.
        assert other.claim(request.id, lease, lease + timedelta(seconds=20))


def test_purge_removes_only_delivered_requests_older_than_the_retention(
    outbox: Outbox,
) -> None:
    by_conversation = {
        conversation: outbox.find(
            outbox.submit("booking", conversation, BOOKING, now=T0).reference
        )[0].id
        for conversation in ("old", "recent", "pending", "failed")
    }
    outbox.mark_delivered(by_conversation["old"], T0)
    outbox.mark_delivered(by_conversation["recent"], T0 + timedelta(days=29))
    outbox.mark_failed(by_conversation["failed"], "HTTP 400")

    now = T0 + timedelta(days=30, hours=1)
    assert outbox.purge_delivered(timedelta(days=30), now) == 1

    remaining = {r.id: r.status for r in outbox.requests()}
    assert by_conversation["old"] not in remaining
    assert sorted(remaining.values()) == ["delivered", "failed", "pending"]
    assert outbox.purge_delivered(timedelta(days=30), now) == 0


def test_purged_details_are_not_left_in_the_file(tmp_path: Path) -> None:
    path = tmp_path / "outbox.db"
    with Outbox(path) as box:
        box.submit("booking", "c1", {**BOOKING, "phone": "+8613899990000"}, now=T0)
        (request,) = box.requests()
        box.mark_delivered(request.id, T0)
        assert box.purge_delivered(timedelta(days=1), T0 + timedelta(days=2)) == 1

    leftovers = b"".join(p.read_bytes() for p in tmp_path.iterdir() if p.is_file())
    assert b"8613899990000" not in leftovers


def test_naive_datetimes_are_refused(outbox: Outbox) -> None:
    with pytest.raises(ValueError, match="naive"):
        outbox.due(datetime(2025, 3, 1, 6, 0))
