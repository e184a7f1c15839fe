"""Backups of SQLite stores (one machine): consistent copies, checked restores."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from backup.archive import Source, create, restore, sources
from booking.outbox import Outbox


def _tracker(path: Path, events: int) -> None:
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE IF NOT EXISTS events (id INTEGER PRIMARY KEY, data)")
        db.executemany("INSERT INTO events (data) VALUES (?)", [("{}",)] * events)


def _stores(tmp_path: Path) -> list:
    tracker, outbox = tmp_path / "live" / "tracker.db", tmp_path / "live" / "b.db"
    tracker.parent.mkdir()
    _tracker(tracker, 3)
    with Outbox(outbox) as box:
        box.submit("booking", "visitor-1", {"name": "A", "phone": "13900000001"})
    return sources(f"sqlite:///{tracker}", outbox)


def test_a_backup_holds_both_stores_with_their_rows_and_checksums(tmp_path):
    databases = _stores(tmp_path)
    made = create(tmp_path / "backups", databases)
    manifest = json.loads((made / "manifest.json").read_text())
    assert [e["holds"] for e in manifest["databases"]] == ["tracker", "outbox"]
    assert [e["rows"] for e in manifest["databases"]] == [
        {"events": 3},
        {"requests": 1},
    ]
    assert oct(made.stat().st_mode & 0o777) == "0o700"  # patients' data


def test_a_restore_brings_back_what_was_lost_and_nothing_written_since(tmp_path):
    databases = _stores(tmp_path)
    made = create(tmp_path / "backups", databases)
    _tracker(Path(databases[0].location), 5)  # written after the backup
    Path(databases[1].location).unlink()  # the outbox is lost

    restored = restore(made, databases)

    assert restored == {"tracker": {"events": 3}, "outbox": {"requests": 1}}
    with Outbox(Path(databases[1].location)) as box:
        [pending] = box.requests("pending")
    assert pending.conversation_id == "visitor-1"


def test_a_damaged_backup_is_refused_and_the_store_left_alone(tmp_path):
    databases = _stores(tmp_path)
    made = create(tmp_path / "backups", databases)
    with (made / "tracker.db").open("r+b") as file:
        file.seek(200)
        file.write(b"\x00damaged")
    with pytest.raises(ValueError, match="does not match its manifest"):
        restore(made, databases[:1])
    with sqlite3.connect(databases[0].location) as db:
        assert db.execute("SELECT count(*) FROM events").fetchone() == (3,)


def test_one_postgresql_database_for_both_stores_is_dumped_once():
    url = "postgresql://clinic:secret@db:5432/clinic"
    assert sources(url, "postgresql://clinic:other@db/clinic") == [
        Source("tracker+outbox", url)
    ]
    assert [s.holds for s in sources(url, "bookings.db")] == ["tracker", "outbox"]
