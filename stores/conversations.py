"""The conversation store's rows outside a turn: staff tools, retention and erasure.

Rasa keeps every conversation in its `events` table (one row per event, `sender_id`,
`timestamp`, the event as JSON in `data`); the Rasa server reads and writes it through
`stores.tracker_store`. Everything else that reads or deletes those rows goes through
here: the review export, a visitor's export and deletion, and the retention purge.
"""

from __future__ import annotations

import json
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Dict, Iterator, List, Tuple

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[1]
# Rasa's own and ours (stores/tracker_store.py): the same tables and settings.
SQL_STORE_TYPES = {"sql", "stores.tracker_store.strictsqltrackerstore"}

_DELETE_SENDER = sa.text("DELETE FROM events WHERE sender_id = :sender_id")
_DELETE_BEFORE = sa.text("DELETE FROM events WHERE timestamp < :cutoff")
_SENDER_EVENTS = sa.text(
    "SELECT data FROM events WHERE sender_id = :sender_id ORDER BY id"
)
# Visitors' messages, and what says a person had the conversation: the hand-over's
# start and end (handover/conversation.py) and staff's own messages.
_USER_EVENTS = sa.text(
    "SELECT sender_id, data FROM events WHERE type_name = 'user' "
    "OR (type_name = 'action' AND action_name IN "
    "('action_start_handover', 'utter_handover_back')) "
    "OR (type_name = 'bot' AND data LIKE '%from_person%') ORDER BY timestamp"
)


def delete_sender(connection: sa.engine.Connection, sender_id: str) -> int:
    """Deletes every event of one conversation (all its sessions); returns how many."""
    return connection.execute(_DELETE_SENDER, {"sender_id": sender_id}).rowcount


def delete_before(connection: sa.engine.Connection, cutoff: float) -> int:
    """Deletes every event older than `cutoff` (a Unix time); returns how many."""
    return connection.execute(_DELETE_BEFORE, {"cutoff": cutoff}).rowcount


def sender_events(
    connection: sa.engine.Connection, sender_id: str
) -> List[Dict[str, Any]]:
    """Every event of one conversation, oldest first, as Rasa stored it."""
    rows = connection.execute(_SENDER_EVENTS, {"sender_id": sender_id})
    return [json.loads(data) for (data,) in rows]


def user_events(url: str) -> Iterator[Tuple[str, Dict]]:
    """(conversation id, event) for every visitor message in the store at `url`.

    With them, in order, the events of a hand-over to a person: its start and end
    (`action` events) and what staff wrote (`bot` events marked `from_person`).
    """
    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            for sender_id, data in connection.execute(_USER_EVENTS):
                yield sender_id, json.loads(data)
    finally:
        engine.dispose()


def tracker_store_url(endpoints: Path, must_exist: bool = True) -> str:
    """The SQLAlchemy URL of the tracker store `endpoints.yml` configures."""
    from rasa.utils.endpoints import read_endpoint_config

    config = read_endpoint_config(str(endpoints), "tracker_store")
    if config is None or (config.type or "").lower() not in SQL_STORE_TYPES:
        raise SystemExit(
            f"{endpoints} has no SQL tracker store (type: SQL or "
            "stores.tracker_store.StrictSQLTrackerStore): nothing to read."
        )
    kwargs = config.kwargs
    dialect = kwargs.get("dialect", "sqlite")
    database = kwargs.get("db", "rasa.db")
    if dialect == "sqlite":
        # Rasa opens it relative to where the server runs: the project directory.
        path = Path(database)
        path = path if path.is_absolute() else endpoints.resolve().parent / path
        if must_exist and not path.exists():
            raise SystemExit(f"No conversations yet: {path} does not exist.")
        return f"sqlite:///{path}"
    return str(
        sa.engine.URL.create(
            dialect,
            username=kwargs.get("username"),
            password=kwargs.get("password"),
            host=config.url,
            port=kwargs.get("port"),
            database=database,
        )
    )


@contextmanager
def connect(url: str) -> Iterator[sa.engine.Connection]:
    """A connection to the store at `url` in autocommit mode, as the server uses it."""
    engine = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            yield connection
    finally:
        engine.dispose()
