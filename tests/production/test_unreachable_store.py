"""Started with a tracker store it cannot reach, the server says so: never memory."""

from __future__ import annotations

import time
from typing import Iterator

import pytest

from scripts.servers import Assistant, free_port
from tests.assistant import started_assistant
from tests.production.conftest import health, post

pytestmark = pytest.mark.postgres

STRICT = "tracker_store:\n  type: stores.tracker_store.StrictSQLTrackerStore\n"
UNREACHABLE = {
    "sqlite-bad-path": STRICT
    + '  dialect: sqlite\n  db: "/nonexistent/dir/tracker.db"\n',
    # A port with nothing listening: connection refused, at once and at every try.
    "postgres-nothing-listening": STRICT + "  dialect: postgresql\n"
    f"  url: 127.0.0.1\n  port: {free_port()}\n  db: clinic\n"
    "  username: clinic\n  password: clinic\n",
}


@pytest.fixture(scope="module", params=sorted(UNREACHABLE))
def stranded(request, tmp_path_factory) -> Iterator[Assistant]:
    """The servers with a tracker store that is not there."""
    with started_assistant(
        tmp_path_factory.mktemp("stranded"), stores=UNREACHABLE[request.param]
    ) as running:
        yield running


def test_the_server_starts_quickly_but_unhealthy(stranded: Assistant) -> None:
    answer = health(stranded)

    assert answer.status_code == 503
    assert answer.json() == {
        "status": "unavailable",
        "checks": {"model": "ok", "tracker_store": "unavailable", "lock_store": "ok"},
    }


def test_messages_get_503_never_an_answer_from_memory(stranded: Assistant) -> None:
    for text in ["hello", "hello again", "does tuina hurt?"]:
        started = time.monotonic()
        answer = post(stranded, "visitor-1", text)
        assert answer.status_code == 503, answer.text
        assert answer.json()["error"] == "unavailable"
        assert time.monotonic() - started < 10  # gives up quickly, does not hang
    log = (stranded.tracker_db.parent / "rasa.log").read_text()
    assert log.count("TRACKER STORE UNAVAILABLE") == 1  # once per outage
    assert "InMemoryTrackerStore" not in log
