"""A summary index of the tracker store, so the console never parses every event.

Rasa keeps each conversation as event rows (`events`: id, sender_id, type_name,
timestamp, data as JSON). Reading them all for a list or a chart would take seconds at
10,000 conversations, so the console keeps two tables beside them, in the same
database, refreshed incrementally from the events added since the last refresh:

- `console_messages`: one row per visitor message: when (and its Shanghai day), channel,
  language, intent, FAQ topic, confidence, whether it fell back or asked for a person,
  and its text (for search);
- `console_conversations`: one row per conversation: first and last message, count,
  channel, language, and whether it fell back, asked for a person or booked.

Deleted events (a visitor's erasure, the retention purge) are noticed by their count
and the index rows without events go too, so no text outlives its conversation. Every
query the console makes on the tracker store is here (transcripts:
`stores.conversations`).
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import Any, Dict, Iterable, List, Sequence, Tuple
from zoneinfo import ZoneInfo

import sqlalchemy as sa

SHANGHAI = ZoneInfo("Asia/Shanghai")
FALLBACK_INTENT = "nlu_fallback"
HANDOFF_INTENT = "human_handoff"
BOOKED_RESPONSES = {"utter_booking_submitted", "utter_callback_submitted"}
_BATCH = 5000
# PostgreSQL may commit an event with a lower id after a higher one: each refresh
# reads this many ids back again (rows already indexed are skipped).
_MARGIN = 500
_CHUNK = 400
_SEARCH_TEXT_LENGTH = 1000

_SCHEMA = [
    """CREATE TABLE IF NOT EXISTS console_messages (
        event_id BIGINT PRIMARY KEY,
        sender_id VARCHAR(255) NOT NULL,
        at DOUBLE PRECISION NOT NULL,
        day VARCHAR(10) NOT NULL,
        channel VARCHAR(64) NOT NULL DEFAULT '',
        language VARCHAR(8) NOT NULL DEFAULT '',
        intent VARCHAR(255) NOT NULL DEFAULT '',
        topic VARCHAR(255) NOT NULL DEFAULT '',
        confidence DOUBLE PRECISION,
        fell_back INTEGER NOT NULL DEFAULT 0,
        handoff INTEGER NOT NULL DEFAULT 0,
        text TEXT NOT NULL DEFAULT ''
    )""",
    "CREATE INDEX IF NOT EXISTS console_messages_sender "
    "ON console_messages (sender_id, at)",
    "CREATE INDEX IF NOT EXISTS console_messages_day ON console_messages (day)",
    """CREATE TABLE IF NOT EXISTS console_conversations (
        sender_id VARCHAR(255) PRIMARY KEY,
        started_at DOUBLE PRECISION NOT NULL,
        last_at DOUBLE PRECISION NOT NULL,
        first_day VARCHAR(10) NOT NULL,
        last_day VARCHAR(10) NOT NULL,
        messages INTEGER NOT NULL,
        channel VARCHAR(64) NOT NULL DEFAULT '',
        language VARCHAR(8) NOT NULL DEFAULT '',
        fell_back INTEGER NOT NULL DEFAULT 0,
        handoff INTEGER NOT NULL DEFAULT 0,
        booked INTEGER NOT NULL DEFAULT 0
    )""",
    "CREATE INDEX IF NOT EXISTS console_conversations_last "
    "ON console_conversations (last_at)",
    """CREATE TABLE IF NOT EXISTS console_index_state (
        name VARCHAR(32) PRIMARY KEY,
        last_event_id BIGINT NOT NULL,
        event_count BIGINT NOT NULL
    )""",
]


@dataclass(frozen=True)
class Filters:
    """What the conversations page asks for; empty fields do not filter."""

    query: str = ""
    channel: str = ""
    language: str = ""
    since: str = ""  # a Shanghai day, "2026-12-05"
    until: str = ""
    fell_back: bool = False
    booked: bool = False
    handoff: bool = False


@dataclass(frozen=True)
class Summary:
    """One conversation in the list."""

    sender_id: str
    started_at: datetime
    last_at: datetime
    messages: int
    channel: str
    language: str
    fell_back: bool
    handoff: bool
    booked: bool
    first_message: str


@dataclass
class Dashboard:
    """The dashboard's figures for a range of days."""

    by_channel: Dict[str, Dict[str, int]]  # day -> channel -> messages
    by_language: Dict[str, Dict[str, int]]
    fallback: Dict[str, Tuple[int, int]]  # day -> (fell back, messages)
    topics: List[Tuple[str, int]]


def shanghai_day(timestamp: float) -> str:
    """The Shanghai calendar day of a Unix time, "2026-12-05"."""
    return datetime.fromtimestamp(timestamp, SHANGHAI).date().isoformat()


def message_row(event_id: int, sender_id: str, event: Dict[str, Any]) -> Dict:
    """The index row of one visitor message (a `user` event as Rasa stored it)."""
    parse = event.get("parse_data") or {}
    intent = parse.get("intent") or {}
    name = str(intent.get("name") or "")
    topic = ""
    selector = (parse.get("response_selector") or {}).get(name) or {}
    if selector:
        topic = str((selector.get("response") or {}).get("intent_response_key") or "")
    language = next(
        (
            str(entity.get("value"))
            for entity in parse.get("entities") or []
            if entity.get("entity") == "language"
        ),
        "",
    )
    timestamp = float(event.get("timestamp") or 0)
    confidence = intent.get("confidence")
    return {
        "event_id": event_id,
        "sender_id": sender_id,
        "at": timestamp,
        "day": shanghai_day(timestamp),
        "channel": str(event.get("input_channel") or "")[:64],
        "language": language[:8],
        "intent": name[:255],
        "topic": topic[:255],
        "confidence": float(confidence) if confidence is not None else None,
        "fell_back": int(name == FALLBACK_INTENT),
        "handoff": int(name == HANDOFF_INTENT),
        "text": str(event.get("text") or "")[:_SEARCH_TEXT_LENGTH].lower(),
    }


def books(event: Dict[str, Any]) -> bool:
    """Whether a `bot` event is the message that confirms a request was sent."""
    return (event.get("metadata") or {}).get("utter_action") in BOOKED_RESPONSES


class ConversationIndex:
    """The summary tables in the tracker store's database, and every query on them."""

    def __init__(self, url: str) -> None:
        """Opens the tracker store at `url` (SQLAlchemy) and creates the tables."""
        self.engine = sa.create_engine(url, pool_pre_ping=True)
        self._lock = threading.Lock()
        with self.engine.begin() as connection:
            for statement in _SCHEMA:
                connection.execute(sa.text(statement))

    def close(self) -> None:
        """Closes the connections."""
        self.engine.dispose()

    def refresh(self) -> int:
        """Indexes the events added (and forgets those deleted) since the last call.

        Each batch is its own short transaction: on SQLite the Rasa server waits for
        the console's writes, so none may hold the database for long.
        """
        with self._lock:
            with self.engine.begin() as connection:
                if not sa.inspect(connection).has_table("events"):
                    return 0  # the Rasa server has not stored a conversation yet
                state = connection.execute(
                    sa.text(
                        "SELECT last_event_id, event_count FROM console_index_state "
                        "WHERE name = 'events'"
                    )
                ).first()
                last_id, count = (state[0], state[1]) if state else (0, 0)
                total, newest = connection.execute(
                    sa.text("SELECT COUNT(*), MAX(id) FROM events")
                ).one()
                added = connection.execute(
                    sa.text("SELECT COUNT(*) FROM events WHERE id > :last"),
                    {"last": last_id},
                ).scalar_one()
                if total < count + added:
                    self._forget_deleted(connection)
            indexed = 0
            if newest is not None and newest > last_id:
                indexed = self._index_from(max(0, last_id - _MARGIN))
            with self.engine.begin() as connection:
                connection.execute(
                    sa.text("DELETE FROM console_index_state WHERE name = 'events'")
                )
                connection.execute(
                    sa.text(
                        "INSERT INTO console_index_state (name, last_event_id, "
                        "event_count) VALUES ('events', :last, :count)"
                    ),
                    {"last": newest or 0, "count": total},
                )
            return indexed

    def _index_from(self, after: int) -> int:
        indexed = 0
        while True:
            with self.engine.begin() as connection:
                indexed_now, after = self._index_batch(connection, after)
            if indexed_now is None:
                return indexed
            indexed += indexed_now

    def _index_batch(
        self, connection: sa.engine.Connection, after: int
    ) -> Tuple[int | None, int]:
        """Indexes one batch of events after `after`: (messages added, last id)."""
        rows = connection.execute(
            sa.text(
                "SELECT id, sender_id, type_name, data FROM events "
                "WHERE id > :after "
                "AND type_name IN ('user', 'bot') ORDER BY id LIMIT :batch"
            ),
            {"after": after, "batch": _BATCH},
        ).all()
        if not rows:
            return None, after
        after = rows[-1][0]
        messages, booked, senders = [], set(), set()
        for event_id, sender_id, type_name, data in rows:
            event = json.loads(data)
            senders.add(sender_id)
            if type_name == "user":
                messages.append(message_row(event_id, sender_id, event))
            elif books(event):
                booked.add(sender_id)
        indexed = self._insert_messages(connection, messages)
        self._summarise(connection, sorted(senders), booked)
        return indexed, after

    def _insert_messages(
        self, connection: sa.engine.Connection, messages: List[Dict]
    ) -> int:
        if not messages:
            return 0
        existing = set()
        for chunk in _chunks([m["event_id"] for m in messages]):
            existing |= {
                row[0]
                for row in connection.execute(
                    sa.text(
                        "SELECT event_id FROM console_messages WHERE event_id IN :ids"
                    ).bindparams(sa.bindparam("ids", expanding=True)),
                    {"ids": chunk},
                )
            }
        fresh = [m for m in messages if m["event_id"] not in existing]
        if fresh:
            connection.execute(
                sa.text(
                    "INSERT INTO console_messages (event_id, sender_id, at, day, "
                    "channel, language, intent, topic, confidence, fell_back, handoff, "
                    "text) VALUES (:event_id, :sender_id, :at, :day, :channel, "
                    ":language, :intent, :topic, :confidence, :fell_back, :handoff, "
                    ":text)"
                ),
                fresh,
            )
        return len(fresh)

    def _summarise(
        self,
        connection: sa.engine.Connection,
        senders: Sequence[str],
        booked: Iterable[str] = (),
    ) -> None:
        """Recomputes the summary rows of `senders` from their indexed messages."""
        booked = set(booked)
        for chunk in _chunks(list(senders)):
            expanding = sa.bindparam("senders", expanding=True)
            was_booked = {
                row[0]
                for row in connection.execute(
                    sa.text(
                        "SELECT sender_id FROM console_conversations "
                        "WHERE booked = 1 AND sender_id IN :senders"
                    ).bindparams(expanding),
                    {"senders": chunk},
                )
            }
            messages = connection.execute(
                sa.text(
                    "SELECT sender_id, at, day, channel, language, fell_back, handoff "
                    "FROM console_messages WHERE sender_id IN :senders "
                    "ORDER BY sender_id, at"
                ).bindparams(expanding),
                {"senders": chunk},
            ).all()
            rows: Dict[str, Dict] = {}
            for sender_id, at, day, channel, language, fell_back, handoff in messages:
                row = rows.get(sender_id)
                if row is None:
                    row = rows[sender_id] = {
                        "sender_id": sender_id,
                        "started_at": at,
                        "first_day": day,
                        "messages": 0,
                        "channel": channel,
                        "language": language,
                        "fell_back": 0,
                        "handoff": 0,
                        "booked": int(sender_id in booked or sender_id in was_booked),
                    }
                row["last_at"], row["last_day"] = at, day
                row["messages"] += 1
                row["language"] = language or row["language"]
                row["fell_back"] |= fell_back
                row["handoff"] |= handoff
            connection.execute(
                sa.text(
                    "DELETE FROM console_conversations WHERE sender_id IN :senders"
                ).bindparams(expanding),
                {"senders": chunk},
            )
            if rows:
                connection.execute(
                    sa.text(
                        "INSERT INTO console_conversations (sender_id, started_at, "
                        "last_at, first_day, last_day, messages, channel, language, "
                        "fell_back, handoff, booked) VALUES (:sender_id, :started_at, "
                        ":last_at, :first_day, :last_day, :messages, :channel, "
                        ":language, :fell_back, :handoff, :booked)"
                    ),
                    list(rows.values()),
                )

    def _forget_deleted(self, connection: sa.engine.Connection) -> None:
        # Events were deleted: drop the index rows whose events are gone, then
        # recompute the conversations that lost messages.
        connection.execute(
            sa.text(
                "DELETE FROM console_messages WHERE NOT EXISTS "
                "(SELECT 1 FROM events e WHERE e.id = console_messages.event_id)"
            )
        )
        connection.execute(
            sa.text(
                "DELETE FROM console_conversations WHERE NOT EXISTS (SELECT 1 FROM "
                "events e WHERE e.sender_id = console_conversations.sender_id)"
            )
        )
        changed = connection.execute(
            sa.text(
                "SELECT c.sender_id FROM console_conversations c LEFT JOIN "
                "(SELECT sender_id, COUNT(*) AS n FROM console_messages "
                "GROUP BY sender_id) m ON m.sender_id = c.sender_id "
                "WHERE m.n IS NULL OR m.n <> c.messages"
            )
        ).all()
        self._summarise(connection, [row[0] for row in changed])

    # Queries

    def conversations(
        self, filters: Filters, limit: int = 50, offset: int = 0
    ) -> Tuple[List[Summary], int]:
        """A page of conversations, the most recently active first, and the total."""
        where, parameters = _where(filters)
        with self.engine.connect() as connection:
            total = connection.execute(
                sa.text(f"SELECT COUNT(*) FROM console_conversations c {where}"),  # noqa: S608 - built from constant clauses
                parameters,
            ).scalar_one()
            rows = connection.execute(
                sa.text(
                    "SELECT sender_id, started_at, last_at, messages, channel, "  # noqa: S608 - built from constant clauses
                    f"language, fell_back, handoff, booked FROM console_conversations "
                    f"c {where} ORDER BY last_at DESC, sender_id LIMIT :limit "
                    "OFFSET :offset"
                ),
                {**parameters, "limit": limit, "offset": offset},
            ).all()
            first = sa.text(
                "SELECT text FROM console_messages WHERE sender_id = :sender "
                "ORDER BY at LIMIT 1"
            )
            summaries = [
                Summary(
                    sender_id=row[0],
                    started_at=_moment(row[1]),
                    last_at=_moment(row[2]),
                    messages=row[3],
                    channel=row[4],
                    language=row[5],
                    fell_back=bool(row[6]),
                    handoff=bool(row[7]),
                    booked=bool(row[8]),
                    first_message=connection.execute(first, {"sender": row[0]}).scalar()
                    or "",
                )
                for row in rows
            ]
        return summaries, total

    def messages(self, sender_id: str) -> Dict[int, Dict]:
        """The indexed visitor messages of one conversation, by event id."""
        with self.engine.connect() as connection:
            rows = connection.execute(
                sa.text(
                    "SELECT event_id, intent, topic, confidence FROM console_messages "
                    "WHERE sender_id = :sender"
                ),
                {"sender": sender_id},
            ).all()
        return {
            row[0]: {"intent": row[1], "topic": row[2], "confidence": row[3]}
            for row in rows
        }

    def choices(self) -> Tuple[List[str], List[str]]:
        """The channels and languages there are, for the filters."""
        with self.engine.connect() as connection:
            channels = connection.execute(
                sa.text(
                    "SELECT DISTINCT channel FROM console_conversations "
                    "ORDER BY channel"
                )
            ).scalars()
            channels = [c for c in channels if c]
            languages = connection.execute(
                sa.text(
                    "SELECT DISTINCT language FROM console_conversations "
                    "ORDER BY language"
                )
            ).scalars()
            return channels, [lang for lang in languages if lang]

    def dashboard(self, since: date, until: date) -> Dashboard:
        """Messages per day by channel and by language, fallbacks, top topics."""
        bounds = {"since": since.isoformat(), "until": until.isoformat()}
        in_range = "FROM console_messages WHERE day >= :since AND day <= :until"
        by_channel: Dict[str, Dict[str, int]] = {}
        by_language: Dict[str, Dict[str, int]] = {}
        fallback: Dict[str, Tuple[int, int]] = {}
        with self.engine.connect() as connection:
            for day, channel, language, fell_back, count in connection.execute(
                sa.text(
                    "SELECT day, channel, language, fell_back, COUNT(*) "
                    f"{in_range} GROUP BY day, channel, language, fell_back"
                ),
                bounds,
            ):
                channels = by_channel.setdefault(day, {})
                channels[channel or "?"] = channels.get(channel or "?", 0) + count
                languages = by_language.setdefault(day, {})
                languages[language or "?"] = languages.get(language or "?", 0) + count
                failed, total = fallback.get(day, (0, 0))
                fallback[day] = (failed + count * fell_back, total + count)
            topics = connection.execute(
                sa.text(
                    "SELECT CASE WHEN topic <> '' THEN topic ELSE intent END AS t, "
                    f"COUNT(*) AS n {in_range} GROUP BY "
                    "CASE WHEN topic <> '' THEN topic ELSE intent END "
                    "ORDER BY n DESC LIMIT 12"
                ),
                bounds,
            ).all()
        return Dashboard(
            by_channel, by_language, fallback, [(t or "?", n) for t, n in topics]
        )


def _where(filters: Filters) -> Tuple[str, Dict[str, Any]]:
    clauses: List[str] = []
    parameters: Dict[str, Any] = {}
    if filters.query:
        parameters["pattern"] = "%" + _escape(filters.query.strip().lower()) + "%"
        parameters["sender"] = filters.query.strip()
        clauses.append(
            "(c.sender_id = :sender OR c.sender_id IN (SELECT sender_id FROM "
            "console_messages WHERE text LIKE :pattern ESCAPE '!'))"
        )
    for name in ("channel", "language"):
        value = getattr(filters, name)
        if value:
            parameters[name] = value
            clauses.append(f"c.{name} = :{name}")
    if filters.since:
        parameters["since"] = filters.since
        clauses.append("c.last_day >= :since")
    if filters.until:
        parameters["until"] = filters.until
        clauses.append("c.first_day <= :until")
    for flag in ("fell_back", "booked", "handoff"):
        if getattr(filters, flag):
            clauses.append(f"c.{flag} = 1")
    return ("WHERE " + " AND ".join(clauses)) if clauses else "", parameters


def _escape(text: str) -> str:
    # LIKE's wildcards typed by staff are searched for as themselves.
    return text.replace("!", "!!").replace("%", "!%").replace("_", "!_")


def _chunks(items: List[Any]) -> Iterable[List[Any]]:
    for start in range(0, len(items), _CHUNK):
        yield items[start : start + _CHUNK]


def _moment(timestamp: float) -> datetime:
    return datetime.fromtimestamp(timestamp, timezone.utc)
