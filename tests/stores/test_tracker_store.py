from __future__ import annotations

import logging
from pathlib import Path

import pytest
from rasa.core.agent import Agent
from rasa.core.tracker_store import FailSafeTrackerStore, SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from stores.tracker_store import (
    StrictSQLTrackerStore,
    TrackerStoreUnavailable,
    is_store_outage,
)

VISITOR_TEXT = "my back hurts since tuesday"


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
    (back,) = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert "available again" in back.getMessage()


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
