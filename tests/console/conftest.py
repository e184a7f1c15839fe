"""The console's tables on both backends: a SQLite file and (marked) PostgreSQL."""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

import pytest

from booking.outbox import Outbox
from console.db import ConsoleStore
from tests.conftest import new_database


@pytest.fixture(
    params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def outbox(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Outbox]:
    """A new outbox: a file in tmp_path, or a new PostgreSQL database."""
    if request.param == "sqlite":
        with Outbox(tmp_path / "outbox.db") as opened:
            yield opened
        return
    server = request.getfixturevalue("postgres_server")
    with new_database(server, "console") as url, Outbox(url) as opened:
        yield opened


@pytest.fixture
def store(outbox: Outbox) -> ConsoleStore:
    """The console's tables beside that outbox."""
    return ConsoleStore(outbox)
