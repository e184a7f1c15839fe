"""The events table outside a turn: where it is, and what is deleted."""

from __future__ import annotations

import sqlalchemy as sa

from stores.conversations import (
    connect,
    delete_before,
    delete_sender,
    sender_events,
    tracker_store_url,
)

SQLITE_STORE = """tracker_store:
  type: stores.tracker_store.StrictSQLTrackerStore
  dialect: "sqlite"
  db: tracker.db
"""
POSTGRES_STORE = """tracker_store:
  type: stores.tracker_store.StrictSQLTrackerStore
  dialect: postgresql
  url: db.internal
  port: 5432
  db: clinic
  username: rasa
  password: secret
"""


def test_a_relative_sqlite_file_is_next_to_the_endpoints(tmp_path):
    endpoints = tmp_path / "endpoints.yml"
    endpoints.write_text(SQLITE_STORE)
    url = tracker_store_url(endpoints, must_exist=False)
    assert url == f"sqlite:///{tmp_path / 'tracker.db'}"


def test_a_postgresql_store_gives_its_url(tmp_path):
    endpoints = tmp_path / "endpoints.yml"
    endpoints.write_text(POSTGRES_STORE)
    url = sa.engine.make_url(tracker_store_url(endpoints))
    assert (url.drivername, url.host, url.port, url.database, url.username) == (
        "postgresql",
        "db.internal",
        5432,
        "clinic",
        "rasa",
    )


def test_deleting_by_sender_and_by_age_touches_only_those_rows(tmp_path):
    url = f"sqlite:///{tmp_path / 'events.db'}"
    with connect(url) as connection:
        connection.execute(
            sa.text(
                "CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id TEXT, "
                "type_name TEXT, timestamp REAL, data TEXT)"
            )
        )
        for sender, stamp in [("a", 10.0), ("a", 20.0), ("b", 5.0), ("b", 30.0)]:
            connection.execute(
                sa.text(
                    "INSERT INTO events (sender_id, type_name, timestamp, data) "
                    "VALUES (:s, 'user', :t, :d)"
                ),
                {"s": sender, "t": stamp, "d": f'{{"timestamp": {stamp}}}'},
            )
        assert delete_sender(connection, "a") == 2
        assert delete_before(connection, 10.0) == 1
        assert sender_events(connection, "a") == []
        assert sender_events(connection, "b") == [{"timestamp": 30.0}]
