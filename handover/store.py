"""Who has which conversation: the hand-overs and who is online, in a shared database.

The table lives in the outbox's database (the SQLite file, or PostgreSQL with
BOOKING_OUTBOX_URL), beside the console's own tables, so every Rasa server, the action
server and every console process see the same state. It holds no message text: what
anyone said is only in the conversation's tracker (where retention and erasure apply).
A row is `waiting` (a visitor asked, nobody has answered), `live` (claimed by one
member of staff) or `ended` (back with the assistant). `staff_seq` counts what staff
added to the tracker, so each Rasa server reads the tracker only when it changed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import List

from booking.outbox import Outbox

WAITING, LIVE, ENDED = "waiting", "live", "ended"
TIME_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS handovers (
    sender_id TEXT PRIMARY KEY,
    channel TEXT NOT NULL DEFAULT '',
    language TEXT NOT NULL DEFAULT '',
    reason TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL,
    claimed_by TEXT NOT NULL DEFAULT '',
    started_at TEXT NOT NULL,
    last_activity TEXT NOT NULL,
    staff_seq INTEGER NOT NULL DEFAULT 0,
    ended_at TEXT,
    visitor_typing_at TEXT
);
CREATE INDEX IF NOT EXISTS handovers_status ON handovers (status);
CREATE TABLE IF NOT EXISTS staff_presence (
    name TEXT PRIMARY KEY,
    last_seen TEXT NOT NULL
);
"""
_SELECT = (
    "SELECT sender_id, channel, language, reason, status, claimed_by, started_at, "
    "last_activity, staff_seq, ended_at, visitor_typing_at FROM handovers "
)


@dataclass(frozen=True)
class Handover:
    """One conversation a person was asked to take."""

    sender_id: str
    channel: str
    language: str
    reason: str
    status: str
    claimed_by: str
    started_at: datetime
    last_activity: datetime
    staff_seq: int
    ended_at: datetime | None
    visitor_typing_at: datetime | None = None

    @property
    def is_open(self) -> bool:
        """Waiting for a person, or with one."""
        return self.status != ENDED


def to_text(moment: datetime) -> str:
    """A UTC timestamp as stored (fixed width, so text order is time order)."""
    return moment.astimezone(timezone.utc).strftime(TIME_FORMAT)


def from_text(text: str) -> datetime:
    """A stored timestamp as an aware UTC datetime."""
    return datetime.fromisoformat(text.removesuffix("Z")).replace(tzinfo=timezone.utc)


def utcnow() -> datetime:
    """Now, in UTC."""
    return datetime.now(timezone.utc)


class HandoverStore:
    """Every query on the hand-over tables (one Outbox connection)."""

    def __init__(self, outbox: Outbox) -> None:
        """Creates the tables if they are missing."""
        self.outbox = outbox
        with outbox.transaction() as execute:
            for statement in _SCHEMA.split(";"):
                if statement.strip():
                    execute(statement)

    def open(
        self,
        sender_id: str,
        channel: str,
        language: str,
        reason: str,
        now: datetime | None = None,
    ) -> bool:
        """Puts the conversation in the queue; False if it is there already."""
        stamp = to_text(now or utcnow())
        with self.outbox.transaction() as execute:
            added = execute(
                "INSERT INTO handovers (sender_id, channel, language, reason, status, "
                "started_at, last_activity) VALUES (?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (sender_id) DO NOTHING",
                (sender_id, channel, language, reason, WAITING, stamp, stamp),
            ).rowcount
            if added:
                return True
            # An ended hand-over is asked for again: a new one, same row.
            return bool(
                execute(
                    "UPDATE handovers SET channel = ?, language = ?, reason = ?, "
                    "status = ?, claimed_by = '', started_at = ?, last_activity = ?, "
                    "staff_seq = staff_seq + 1, ended_at = NULL "
                    "WHERE sender_id = ? AND status = ?",
                    (
                        channel,
                        language,
                        reason,
                        WAITING,
                        stamp,
                        stamp,
                        sender_id,
                        ENDED,
                    ),
                ).rowcount
            )

    def claim(self, sender_id: str, name: str, now: datetime | None = None) -> bool:
        """`name` takes a waiting conversation; True if it is now theirs."""
        stamp = to_text(now or utcnow())
        with self.outbox.transaction() as execute:
            execute(
                "UPDATE handovers SET status = ?, claimed_by = ?, last_activity = ? "
                "WHERE sender_id = ? AND status = ?",
                (LIVE, name, stamp, sender_id, WAITING),
            )
        current = self.get(sender_id)
        return (
            current is not None
            and current.status == LIVE
            and (current.claimed_by == name)
        )

    def end(self, sender_id: str, now: datetime | None = None) -> bool:
        """Back to the assistant; True for the one call that ended it."""
        stamp = to_text(now or utcnow())
        with self.outbox.transaction() as execute:
            return bool(
                execute(
                    "UPDATE handovers SET status = ?, ended_at = ?, "
                    "staff_seq = staff_seq + 1 WHERE sender_id = ? AND status != ?",
                    (ENDED, stamp, sender_id, ENDED),
                ).rowcount
            )

    def staff_said(self, sender_id: str, now: datetime | None = None) -> None:
        """Staff added a message to the tracker: servers deliver it."""
        with self.outbox.transaction() as execute:
            execute(
                "UPDATE handovers SET last_activity = ?, staff_seq = staff_seq + 1 "
                "WHERE sender_id = ?",
                (to_text(now or utcnow()), sender_id),
            )

    def visitor_said(self, sender_id: str, now: datetime | None = None) -> None:
        """The visitor wrote during the hand-over (it is not idle)."""
        with self.outbox.transaction() as execute:
            execute(
                "UPDATE handovers SET last_activity = ? "
                "WHERE sender_id = ? AND status != ?",
                (to_text(now or utcnow()), sender_id, ENDED),
            )

    def visitor_typing(self, sender_id: str, now: datetime | None = None) -> None:
        """The visitor is typing (the widget says so every 2 s while they do)."""
        with self.outbox.transaction() as execute:
            execute(
                "UPDATE handovers SET visitor_typing_at = ? "
                "WHERE sender_id = ? AND status != ?",
                (to_text(now or utcnow()), sender_id, ENDED),
            )

    def get(self, sender_id: str) -> Handover | None:
        """The conversation's hand-over, or None."""
        rows = self.outbox.fetch(
            _SELECT + "WHERE sender_id = ?",
            (sender_id,),
        )
        return _handover(rows[0]) if rows else None

    def queue(self) -> List[Handover]:
        """The open hand-overs: waiting ones first, then the oldest."""
        rows = self.outbox.fetch(
            _SELECT + "WHERE status != ? "
            "ORDER BY CASE WHEN status = ? THEN 0 ELSE 1 END, started_at",
            (ENDED, WAITING),
        )
        return [_handover(row) for row in rows]

    def changed_since(self, since: datetime) -> List[Handover]:
        """Open hand-overs, and those ended after `since` (their last words)."""
        rows = self.outbox.fetch(
            _SELECT + "WHERE status != ? OR ended_at > ?",
            (ENDED, to_text(since)),
        )
        return [_handover(row) for row in rows]

    def idle(self, before: datetime) -> List[Handover]:
        """Open hand-overs where nobody wrote since `before`."""
        rows = self.outbox.fetch(
            _SELECT + "WHERE status != ? AND last_activity < ?",
            (ENDED, to_text(before)),
        )
        return [_handover(row) for row in rows]

    def forget(self, sender_ids: List[str]) -> int:
        """Deletes these conversations' hand-overs (a visitor's erasure); how many."""
        with self.outbox.transaction() as execute:
            return sum(
                execute("DELETE FROM handovers WHERE sender_id = ?", (sender,)).rowcount
                for sender in sender_ids
            )

    def forget_ended(self, before: datetime) -> int:
        """Deletes hand-overs that ended before `before`; how many."""
        with self.outbox.transaction() as execute:
            return execute(
                "DELETE FROM handovers WHERE status = ? AND ended_at < ?",
                (ENDED, to_text(before)),
            ).rowcount

    def seen(self, name: str, now: datetime | None = None) -> None:
        """`name` has the console's Live page open."""
        stamp = to_text(now or utcnow())
        with self.outbox.transaction() as execute:
            execute(
                "INSERT INTO staff_presence (name, last_seen) VALUES (?, ?) "
                "ON CONFLICT (name) DO UPDATE SET last_seen = excluded.last_seen",
                (name, stamp),
            )

    def gone(self, name: str) -> None:
        """`name` signed out: no longer online."""
        with self.outbox.transaction() as execute:
            execute("DELETE FROM staff_presence WHERE name = ?", (name,))

    def online(self, since: datetime) -> List[str]:
        """Who had the Live page open since `since`, by name."""
        rows = self.outbox.fetch(
            "SELECT name FROM staff_presence WHERE last_seen >= ? ORDER BY name",
            (to_text(since),),
        )
        return [name for (name,) in rows]


def _handover(row: tuple) -> Handover:
    sender, channel, language, reason, status, claimed_by = row[:6]
    started, last, seq, ended, typing = row[6:]
    return Handover(
        sender,
        channel,
        language,
        reason,
        status,
        claimed_by,
        from_text(started),
        from_text(last),
        int(seq),
        from_text(ended) if ended else None,
        from_text(typing) if typing else None,
    )


_shared: HandoverStore | None = None


def shared_store() -> HandoverStore:
    """The store on this process's outbox (BOOKING_OUTBOX_PATH or _URL), opened once."""
    global _shared
    if _shared is None:
        from booking.settings import booking_settings

        _shared = HandoverStore(Outbox(booking_settings().outbox))
    return _shared
