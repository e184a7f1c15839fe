"""A SQL tracker store that fails loudly instead of forgetting conversations.

endpoints.yml: `tracker_store: {type: stores.tracker_store.StrictSQLTrackerStore,
dialect: sqlite | postgresql, ...}` (the same settings as Rasa's `type: SQL`).

Rasa wraps every tracker store in `FailSafeTrackerStore`: when the database is down,
`retrieve` returns None (the visitor silently starts a blank conversation) and `save`
writes to memory (lost at the next restart, invisible to other servers). This store is
left unwrapped (see `_keep_strict_stores_unwrapped`) and instead:

- raises `TrackerStoreUnavailable` on any database error in retrieve / save, so the
  channel answers 503 and nothing is accepted that is not stored;
- logs the outage once at ERROR (the cause's class only: SQL errors can carry the
  visitor's words) and its end at WARNING;
- answers `ping()` for GET /health (`SELECT 1`, a few seconds at most);
- gives up connecting after a few seconds, and starts even when the database is down
  (unhealthy; the tables are created once it answers) rather than retrying forever
  as Rasa's constructor does with `login_db`: a server that is up but unhealthy is
  visible to the load balancer and the health checks, and recovers by itself.

A turn reads the conversation and writes its new events; both are Rasa's own queries
on Rasa's own `events` table, but sent as SQL compiled once instead of through the ORM,
which rebuilt and hashed them on every call (py-spy on a loaded server: ~30% of a
turn's CPU). `save` also skips Rasa's COUNT of the stored events when the tracker is
the one this store read or wrote (see `_remember_stored`).
"""

from __future__ import annotations

import asyncio
import functools
import itertools
import json
import logging
import threading
import time
from contextlib import contextmanager
from typing import Any, Dict, Iterable, Iterator, List, Text

import redis
import sqlalchemy as sa
from rasa.core.agent import Agent
from rasa.core.brokers.broker import EventBroker
from rasa.core.lock_store import LockError
from rasa.core.tracker_store import (
    SQLTrackerStore,
    TrackerStore,
    create_engine_kwargs,
    is_postgresql_url,
    validate_port,
)
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import SessionStarted
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY
from sqlalchemy.exc import SQLAlchemyError

from privacy.erasure import asks_to_forget
from privacy.retention import RetentionJob, purge_conversations
from privacy.settings import privacy_settings
from stores.conversations import delete_sender

logger = logging.getLogger(__name__)

# How long a connection attempt may take before the request fails (PostgreSQL).
CONNECT_TIMEOUT_SECONDS = 3
# How long GET /health waits for `SELECT 1`.
PING_TIMEOUT_SECONDS = 4.0

# SQLTrackerStore._event_query (the latest session: events from the last
# SessionStarted's timestamp on, or all when there is none), compiled once.
_LATEST_SESSION = """
    FROM events, (
        SELECT max(timestamp) AS session_start FROM events
        WHERE sender_id = :sender_id AND type_name = :session_started
    ) AS latest
    WHERE events.sender_id = :sender_id
      AND (events.timestamp >= latest.session_start OR latest.session_start IS NULL)
"""
LATEST_SESSION_EVENTS = sa.text(
    f"SELECT events.data {_LATEST_SESSION} ORDER BY events.id"
)
LATEST_SESSION_COUNT = sa.text(f"SELECT count(*) {_LATEST_SESSION}")
# SQLTrackerStore.save's columns; a turn adds a handful of rows, in one statement.
COLUMNS = ("sender_id", "type_name", "timestamp", "intent_name", "action_name", "data")
ROWS_PER_INSERT = 100
# Where a tracker notes how many of its events the database holds.
_STORED = "_clinic_stored_events"


class TrackerStoreUnavailable(RuntimeError):  # noqa: N818 - it is a state, not a bug
    """The conversation store cannot be read or written (an outage, not a bug)."""


def is_store_outage(error: BaseException) -> bool:
    """True when a turn failed because a store is down: it may work again later.

    The tracker store (TrackerStoreUnavailable) or the Redis lock store (connection
    errors, or a conversation's lock not acquired in time).
    """
    return isinstance(
        error,
        (
            TrackerStoreUnavailable,
            LockError,
            redis.exceptions.ConnectionError,
            redis.exceptions.TimeoutError,
        ),
    )


class StrictSQLTrackerStore(SQLTrackerStore):
    """Rasa's SQLTrackerStore, never wrapped in the fail-safe, failing loudly."""

    def __init__(
        self,
        domain: Domain | None = None,
        dialect: Text = "sqlite",
        host: Text | None = None,
        port: int | None = None,
        db: Text = "rasa.db",
        username: Text | None = None,
        password: Text | None = None,
        event_broker: EventBroker | None = None,
        login_db: Text | None = None,
        query: Dict | None = None,
        **kwargs: Dict[Text, Any],
    ) -> None:
        """Makes the engine and tries the tables once; never blocks start-up long."""
        # Rasa swaps a store whose constructor raises AttributeError or ImportError
        # for an in-memory one: every problem here must be another exception.
        if login_db:
            raise ValueError(
                "StrictSQLTrackerStore does not create databases (login_db): create "
                f"the database {db!r} beforehand."
            )
        url = self.get_db_url(
            dialect, host, validate_port(port), db, username, password, None, query
        )
        engine_kwargs = create_engine_kwargs(url)
        if is_postgresql_url(url):
            connect_args = engine_kwargs.setdefault("connect_args", {})
            connect_args["connect_timeout"] = CONNECT_TIMEOUT_SECONDS
        # Autocommit: a read is one round trip (no BEGIN, no ROLLBACK when the
        # connection goes back to the pool), and a turn's new events are one INSERT
        # statement, atomic on its own. No ping before each use either: a connection
        # the database dropped (a restart) fails its first read, which makes the pool
        # discard all its connections, and the read is sent again (`_read`).
        self.engine = sa.create_engine(
            url, isolation_level="AUTOCOMMIT", **engine_kwargs
        )
        if self.engine.dialect.name == "sqlite":
            sa.event.listen(self.engine, "connect", _overwrite_deleted_rows)
        self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)
        self._tables_lock = threading.Lock()
        self._tables_ready = False
        self._down_since: float | None = None
        # Not SQLTrackerStore.__init__: it connects (retrying forever in some cases).
        TrackerStore.__init__(self, domain, event_broker, **kwargs)
        try:
            with self._guard("start-up"):
                pass
        except TrackerStoreUnavailable:
            pass  # logged; the server starts unhealthy and recovers on its own
        # Conversations older than CONVERSATION_RETENTION_DAYS are deleted now and
        # then daily (privacy/retention.py).
        days = privacy_settings().conversation_retention_days
        self.retention = RetentionJob(
            lambda: self._purge_older_than(days), days
        ).start()

    @property
    def is_available(self) -> bool:
        """False from a failed call until a call succeeds again."""
        return self._down_since is None

    async def retrieve(self, sender_id: Text) -> DialogueStateTracker | None:
        """The latest session's tracker, or None; raises TrackerStoreUnavailable."""
        with self._guard("retrieve"):
            rows = self._read(LATEST_SESSION_EVENTS, sender_id)
        if not rows or not self.domain:
            return None
        tracker = DialogueStateTracker.from_dict(
            sender_id, [json.loads(data) for (data,) in rows], self.domain.slots
        )
        _remember_stored(tracker, len(rows))
        return tracker

    async def retrieve_full_tracker(
        self, conversation_id: Text
    ) -> DialogueStateTracker | None:
        """Every session's events; raises TrackerStoreUnavailable."""
        with self._guard("retrieve"):
            return await super().retrieve_full_tracker(conversation_id)

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Stores the tracker's new events; raises TrackerStoreUnavailable."""
        await self.stream_events(tracker)
        with self._guard("save"):
            stored = _stored(tracker)
            if stored is None:
                [(stored,)] = self._read(LATEST_SESSION_COUNT, tracker.sender_id)
            if asks_to_forget(itertools.islice(tracker.events, stored, None)):
                # The visitor confirmed "delete my data": every session's events go,
                # and this turn's are not written (privacy/erasure.py).
                self._forget(tracker.sender_id)
            else:
                self._insert(_rows(tracker, stored))
        _remember_stored(tracker, len(tracker.events))

    async def keys(self) -> Iterable[Text]:
        """Every conversation id; raises TrackerStoreUnavailable."""
        with self._guard("keys"):
            return await super().keys()

    async def ping(self) -> bool:
        """True when the database answers `SELECT 1` within PING_TIMEOUT_SECONDS."""
        try:
            await asyncio.wait_for(
                asyncio.to_thread(self._select_one), PING_TIMEOUT_SECONDS
            )
        except asyncio.TimeoutError:
            self._went_down("ping", "timeout")
            return False
        except (SQLAlchemyError, OSError) as error:
            self._went_down("ping", _cause(error))
            return False
        self._came_back()
        return True

    def _forget(self, sender_id: Text) -> None:
        with self.engine.begin() as connection:
            deleted = delete_sender(connection, sender_id)
        logger.info(
            "A visitor's conversation was erased at their request (%d events).", deleted
        )

    def _purge_older_than(self, days: int) -> int:
        with self._guard("retention"):
            return purge_conversations(self.engine, days)

    def _insert(self, rows: List[Dict[str, Any]]) -> None:
        """Adds the rows: all of them or none."""
        if not rows:
            return
        with self.engine.connect() as connection:
            if len(rows) <= ROWS_PER_INSERT:  # a turn: one statement, atomic
                connection.execute(*_insert_statement(rows))
                return
            # A whole conversation (Rasa's HTTP API replacing the events): a
            # transaction around several statements.
            connection = connection.execution_options(isolation_level="SERIALIZABLE")
            with connection.begin():
                for start in range(0, len(rows), ROWS_PER_INSERT):
                    chunk = rows[start : start + ROWS_PER_INSERT]
                    connection.execute(*_insert_statement(chunk))

    def _read(self, query: sa.sql.elements.TextClause, sender_id: Text) -> List[Any]:
        """The query's rows; sent again once if the connection had been dropped."""
        for attempt in (1, 2):
            try:
                with self.engine.connect() as connection:
                    return connection.execute(
                        query, self._latest_session(sender_id)
                    ).fetchall()
            except sa.exc.DBAPIError as error:
                if attempt == 2 or not error.connection_invalidated:
                    raise
        raise AssertionError("unreachable")  # pragma: no cover

    @staticmethod
    def _latest_session(sender_id: Text) -> Dict[str, Any]:
        return {"sender_id": sender_id, "session_started": SessionStarted.type_name}

    def _select_one(self) -> None:
        self._ensure_tables()
        with self.engine.connect() as connection:
            connection.execute(sa.text("SELECT 1"))

    def _ensure_tables(self) -> None:
        # Tables that could not be made at start-up (database down) are made on the
        # first call that reaches the database.
        if self._tables_ready:
            return
        with self._tables_lock:
            if not self._tables_ready:
                self.Base.metadata.create_all(self.engine)
                self._tables_ready = True

    @contextmanager
    def _guard(self, operation: str) -> Iterator[None]:
        try:
            self._ensure_tables()
            yield
        except (SQLAlchemyError, OSError) as error:
            self._went_down(operation, _cause(error))
            raise TrackerStoreUnavailable(
                f"the tracker store failed during {operation}"
            ) from None  # the SQL error may quote the visitor's words
        self._came_back()

    def _went_down(self, operation: str, cause: str) -> None:
        if self._down_since is not None:
            return
        self._down_since = time.monotonic()
        logger.error(
            "TRACKER STORE UNAVAILABLE (%s database, %s during %s): conversations "
            "cannot be read or saved; visitors get 503 until it is back.",
            self.engine.dialect.name,
            cause,
            operation,
        )

    def _came_back(self) -> None:
        if self._down_since is None:
            return
        seconds = time.monotonic() - self._down_since
        self._down_since = None
        logger.warning("Tracker store is available again (after %.0f s).", seconds)


def _overwrite_deleted_rows(connection: Any, _: Any) -> None:
    """SQLite: deleted conversations are overwritten on disk, not just unlinked."""
    connection.execute("PRAGMA secure_delete = ON")


def _remember_stored(tracker: DialogueStateTracker, count: int) -> None:
    """Notes on the tracker that its first `count` events are in the database.

    With the last of them, by identity: a copy of the tracker (new event objects), a
    tracker whose events were cut or replaced, or one from elsewhere does not match,
    and its save counts the stored events as Rasa does.
    """
    if count == 0 or len(tracker.events) < count:
        return
    setattr(tracker, _STORED, (count, tracker.events[count - 1]))


def _stored(tracker: DialogueStateTracker) -> int | None:
    """How many of the tracker's events are stored, when this store knows it."""
    count, last = getattr(tracker, _STORED, (0, None))
    if count and len(tracker.events) >= count and tracker.events[count - 1] is last:
        return count
    return None


def _rows(tracker: DialogueStateTracker, stored: int) -> List[Dict[str, Any]]:
    """The events after the first `stored`, as SQLTrackerStore.save writes them."""
    rows = []
    for event in itertools.islice(tracker.events, stored, None):
        data = event.as_dict()
        rows.append(
            {
                "sender_id": tracker.sender_id,
                "type_name": event.type_name,
                "timestamp": data.get("timestamp"),
                "intent_name": data.get("parse_data", {})
                .get("intent", {})
                .get(INTENT_NAME_KEY),
                "action_name": data.get("name"),
                "data": json.dumps(data),
            }
        )
    return rows


@functools.lru_cache(maxsize=ROWS_PER_INSERT)
def _insert_rows(count: int) -> sa.sql.elements.TextClause:
    """INSERT of `count` events in one statement, built (and compiled) once."""
    values = ", ".join(
        "(" + ", ".join(f":{column}_{n}" for column in COLUMNS) + ")"
        for n in range(count)
    )
    names = ", ".join(COLUMNS)
    # Only column names and placeholders in the SQL: every value is a bound parameter.
    return sa.text(f"INSERT INTO events ({names}) VALUES {values}")  # noqa: S608


def _insert_statement(rows: List[Dict[str, Any]]) -> tuple:
    """The statement and its parameters for these rows."""
    parameters = {
        f"{column}_{n}": row[column] for n, row in enumerate(rows) for column in COLUMNS
    }
    return _insert_rows(len(rows)), parameters


def _cause(error: BaseException) -> str:
    """The error's class and the driver's (never its message, which may quote SQL)."""
    original = getattr(error, "orig", None)
    if original is not None:
        return f"{type(error).__name__}/{type(original).__name__}"
    return type(error).__name__


def _keep_strict_stores_unwrapped() -> None:
    """Makes `Agent` keep a StrictSQLTrackerStore as it is, not in the fail-safe.

    `Agent._create_tracker_store` (rasa/core/agent.py) wraps every store in
    `FailSafeTrackerStore`, with no setting to turn that off. Rasa imports this module
    (the `type:` in endpoints.yml) before it builds the Agent, so replacing that one
    static method here takes effect for the server and for model reloads; every other
    store is wrapped exactly as before.
    """
    original = Agent._create_tracker_store
    if getattr(original, "keeps_strict_stores", False):
        return

    def create(store: TrackerStore | None, domain: Domain) -> TrackerStore:
        if isinstance(store, StrictSQLTrackerStore):
            store.domain = domain
            return store
        return original(store, domain)

    create.keeps_strict_stores = True  # type: ignore[attr-defined]
    Agent._create_tracker_store = staticmethod(create)  # type: ignore[method-assign]


_keep_strict_stores_unwrapped()
