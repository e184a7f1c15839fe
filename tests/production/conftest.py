"""The Rasa server on a throwaway PostgreSQL and Redis that the tests stop and start."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Iterator

import pytest
import requests

from scripts.servers import ROOT, Assistant, free_port
from scripts.services import (
    Postgres,
    start_postgres,
    start_redis,
    stop,
    stop_postgres,
    throwaway_postgres,
    wait_for_postgres,
    wait_for_redis,
)
from tests.assistant import started_assistant

# endpoints.prod.yml's stores, word for word (the ${NAME}s come from the environment).
PROD_STORES = (
    "tracker_store:"
    + ROOT.joinpath("endpoints.prod.yml")
    .read_text(encoding="utf-8")
    .split("tracker_store:", 1)[1]
)


class Database:
    """The throwaway PostgreSQL, which a test can take away and bring back."""

    def rows(self, query: str, parameters: tuple = ()) -> list:
        """The rows of one query, on a connection of its own."""
        connection = self.info.connect()
        try:
            with connection.cursor() as cursor:
                cursor.execute(query, parameters)
                return cursor.fetchall()
        finally:
            connection.close()

    def __init__(self, workdir: Path, info: Postgres) -> None:
        """Controls the server `throwaway_postgres` started in `workdir`."""
        self.workdir, self.info = workdir, info
        self.process: subprocess.Popen | None = None

    def stop(self) -> None:
        """Fast shutdown: open sessions are cut, as when the database host fails."""
        stop_postgres(self.workdir)

    def start(self) -> None:
        """Starts it again on the same port and data."""
        self.process = start_postgres(self.workdir, port=self.info.port)
        wait_for_postgres(self.info, self.process, 60)


class Cache:
    """The throwaway Redis for the lock store, which a test can stop and start."""

    def __init__(self, workdir: Path) -> None:
        """Starts redis-server on a free port."""
        workdir.mkdir(parents=True, exist_ok=True)
        self.workdir, self.port = workdir, free_port()
        self.process = start_redis(workdir, self.port)
        wait_for_redis(self.url, self.process, 30)

    @property
    def url(self) -> str:
        """Its redis:// URL."""
        return f"redis://127.0.0.1:{self.port}/0"

    def stop(self) -> None:
        """Stops it."""
        stop(self.process)

    def start(self) -> None:
        """Starts it again on the same port."""
        self.process = start_redis(self.workdir, self.port)
        wait_for_redis(self.url, self.process, 30)


@pytest.fixture(scope="module")
def services(tmp_path_factory) -> Iterator[tuple]:
    """A PostgreSQL and a Redis of the tests' own."""
    workdir = tmp_path_factory.mktemp("services")
    with throwaway_postgres(workdir / "postgres") as info:
        cache = Cache(workdir / "redis")
        database = Database(workdir / "postgres", info)
        try:
            yield database, cache
        finally:
            cache.stop()
            if database.process is not None:  # restarted by a test
                stop(database.process)


@pytest.fixture(scope="module")
def production(tmp_path_factory, services) -> Iterator[Assistant]:
    """The servers with endpoints.prod.yml's stores: PostgreSQL and the Redis locks."""
    database, cache = services
    env = {
        **database.info.env(),
        "REDIS_HOST": "127.0.0.1",
        "REDIS_PORT": str(cache.port),
        "REDIS_PASSWORD": "",
    }
    with started_assistant(
        tmp_path_factory.mktemp("production"), stores=PROD_STORES, extra_env=env
    ) as running:
        yield running


def post(assistant: Assistant, sender: str, text: str) -> requests.Response:
    """One message through the REST channel; the raw response."""
    return requests.post(
        f"{assistant.url}/webhooks/rest/webhook",
        json={"sender": sender, "message": text},
        timeout=30,
    )


def health(assistant: Assistant) -> requests.Response:
    """GET /health, without a token."""
    return requests.get(f"{assistant.url}/health", timeout=15)
