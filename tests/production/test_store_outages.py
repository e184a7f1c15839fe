"""The Rasa server on PostgreSQL and Redis: outages fail loudly, nothing is lost."""

from __future__ import annotations

import json
import time
import uuid

import pytest

from scripts.servers import Assistant
from tests.production.conftest import Database, health, post

pytestmark = pytest.mark.postgres


def stored_user_texts(database: Database, sender: str) -> list:
    """What the visitor said, as PostgreSQL holds it, in order."""
    rows = database.rows(
        "SELECT data FROM events WHERE sender_id = %s AND type_name = 'user' "
        "ORDER BY id",
        (sender,),
    )
    return [json.loads(data)["text"] for (data,) in rows]


def wait_for_health(assistant: Assistant, status: int, seconds: float = 30) -> dict:
    deadline = time.monotonic() + seconds
    while True:
        answer = health(assistant)
        if answer.status_code == status or time.monotonic() > deadline:
            assert answer.status_code == status, answer.text
            return answer.json()
        time.sleep(0.5)


def test_health_is_ok_with_every_part_listed_and_needs_no_token(
    production: Assistant,
) -> None:
    answer = health(production)

    assert answer.status_code == 200
    assert answer.json() == {
        "status": "ok",
        "checks": {"model": "ok", "tracker_store": "ok", "lock_store": "ok"},
    }


def test_a_postgres_outage_fails_loudly_and_loses_nothing(
    production: Assistant, services: tuple
) -> None:
    database, _ = services
    sender = uuid.uuid4().hex
    log = production.tracker_db.parent / "rasa.log"
    first = post(production, sender, "hello")
    second = post(production, sender, "does tuina hurt?")
    assert first.status_code == second.status_code == 200
    assert second.json() and "text" in second.json()[0]

    database.stop()
    try:
        english = post(production, sender, "where are your clinics?")
        chinese = post(production, sender, "推拿会疼吗")
        outage = wait_for_health(production, 503)
    finally:
        database.start()

    for answer in (english, chinese):
        assert answer.status_code == 503
        assert int(answer.headers["Retry-After"]) > 0
        assert answer.json()["error"] == "unavailable"  # not a normal-looking answer
    assert "unavailable" in english.json()["message"]
    assert "系统暂时无法使用" in chinese.json()["message"]
    assert outage == {
        "status": "unavailable",
        "checks": {"model": "ok", "tracker_store": "unavailable", "lock_store": "ok"},
    }
    text = log.read_text()
    assert "ERROR" in text and "TRACKER STORE UNAVAILABLE" in text
    assert "where are your clinics" not in text and "推拿会疼吗" not in text

    assert wait_for_health(production, 200)["status"] == "ok"
    after = post(production, sender, "thank you")
    assert after.status_code == 200 and after.json()
    assert "Tracker store is available again" in log.read_text()
    # Everything accepted before the outage is there, in order, and the conversation
    # went on after it; what was refused (503) was never half-stored.
    assert stored_user_texts(database, sender) == [
        "hello",
        "does tuina hurt?",
        "thank you",
    ]


def test_health_is_503_while_the_redis_lock_store_is_down(
    production: Assistant, services: tuple
) -> None:
    _, cache = services
    cache.stop()
    try:
        down = wait_for_health(production, 503)
        refused = post(production, uuid.uuid4().hex, "hello")
    finally:
        cache.start()

    assert down["checks"] == {
        "model": "ok",
        "tracker_store": "ok",
        "lock_store": "unavailable",
    }
    assert set(down) == {"status", "checks"}  # no error text
    assert refused.status_code == 503
    assert wait_for_health(production, 200)["status"] == "ok"
    assert post(production, uuid.uuid4().hex, "hello").status_code == 200
