"""The outbox's tests run on both backends: a SQLite file and a real PostgreSQL.

The PostgreSQL runs are marked `postgres`: `make unit` leaves them out, `make
production` runs them on a throwaway server (tests/conftest.py, `postgres_server`), a
fresh database per test.
"""

from __future__ import annotations

from pathlib import Path
from typing import Dict, Iterator

import pytest

from tests.conftest import new_database

Location = str | Path


@pytest.fixture(
    params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def outbox_location(
    request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[Location]:
    """A new outbox's location: a file in tmp_path, or a new PostgreSQL database."""
    if request.param == "sqlite":
        yield tmp_path / "outbox.db"
        return
    with new_database(request.getfixturevalue("postgres_server"), "outbox") as url:
        yield url


def outbox_env(location: Location) -> Dict[str, str]:
    """The BOOKING_* variable that points the code at `location`."""
    if isinstance(location, str) and location.startswith("postgresql://"):
        return {"BOOKING_OUTBOX_URL": location}
    return {"BOOKING_OUTBOX_PATH": str(location)}
