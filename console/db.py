"""The console's own tables, beside the requests in the outbox's database.

Accounts, sessions, the audit log and each request's front-desk status and its history
live in the same database as the outbox (the SQLite file, or PostgreSQL with
BOOKING_OUTBOX_URL), so one backup holds them all. Created with CREATE TABLE IF NOT
EXISTS; the same SQL runs on both databases, as the outbox's does. Every query the
console makes on this database is here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Dict, List, Sequence, Tuple

from booking.outbox import Outbox

# Fixed width, so timestamps compare correctly as text (the outbox's format).
TIME_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS staff_accounts (
    name TEXT PRIMARY KEY,
    role TEXT NOT NULL CHECK (role IN ('admin', 'editor', 'reception')),
    password_hash TEXT NOT NULL,
    failures INTEGER NOT NULL DEFAULT 0,
    locked_until TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS staff_sessions (
    token_hash TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    csrf TEXT NOT NULL,
    created_at TEXT NOT NULL,
    last_seen TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS staff_sessions_name ON staff_sessions (name);
CREATE TABLE IF NOT EXISTS staff_audit (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT NOT NULL DEFAULT '',
    detail TEXT NOT NULL DEFAULT '',
    address TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS staff_audit_at ON staff_audit (at);
CREATE TABLE IF NOT EXISTS request_workflow (
    request_id BIGINT PRIMARY KEY,
    status TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS request_history (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    request_id BIGINT NOT NULL,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    from_status TEXT NOT NULL,
    to_status TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS request_history_request ON request_history (request_id);
"""


@dataclass(frozen=True)
class Account:
    """One staff account as stored (the hash never leaves `console.accounts`)."""

    name: str
    role: str
    password_hash: str
    failures: int
    locked_until: datetime | None


@dataclass(frozen=True)
class Session:
    """One signed-in browser: whose it is, its CSRF token, when it was last used."""

    token_hash: str
    name: str
    csrf: str
    last_seen: datetime


@dataclass(frozen=True)
class AuditEntry:
    """One line of the audit log: who did what to what, when, from where."""

    at: datetime
    actor: str
    action: str
    target: str
    detail: str
    address: str


@dataclass(frozen=True)
class Workflow:
    """A request's front-desk status and the last note on it."""

    status: str
    note: str
    updated_at: datetime
    updated_by: str


@dataclass(frozen=True)
class Change:
    """One entry of a request's status history."""

    at: datetime
    actor: str
    from_status: str
    to_status: str
    note: str


def to_text(moment: datetime) -> str:
    """A UTC timestamp as stored."""
    return moment.astimezone(timezone.utc).strftime(TIME_FORMAT)


def from_text(text: str) -> datetime:
    """A stored timestamp as an aware UTC datetime."""
    # fromisoformat is ~10x faster than strptime (as booking.outbox reads them).
    return datetime.fromisoformat(text.removesuffix("Z")).replace(tzinfo=timezone.utc)


class ConsoleStore:
    """The console's tables in the outbox's database (one Outbox connection)."""

    def __init__(self, outbox: Outbox) -> None:
        """Creates the tables if they are missing."""
        self.outbox = outbox
        schema = _SCHEMA
        if outbox.is_postgres:
            schema = schema.replace(
                "INTEGER PRIMARY KEY AUTOINCREMENT", "BIGSERIAL PRIMARY KEY"
            )
        with outbox.transaction() as execute:
            for statement in schema.split(";"):
                if statement.strip():
                    execute(statement)

    # Accounts

    def account(self, name: str) -> Account | None:
        """The account called `name`, or None."""
        rows = self.outbox.fetch(
            "SELECT name, role, password_hash, failures, locked_until "
            "FROM staff_accounts WHERE name = ?",
            (name,),
        )
        if not rows:
            return None
        name, role, password_hash, failures, locked = rows[0]
        return Account(
            name, role, password_hash, failures, from_text(locked) if locked else None
        )

    def accounts(self) -> List[Tuple[str, str, bool]]:
        """(name, role, locked now) of every account, by name."""
        now = to_text(_utcnow())
        return [
            (name, role, bool(locked and locked > now))
            for name, role, locked in self.outbox.fetch(
                "SELECT name, role, locked_until FROM staff_accounts ORDER BY name"
            )
        ]

    def save_account(self, name: str, role: str, password_hash: str) -> bool:
        """Creates the account, or resets its role, password and lock; True if new."""
        now = to_text(_utcnow())
        with self.outbox.transaction() as execute:
            created = execute(
                "INSERT INTO staff_accounts (name, role, password_hash, created_at, "
                "updated_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (name) DO NOTHING",
                (name, role, password_hash, now, now),
            ).rowcount
            if not created:
                execute(
                    "UPDATE staff_accounts SET role = ?, password_hash = ?, "
                    "failures = 0, locked_until = NULL, updated_at = ? WHERE name = ?",
                    (role, password_hash, now, name),
                )
            # A reset password signs the account out everywhere.
            execute("DELETE FROM staff_sessions WHERE name = ?", (name,))
        return created == 1

    def record_failure(
        self, name: str, limit: int, lock_until: datetime
    ) -> Tuple[int, bool]:
        """Counts a wrong password; at `limit` locks the account. (failures, locked)."""
        with self.outbox.transaction() as execute:
            execute(
                "UPDATE staff_accounts SET failures = failures + 1 WHERE name = ?",
                (name,),
            )
            rows = execute(
                "SELECT failures FROM staff_accounts WHERE name = ?", (name,)
            ).fetchall()
            failures = rows[0][0] if rows else 0
            locked = failures >= limit
            if locked:
                # The count starts again after the lock: 5 more tries, then 5 more.
                execute(
                    "UPDATE staff_accounts SET failures = 0, locked_until = ? "
                    "WHERE name = ?",
                    (to_text(lock_until), name),
                )
        return failures, locked

    def clear_failures(self, name: str) -> None:
        """A right password: the count of wrong ones starts again."""
        with self.outbox.transaction() as execute:
            execute(
                "UPDATE staff_accounts SET failures = 0, locked_until = NULL "
                "WHERE name = ?",
                (name,),
            )

    def set_hash(self, name: str, password_hash: str) -> None:
        """Stores a re-hashed password (argon2 parameters raised since)."""
        with self.outbox.transaction() as execute:
            execute(
                "UPDATE staff_accounts SET password_hash = ? WHERE name = ?",
                (password_hash, name),
            )

    # Sessions

    def add_session(self, token_hash: str, name: str, csrf: str) -> None:
        """Records a new signed-in browser."""
        now = to_text(_utcnow())
        with self.outbox.transaction() as execute:
            execute(
                "INSERT INTO staff_sessions (token_hash, name, csrf, created_at, "
                "last_seen) VALUES (?, ?, ?, ?, ?)",
                (token_hash, name, csrf, now, now),
            )

    def session(self, token_hash: str) -> Session | None:
        """The session with this token, or None."""
        rows = self.outbox.fetch(
            "SELECT token_hash, name, csrf, last_seen FROM staff_sessions "
            "WHERE token_hash = ?",
            (token_hash,),
        )
        if not rows:
            return None
        token_hash, name, csrf, last_seen = rows[0]
        return Session(token_hash, name, csrf, from_text(last_seen))

    def touch_session(self, token_hash: str, now: datetime) -> None:
        """Marks the session used at `now` (the idle timeout counts from here)."""
        with self.outbox.transaction() as execute:
            execute(
                "UPDATE staff_sessions SET last_seen = ? WHERE token_hash = ?",
                (to_text(now), token_hash),
            )

    def end_session(self, token_hash: str) -> None:
        """Forgets a session (signed out, or idle too long)."""
        with self.outbox.transaction() as execute:
            execute("DELETE FROM staff_sessions WHERE token_hash = ?", (token_hash,))

    def end_idle_sessions(self, idle_since: datetime) -> int:
        """Forgets every session unused since `idle_since`; returns how many."""
        with self.outbox.transaction() as execute:
            return execute(
                "DELETE FROM staff_sessions WHERE last_seen < ?", (to_text(idle_since),)
            ).rowcount

    # Audit

    def audit(
        self, actor: str, action: str, target: str, detail: str, address: str
    ) -> None:
        """Appends one entry to the audit log."""
        with self.outbox.transaction() as execute:
            execute(
                "INSERT INTO staff_audit (at, actor, action, target, detail, address) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (to_text(_utcnow()), actor, action, target, detail, address),
            )

    def audit_entries(
        self, limit: int, offset: int = 0, actor: str | None = None
    ) -> List[AuditEntry]:
        """The newest audit entries (of one actor, if given)."""
        where, parameters = ("WHERE actor = ? ", [actor]) if actor else ("", [])
        rows = self.outbox.fetch(
            "SELECT at, actor, action, target, detail, address FROM staff_audit "  # noqa: S608 - constant clauses
            f"{where}ORDER BY id DESC LIMIT ? OFFSET ?",
            (*parameters, limit, offset),
        )
        return [AuditEntry(from_text(row[0]), *row[1:]) for row in rows]

    # Request workflow

    def workflows(self) -> Dict[int, Workflow]:
        """Every request's front-desk status that staff have set, by request id."""
        return {
            request_id: Workflow(status, note, from_text(at), by)
            for request_id, status, note, at, by in self.outbox.fetch(
                "SELECT request_id, status, note, updated_at, updated_by "
                "FROM request_workflow"
            )
        }

    def reference_of(self, request_id: int) -> str | None:
        """The reference code of the request with this id, if there is one."""
        rows = self.outbox.fetch(
            "SELECT reference FROM requests WHERE id = ?", (request_id,)
        )
        return rows[0][0] if rows else None

    def new_requests(self) -> int:
        """How many requests no one has worked yet (the header's count)."""
        ((count,),) = self.outbox.fetch(
            "SELECT COUNT(*) FROM requests r LEFT JOIN request_workflow w "
            "ON w.request_id = r.id WHERE w.status IS NULL OR w.status = 'new'"
        )
        return count

    def change_status(
        self, request_id: int, from_status: str, to_status: str, actor: str, note: str
    ) -> bool:
        """Moves a request on, if it is still at `from_status`; records the change."""
        now = to_text(_utcnow())
        with self.outbox.transaction() as execute:
            rows = execute(
                "SELECT status FROM request_workflow WHERE request_id = ?",
                (request_id,),
            ).fetchall()
            current = rows[0][0] if rows else "new"
            if current != from_status:
                return False  # someone else moved it meanwhile: nothing overwritten
            if rows:
                execute(
                    "UPDATE request_workflow SET status = ?, note = ?, "
                    "updated_at = ?, updated_by = ? WHERE request_id = ?",
                    (to_status, note, now, actor, request_id),
                )
            else:
                execute(
                    "INSERT INTO request_workflow (request_id, status, note, "
                    "updated_at, updated_by) VALUES (?, ?, ?, ?, ?)",
                    (request_id, to_status, note, now, actor),
                )
            execute(
                "INSERT INTO request_history (request_id, at, actor, from_status, "
                "to_status, note) VALUES (?, ?, ?, ?, ?, ?)",
                (request_id, now, actor, from_status, to_status, note),
            )
        return True

    def history(self, request_id: int) -> List[Change]:
        """A request's status changes, oldest first."""
        return [
            Change(from_text(at), actor, from_status, to_status, note)
            for at, actor, from_status, to_status, note in self.outbox.fetch(
                "SELECT at, actor, from_status, to_status, note FROM request_history "
                "WHERE request_id = ? ORDER BY id",
                (request_id,),
            )
        ]

    def forget_requests(self, request_ids: Sequence[int]) -> None:
        """Deletes the workflow and history of deleted requests (they hold notes)."""
        with self.outbox.transaction() as execute:
            for request_id in request_ids:
                execute(
                    "DELETE FROM request_workflow WHERE request_id = ?", (request_id,)
                )
                execute(
                    "DELETE FROM request_history WHERE request_id = ?", (request_id,)
                )


def _utcnow() -> datetime:
    return datetime.now(timezone.utc)
