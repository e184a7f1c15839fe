"""Conversations older than the retention period are deleted; newer ones are kept."""

from __future__ import annotations

import time

import sqlalchemy as sa

from privacy.retention import RetentionJob, purge_conversations
from stores.conversations import connect, sender_events
from tests.privacy.conftest import DAY, conversation, open_tracker_store


async def test_events_older_than_the_period_are_deleted_and_newer_kept(stores):
    now = time.time()
    await stores.tracker_store.save(conversation("old", ["hello"], at=now - 91 * DAY))
    await stores.tracker_store.save(conversation("recent", ["hi"], at=now - 89 * DAY))
    engine = sa.create_engine(stores.tracker_url)
    try:
        assert purge_conversations(engine, days=90, now=now) > 0
    finally:
        engine.dispose()
    with connect(stores.tracker_url) as connection:
        assert sender_events(connection, "old") == []
        assert [e.get("text") for e in sender_events(connection, "recent")].count("hi")


async def test_a_server_starting_purges_by_itself(stores, monkeypatch):
    now = time.time()
    await stores.tracker_store.save(conversation("old", ["hello"], at=now - 8 * DAY))
    await stores.tracker_store.save(conversation("recent", ["hi"], at=now - 6 * DAY))
    monkeypatch.setenv("CONVERSATION_RETENTION_DAYS", "7")
    restarted = open_tracker_store(stores.tracker_url)  # as a Rasa server starting
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with connect(stores.tracker_url) as connection:
                if not sender_events(connection, "old"):
                    break
            time.sleep(0.05)
        with connect(stores.tracker_url) as connection:
            assert sender_events(connection, "old") == []
            assert sender_events(connection, "recent")
    finally:
        restarted.retention.stop()
        restarted.engine.dispose()


def test_a_failed_purge_is_tried_again_and_does_not_stop_the_job():
    calls = []

    def purge() -> int:
        calls.append(time.monotonic())
        if len(calls) == 1:
            raise OSError("database down")
        return 0

    job = RetentionJob(purge, days=90, every_seconds=0.05).start()
    try:
        deadline = time.monotonic() + 5
        while len(calls) < 3 and time.monotonic() < deadline:
            time.sleep(0.01)
    finally:
        job.stop()
    assert len(calls) >= 3
