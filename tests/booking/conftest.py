"""The outbox's tests run on both backends: a SQLite file and a real PostgreSQL.

The PostgreSQL runs are marked `postgres`: `make unit` leaves them out, `make
production` runs them on a throwaway server (scripts/services.py), a fresh database
per test.
"""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Dict, Iterator

import pytest

Location = str | Path


@pytest.fixture(scope="session")
def postgres_server(tmp_path_factory: pytest.TempPathFactory):
    from scripts.services import throwaway_postgres

    with throwaway_postgres(tmp_path_factory.mktemp("postgres")) as server:
        yield server


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
    server = request.getfixturevalue("postgres_server")
    name = f"outbox_{secrets.token_hex(4)}"
    admin = server.connect("postgres")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    try:
        yield server.url.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        admin.close()


def outbox_env(location: Location) -> Dict[str, str]:
    """The BOOKING_* variable that points the code at `location`."""
    if isinstance(location, str) and location.startswith("postgresql://"):
        return {"BOOKING_OUTBOX_URL": location}
    return {"BOOKING_OUTBOX_PATH": str(location)}
