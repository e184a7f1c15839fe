"""The durable outbox: booking and call-back requests wait here until delivered.

Shared by the action servers (which write), the relays (which forward) and the staff
command (which reads and requeues). Either one SQLite file in WAL mode (one machine;
`synchronous=FULL` because a confirmed request is health data the clinic must not lose
to a power cut), or a PostgreSQL database (`BOOKING_OUTBOX_URL`: several machines).
The same SQL runs on both: every write is one transaction, a repeated idempotency key
finds the existing row (`ON CONFLICT DO NOTHING`), and a claim is one conditional
UPDATE, which only one relay can win (PostgreSQL re-checks the condition on the row
another transaction just changed; SQLite lets one writer in at a time).
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import threading
import time
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Callable, Dict, Iterator, List, Sequence
from urllib.parse import urlsplit

PENDING = "pending"
DELIVERED = "delivered"
FAILED = "failed"
STATUSES = (PENDING, DELIVERED, FAILED)

REFERENCE_PREFIX = "BS-"
# Crockford's base32: no I, L, O or U, so a code read out over the phone is not
# mistaken ("0" vs "O", "1" vs "I").
_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
# 8 characters = 40 bits: two of 100,000 requests share a code with odds ~1 in 200.
_REFERENCE_LENGTH = 8
_BUSY_TIMEOUT_MS = 10_000
_LOCKED_RETRY_SECONDS = 0.02
# Fixed width, so timestamps compare correctly as text in SQL.
_TIME_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS requests (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    reference TEXT NOT NULL,
    kind TEXT NOT NULL,
    conversation_id TEXT NOT NULL,
    idempotency_key TEXT NOT NULL UNIQUE,
    payload TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending'
        CHECK (status IN ('pending', 'delivered', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    last_error TEXT,
    created_at TEXT NOT NULL,
    delivered_at TEXT
);
CREATE INDEX IF NOT EXISTS requests_due ON requests (status, next_attempt_at);
CREATE INDEX IF NOT EXISTS requests_reference ON requests (reference);
"""
_POSTGRES_SCHEMA = (
    # Outboxes opened at once would race to create the table: one at a time.
    f"SELECT pg_advisory_xact_lock({0x0B00C1A6});"
    + _SCHEMA.replace("INTEGER PRIMARY KEY AUTOINCREMENT", "BIGSERIAL PRIMARY KEY")
)
_POSTGRES_SCHEMES = ("postgresql://", "postgres://")
_POSTGRES_CONNECT_TIMEOUT_SECONDS = 5
_COLUMNS = (
    "id, reference, kind, idempotency_key, payload, status, attempts, "
    "next_attempt_at, last_error, created_at, delivered_at, conversation_id"
)


@dataclass(frozen=True)
class Submission:
    """The outcome of `Outbox.submit`: `created` is False for a repeat."""

    reference: str
    created: bool


@dataclass(frozen=True)
class Request:
    """One stored booking or call-back request."""

    id: int
    reference: str
    kind: str
    idempotency_key: str
    payload: Dict[str, Any]
    status: str
    attempts: int
    next_attempt_at: datetime
    last_error: str | None
    created_at: datetime
    delivered_at: datetime | None
    conversation_id: str


def idempotency_key(kind: str, conversation_id: str, payload: Dict[str, Any]) -> str:
    """Returns the sha256 hex of the kind, conversation id and canonical payload."""
    # One JSON array rather than concatenated strings: no two different inputs
    # can run together into the same text.
    canonical = json.dumps(
        [kind, conversation_id, payload],
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def reference_code(key: str) -> str:
    """Returns the short code staff and visitors quote, e.g. "BS-7K2Q9MXA"."""
    bits = int.from_bytes(bytes.fromhex(key)[:5], "big")
    chars = [
        _CROCKFORD[(bits >> shift) & 31]
        for shift in range(5 * (_REFERENCE_LENGTH - 1), -1, -5)
    ]
    return REFERENCE_PREFIX + "".join(chars)


def normalise_reference(text: str) -> str:
    """Returns a reference as stored, from what someone typed or read out."""
    code = "".join(text.split()).upper().replace("-", "")
    prefix = REFERENCE_PREFIX.rstrip("-")
    if len(code) == len(prefix) + _REFERENCE_LENGTH and code.startswith(prefix):
        code = code[len(prefix) :]
    # Crockford's decoding rules: the letters people confuse with digits are digits.
    code = code.translate(str.maketrans("OIL", "011"))
    return REFERENCE_PREFIX + code


def is_postgres_url(location: str | Path) -> bool:
    """True for a postgresql:// URL (BOOKING_OUTBOX_URL), False for a file path."""
    return isinstance(location, str) and location.startswith(_POSTGRES_SCHEMES)


def describe(location: str | Path) -> str:
    """Where the outbox is, for logs: a file path, or a URL without its password."""
    if not is_postgres_url(location):
        return str(location)
    parts = urlsplit(str(location))
    return f"postgresql://{parts.hostname}:{parts.port or 5432}{parts.path}"


class _SQLite:
    """One SQLite connection in WAL mode, full sync, private file."""

    begin = "BEGIN IMMEDIATE"
    schema = _SCHEMA

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists():
            # Only this account may read patients' details; SQLite gives the -wal
            # and -shm files the database file's permissions.
            os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
        self.connection = sqlite3.connect(
            path,
            timeout=_BUSY_TIMEOUT_MS / 1000,
            isolation_level=None,  # transactions are explicit: see Outbox._write
            check_same_thread=False,  # shared by threads behind Outbox._lock
        )
        self.execute(f"PRAGMA busy_timeout = {_BUSY_TIMEOUT_MS}")
        self._use_write_ahead_log()
        self.execute("PRAGMA synchronous = FULL")
        # Purged requests are overwritten on disk, not just unlinked from the tree.
        self.execute("PRAGMA secure_delete = ON")

    def execute(self, statement: str, parameters: Sequence = ()) -> Any:
        return self.connection.execute(statement, parameters)

    def _use_write_ahead_log(self) -> None:
        # Switching a new file to WAL takes its lock without SQLite's busy handler:
        # processes that open the same new file at once get "database is locked"
        # at once (seen with three under load). Tried again, up to the busy timeout.
        deadline = time.monotonic() + _BUSY_TIMEOUT_MS / 1000
        while True:
            try:
                self.execute("PRAGMA journal_mode = WAL")
                return
            except sqlite3.OperationalError as error:
                if "locked" not in str(error) or time.monotonic() >= deadline:
                    raise
                time.sleep(_LOCKED_RETRY_SECONDS)

    def after_purge(self) -> None:
        # Old copies of the rows also sit in the write-ahead log until a
        # checkpoint; a busy reader only delays this to the next purge.
        self.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def close(self) -> None:
        self.connection.close()


class _Postgres:
    """One psycopg2 connection (autocommit: transactions are explicit, as in SQLite)."""

    begin = "BEGIN"
    schema = _POSTGRES_SCHEMA

    def __init__(self, url: str) -> None:
        self.url = url
        self.connection = self._connect()

    def _connect(self) -> Any:
        import psycopg2

        connection = psycopg2.connect(
            self.url, connect_timeout=_POSTGRES_CONNECT_TIMEOUT_SECONDS
        )
        connection.autocommit = True
        return connection

    def execute(self, statement: str, parameters: Sequence = ()) -> Any:
        # A connection the server dropped (restart, failover) is replaced on the next
        # statement; the statement that found it broken has failed (and is retried
        # by the relay, or the visitor's confirmation, as any failure).
        if self.connection.closed:
            self.connection = self._connect()
        cursor = self.connection.cursor()
        # The statements here contain no literal "?" or "%": only placeholders.
        cursor.execute(statement.replace("?", "%s"), tuple(parameters))
        return cursor

    def after_purge(self) -> None:
        pass  # autovacuum reclaims the space; nothing is kept outside the table

    def close(self) -> None:
        self.connection.close()


class Outbox:
    """Booking and call-back requests, safe across threads, processes and machines."""

    def __init__(self, location: str | Path) -> None:
        """Opens the outbox (SQLite file path or postgresql:// URL) and its schema."""
        self.location = location
        self._lock = threading.Lock()
        self._db: _SQLite | _Postgres = (
            _Postgres(str(location))
            if is_postgres_url(location)
            else _SQLite(Path(location))
        )
        with self._write() as db:
            # One statement at a time: executescript() would commit the transaction.
            for statement in db.schema.split(";"):
                if statement.strip():
                    db.execute(statement)

    def submit(
        self,
        kind: str,
        conversation_id: str,
        payload: Dict[str, Any],
        now: datetime | None = None,
    ) -> Submission:
        """Stores a request unless the same one is stored already; no network I/O."""
        key = idempotency_key(kind, conversation_id, payload)
        stamp = _to_text(now or _utcnow())
        body = json.dumps(payload, ensure_ascii=False, sort_keys=True)
        with self._write() as db:
            inserted = db.execute(
                "INSERT INTO requests (reference, kind, conversation_id, "
                "idempotency_key, payload, next_attempt_at, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (idempotency_key) DO NOTHING",
                (reference_code(key), kind, conversation_id, key, body, stamp, stamp),
            ).rowcount
            (reference,) = db.execute(
                "SELECT reference FROM requests WHERE idempotency_key = ?", (key,)
            ).fetchone()
        return Submission(reference=reference, created=inserted == 1)

    def due(self, now: datetime, limit: int = 20) -> List[Request]:
        """Pending requests whose next attempt is due at `now`, oldest first."""
        return self._select(
            "WHERE status = ? AND next_attempt_at <= ? ORDER BY created_at, id LIMIT ?",
            (PENDING, _to_text(now), limit),
        )

    def claim(self, request_id: int, now: datetime, until: datetime) -> bool:
        """Reserves a due request until `until`; False if someone else has it."""
        # A relay that dies mid-send leaves the request to be retried once the
        # reservation runs out; a second relay skips it meanwhile.
        return self._update(
            "SET next_attempt_at = ? "
            "WHERE id = ? AND status = 'pending' AND next_attempt_at <= ?",
            (_to_text(until), request_id, _to_text(now)),
        )

    def mark_delivered(self, request_id: int, now: datetime) -> None:
        """Records that the booking system accepted the request (one more attempt)."""
        self._update(
            "SET status = 'delivered', delivered_at = ?, attempts = attempts + 1 "
            "WHERE id = ? AND status = 'pending'",
            (_to_text(now), request_id),
        )

    def schedule_retry(
        self, request_id: int, next_attempt_at: datetime, error: str
    ) -> None:
        """Records a failed attempt and when to try again."""
        self._update(
            "SET attempts = attempts + 1, next_attempt_at = ?, last_error = ? "
            "WHERE id = ? AND status = 'pending'",
            (_to_text(next_attempt_at), error, request_id),
        )

    def mark_failed(self, request_id: int, error: str) -> None:
        """Records a last failed attempt: the request now needs staff."""
        self._update(
            "SET status = 'failed', attempts = attempts + 1, last_error = ? "
            "WHERE id = ? AND status = 'pending'",
            (error, request_id),
        )

    def requeue(self, request_id: int, now: datetime) -> bool:
        """Puts a failed request back to pending, due at `now` (attempts are kept)."""
        return self._update(
            "SET status = 'pending', next_attempt_at = ? "
            "WHERE id = ? AND status = 'failed'",
            (_to_text(now), request_id),
        )

    def requests(self, status: str | None = None) -> List[Request]:
        """All requests, or those with `status`, newest first."""
        if status is None:
            return self._select("ORDER BY created_at DESC, id DESC", ())
        if status not in STATUSES:
            raise ValueError(f"status must be one of {', '.join(STATUSES)}")
        return self._select(
            "WHERE status = ? ORDER BY created_at DESC, id DESC", (status,)
        )

    def find(self, reference: str) -> List[Request]:
        """The requests with this reference code (one, barring a collision)."""
        return self._select(
            "WHERE reference = ? ORDER BY id", (normalise_reference(reference),)
        )

    def of_conversation(self, conversation_id: str) -> List[Request]:
        """Every request made in one conversation (one visitor), oldest first."""
        return self._select("WHERE conversation_id = ? ORDER BY id", (conversation_id,))

    def with_phone(self, e164: str) -> List[Request]:
        """Every request that gives this phone number (E.164), oldest first."""
        # The phone is inside the JSON payload; the table holds weeks of requests at
        # most (delivered ones are purged), so reading them all is cheap.
        return [
            request
            for request in self._select("ORDER BY id", ())
            if request.payload.get("phone") == e164
        ]

    def delete(self, request_ids: List[int]) -> int:
        """Deletes these requests, whatever their status; returns how many."""
        if not request_ids:
            return 0
        with self._write() as db:
            deleted = sum(
                db.execute("DELETE FROM requests WHERE id = ?", (request_id,)).rowcount
                for request_id in request_ids
            )
        with self._lock:
            self._db.after_purge()
        return deleted

    def purge_delivered(self, older_than: timedelta, now: datetime) -> int:
        """Deletes requests delivered before `now - older_than`; returns how many."""
        with self._write() as db:
            deleted = db.execute(
                "DELETE FROM requests WHERE status = 'delivered' AND delivered_at < ?",
                (_to_text(now - older_than),),
            ).rowcount
        if deleted:
            with self._lock:
                self._db.after_purge()
        return deleted

    @property
    def is_postgres(self) -> bool:
        """Whether the outbox is a PostgreSQL database (else a SQLite file)."""
        return isinstance(self._db, _Postgres)

    @contextmanager
    def transaction(self) -> Iterator[Callable[..., Any]]:
        """One transaction on the outbox's database, for the tables beside it.

        The staff console keeps its own tables (accounts, audit, request workflow) in
        the same database, so they are backed up, and on PostgreSQL shared, with the
        requests; this yields `execute(statement, parameters)`, "?" placeholders.
        """
        with self._write() as db:
            yield db.execute

    def fetch(self, statement: str, parameters: Sequence = ()) -> List[tuple]:
        """The rows of one read-only statement ("?" placeholders) on this database."""
        with self._lock:
            return self._db.execute(statement, parameters).fetchall()

    def close(self) -> None:
        """Closes the connection."""
        with self._lock:
            self._db.close()

    def __enter__(self) -> Outbox:
        """Returns the outbox, to be closed at the end of the block."""
        return self

    def __exit__(self, *exc_info: object) -> None:
        """Closes the connection."""
        self.close()

    @contextmanager
    def _write(self) -> Iterator[_SQLite | _Postgres]:
        # SQLite's BEGIN IMMEDIATE takes the write lock up front: a deferred
        # transaction that reads first and then writes can fail with "database is
        # locked" at once instead of waiting for the busy timeout.
        with self._lock:
            self._db.execute(self._db.begin)
            try:
                yield self._db
            except BaseException:
                self._rollback()
                raise
            self._db.execute("COMMIT")

    def _rollback(self) -> None:
        # If the connection is gone there is nothing to undo; the first error counts.
        with suppress(Exception):
            self._db.execute("ROLLBACK")

    def _update(self, assignment: str, parameters: tuple) -> bool:
        statement = f"UPDATE requests {assignment}"
        with self._write() as db:
            return db.execute(statement, parameters).rowcount == 1

    def _select(self, clause: str, parameters: tuple) -> List[Request]:
        with self._lock:
            rows = self._db.execute(
                f"SELECT {_COLUMNS} FROM requests {clause}",  # noqa: S608 - constant clauses
                parameters,
            ).fetchall()
        return [_request(row) for row in rows]


def _request(row: tuple) -> Request:
    (id_, reference, kind, key, payload, status, attempts, next_at, error, created,
     delivered, conversation_id) = row  # fmt: skip
    return Request(
        id=id_,
        reference=reference,
        kind=kind,
        idempotency_key=key,
        payload=json.loads(payload),
        status=status,
        attempts=attempts,
        next_attempt_at=_from_text(next_at),
        last_error=error,
        created_at=_from_text(created),
        delivered_at=_from_text(delivered) if delivered else None,
        conversation_id=conversation_id,
    )


def _utcnow() -> datetime:
    return datetime.now(timezone.utc)


def _to_text(moment: datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("naive datetime: pass a timezone-aware one (UTC)")
    return moment.astimezone(timezone.utc).strftime(_TIME_FORMAT)


def _from_text(text: str) -> datetime:
    # fromisoformat is ~10x faster than strptime, which dominated listing thousands
    # of requests (the staff console); Python 3.10's does not take the "Z".
    return datetime.fromisoformat(text.removesuffix("Z")).replace(tzinfo=timezone.utc)
