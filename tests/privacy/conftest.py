"""A conversation store and an outbox on both backends: SQLite files and PostgreSQL."""

from __future__ import annotations

import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, List

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    BotUttered,
    SessionStarted,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy.engine import make_url

from booking.outbox import Outbox
from stores.tracker_store import StrictSQLTrackerStore
from tests.conftest import ROOT, new_database

DOMAIN = Domain.load(str(ROOT / "domain.yml"))
DAY = 86400.0


@dataclass
class Stores:
    """The conversation store (as the server has it, and its URL) and the outbox."""

    tracker_store: StrictSQLTrackerStore
    tracker_url: str
    outbox: Outbox
    outbox_location: str | Path


def open_tracker_store(url: str) -> StrictSQLTrackerStore:
    """The server's tracker store on the database at `url`."""
    parts = make_url(url)
    if parts.drivername.startswith("sqlite"):
        return StrictSQLTrackerStore(domain=DOMAIN, db=parts.database)
    return StrictSQLTrackerStore(
        domain=DOMAIN,
        dialect="postgresql",
        host=parts.host,
        port=parts.port,
        db=parts.database,
        username=parts.username,
        password=parts.password,
    )


@pytest.fixture(
    params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def stores(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Stores]:
    """Empty stores on one backend: SQLite files, or two new PostgreSQL databases."""
    if request.param == "sqlite":
        url, location = f"sqlite:///{tmp_path / 'tracker.db'}", tmp_path / "outbox.db"
        with _stores(url, location) as opened:
            yield opened
        return
    server = request.getfixturevalue("postgres_server")
    with (
        new_database(server, "tracker") as url,
        new_database(server, "outbox") as out,
        _stores(url, out) as opened,
    ):
        yield opened


@contextmanager
def _stores(url: str, location: str | Path) -> Iterator[Stores]:
    store = open_tracker_store(url)
    outbox = Outbox(location)
    try:
        yield Stores(store, url, outbox, location)
    finally:
        store.retention.stop()
        store.engine.dispose()
        outbox.close()


def conversation(
    sender: str, texts: List[str], at: float | None = None
) -> DialogueStateTracker:
    """A conversation of one session: each text and a reply, at time `at` (now)."""
    start = time.time() if at is None else at
    tracker = DialogueStateTracker(sender, DOMAIN.slots)
    tracker.update(ActionExecuted("action_session_start", timestamp=start))
    tracker.update(SessionStarted(timestamp=start))
    for n, text in enumerate(texts, start=1):
        tracker.update(ActionExecuted("action_listen", timestamp=start + n))
        tracker.update(UserUttered(text, {"name": "inform"}, timestamp=start + n))
        tracker.update(BotUttered(f"reply to {text}", timestamp=start + n))
    return tracker
