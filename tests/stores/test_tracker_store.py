from __future__ import annotations

import json
import logging
import sqlite3
import time
from pathlib import Path

import pytest
from rasa.core.agent import Agent
from rasa.core.tracker_store import FailSafeTrackerStore, SQLTrackerStore
from rasa.shared.core.constants import ACTION_SESSION_START_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    BotUttered,
    SessionStarted,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

from stores.tracker_store import (
    StrictSQLTrackerStore,
    TrackerStoreUnavailable,
    is_store_outage,
)

VISITOR_TEXT = "my back hurts since tuesday"

# Recent: the store's retention job purges old conversations as it starts, in a
# thread, and would race a test's saves of events stamped in 1970.
NOW = time.time() - 3600


def tracker(sender: str, *texts: str) -> DialogueStateTracker:
    made = DialogueStateTracker(sender, [])
    for text in texts:
        made.update(UserUttered(text))
    return made


def test_the_agent_keeps_the_strict_store_and_still_wraps_others(
    tmp_path: Path,
) -> None:
    strict = StrictSQLTrackerStore(db=str(tmp_path / "strict.db"))
    plain = SQLTrackerStore(db=str(tmp_path / "plain.db"))

    assert Agent(domain=Domain.empty(), tracker_store=strict).tracker_store is strict
    wrapped = Agent(domain=Domain.empty(), tracker_store=plain).tracker_store
    assert isinstance(wrapped, FailSafeTrackerStore)


async def test_a_working_store_saves_retrieves_and_answers_pings(
    tmp_path: Path,
) -> None:
    store = StrictSQLTrackerStore(domain=Domain.empty(), db=str(tmp_path / "t.db"))
    await store.save(tracker("visitor", "hello"))

    found = await store.retrieve("visitor")
    assert [event.text for event in found.events] == ["hello"]
    assert await store.ping() and store.is_available


async def test_an_unreachable_store_raises_logs_once_and_recovers(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    folder = tmp_path / "not-yet"
    store = StrictSQLTrackerStore(domain=Domain.empty(), db=str(folder / "t.db"))

    with pytest.raises(TrackerStoreUnavailable):
        await store.retrieve("visitor")
    with pytest.raises(TrackerStoreUnavailable) as raised:
        await store.save(tracker("visitor", VISITOR_TEXT))
    assert not await store.ping() and not store.is_available
    assert is_store_outage(raised.value)

    errors = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert len(errors) == 1  # once per outage, not per call
    assert "TRACKER STORE UNAVAILABLE" in errors[0].getMessage()
    assert VISITOR_TEXT not in caplog.text
    assert raised.value.__cause__ is None and VISITOR_TEXT not in str(raised.value)

    folder.mkdir()  # the database is back: tables are made, calls work again
    assert await store.ping()
    await store.save(tracker("visitor", "hello"))
    assert (await store.retrieve("visitor")).events
    # The store's own records (the retention job warns of its failed purge too).
    (back,) = [
        r
        for r in caplog.records
        if r.levelno == logging.WARNING and r.name == "stores.tracker_store"
    ]
    assert "available again" in back.getMessage()


# -- the same rows and trackers as Rasa's SQLTrackerStore ------------------------------


def _conversation(sender: str) -> DialogueStateTracker:
    """Two sessions: the store must read the latest one only, as Rasa does."""
    made = DialogueStateTracker(sender, [])
    made.update(ActionExecuted(ACTION_SESSION_START_NAME, timestamp=NOW + 1.0))
    made.update(SessionStarted(timestamp=NOW + 1.0))
    made.update(UserUttered("old session", {"name": "greet"}, timestamp=NOW + 2.0))
    made.update(ActionExecuted(ACTION_SESSION_START_NAME, timestamp=NOW + 3.0))
    made.update(SessionStarted(timestamp=NOW + 3.0))
    made.update(UserUttered("does tuina hurt", {"name": "faq"}, timestamp=NOW + 4.0))
    made.update(ActionExecuted("utter_faq", timestamp=NOW + 5.0))
    made.update(BotUttered("A little.", timestamp=NOW + 5.0))
    return made


def _rows(path: Path) -> list:
    with sqlite3.connect(path) as db:
        return db.execute(
            "SELECT sender_id, type_name, timestamp, intent_name, action_name, data"
            " FROM events ORDER BY id"
        ).fetchall()


async def test_rows_and_trackers_are_rasas(tmp_path: Path) -> None:
    ours = StrictSQLTrackerStore(domain=Domain.empty(), db=str(tmp_path / "ours.db"))
    rasas = SQLTrackerStore(domain=Domain.empty(), db=str(tmp_path / "rasa.db"))
    for store in (ours, rasas):
        await store.save(_conversation("visitor"))
    assert _rows(tmp_path / "ours.db") == _rows(tmp_path / "rasa.db")

    read_by_us = await ours.retrieve("visitor")
    read_by_rasa = await rasas.retrieve("visitor")
    assert read_by_us.events == read_by_rasa.events
    assert [e.text for e in read_by_us.events if isinstance(e, UserUttered)] == [
        "does tuina hurt"
    ]
    assert await ours.retrieve("nobody") is None


async def test_each_event_is_stored_once_however_the_tracker_is_saved(
    tmp_path: Path,
) -> None:
    path = tmp_path / "t.db"
    store = StrictSQLTrackerStore(domain=Domain.empty(), db=str(path))
    await store.save(_conversation("visitor"))

    read = await store.retrieve("visitor")
    read.update(UserUttered("thanks", {"name": "thank"}, timestamp=NOW + 6.0))
    await store.save(read)
    await store.save(read)  # saved again with nothing new
    copy = read.copy()  # new event objects: the store counts the stored ones
    copy.update(UserUttered("bye", {"name": "goodbye"}, timestamp=NOW + 7.0))
    await store.save(copy)
    other = await store.retrieve("visitor")  # another server's turn meanwhile ...
    other.update(UserUttered("one more", {"name": "faq"}, timestamp=NOW + 8.0))
    await store.save(other)
    read.update(UserUttered("stale", {"name": "faq"}, timestamp=NOW + 9.0))
    await store.save(read)  # ... then this stale tracker: its new event is kept

    texts = [json.loads(row[5])["text"] for row in _rows(path) if row[1] == "user"]
    assert texts == [
        "old session", "does tuina hurt", "thanks", "bye", "one more", "stale",
    ]  # fmt: skip
    rasa_read = await SQLTrackerStore(domain=Domain.empty(), db=str(path)).retrieve(
        "visitor"
    )
    assert (await store.retrieve("visitor")).events == rasa_read.events


async def test_a_long_conversation_saved_at_once_is_stored_whole_and_in_order(
    tmp_path: Path,
) -> None:
    # More events than one INSERT takes (a conversation replaced through Rasa's API).
    store = StrictSQLTrackerStore(domain=Domain.empty(), db=str(tmp_path / "t.db"))
    texts = [f"message {n}" for n in range(250)]
    await store.save(tracker("visitor", *texts))
    stored = [json.loads(row[5])["text"] for row in _rows(tmp_path / "t.db")]
    assert stored == texts
    read = await store.retrieve("visitor")
    assert [event.text for event in read.events] == texts


def test_start_up_with_postgres_unreachable_is_quick() -> None:
    import time

    started = time.monotonic()
    store = StrictSQLTrackerStore(
        dialect="postgresql", host="127.0.0.1", port=1, db="x", username="u"
    )
    assert time.monotonic() - started < 10
    assert not store.is_available


def test_login_db_is_refused_with_a_message() -> None:
    with pytest.raises(ValueError, match="login_db"):
        StrictSQLTrackerStore(dialect="postgresql", login_db="postgres")
