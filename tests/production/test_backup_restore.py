"""The database machine is lost: a backup restored into a new PostgreSQL carries on.

The servers run on PostgreSQL (tracker store and outbox in one database, as in
production) with no booking webhook, so a confirmed request waits in the outbox. A
backup is taken (`python -m backup create`, pg_dump) while they run; then the servers
stop and the database is destroyed. A new, empty PostgreSQL gets the backup
(`python -m backup restore`), the servers start on it with the booking system
connected: the conversation that was in the middle of the booking form goes on at
the question it had reached, and the pending request reaches the booking system once.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from scripts.servers import ROOT
from scripts.services import throwaway_postgres
from tests.assistant import started_assistant
from tests.e2e.conversation import matches
from tests.fakes.booking_system import FakeBookingSystem
from tests.production.conftest import PROD_STORES, Cache

pytestmark = pytest.mark.postgres

BOOKED = ["book tuina at minhang tomorrow at 3pm", "yes", "Anna Li", "13812345601"]


def _backup(*args: str, env: dict) -> str:
    result = subprocess.run(  # noqa: S603 - our own command
        [sys.executable, "-m", "backup", "--db", env["TRACKER_URL"], *args],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


def _servers(workdir: Path, database, cache: Cache, booking: dict):
    env = {
        **database.env(),
        "REDIS_HOST": "127.0.0.1",
        "REDIS_PORT": str(cache.port),
        "REDIS_PASSWORD": "",
        "BOOKING_OUTBOX_URL": database.url,
    }
    workdir.mkdir()
    return started_assistant(
        workdir, stores=PROD_STORES, extra_env=env, booking_env=booking
    )


def test_a_restored_database_continues_conversations_and_delivers_pending_requests(
    tmp_path, responses
):
    cache = Cache(tmp_path / "redis")
    booked, midway = f"booked-{secrets.token_hex(4)}", f"midway-{secrets.token_hex(4)}"
    try:
        with (
            throwaway_postgres(tmp_path / "lost") as lost,
            _servers(tmp_path / "before", lost, cache, {}) as assistant,
        ):
            for text in [*BOOKED, "no", "yes"]:
                assistant.say(booked, text)
            for text in BOOKED[:2]:
                replies = assistant.say(midway, text)
            assert matches(
                replies[-1]["text"], responses, "utter_ask_visitor_name", "en"
            )
            env = {"BOOKING_OUTBOX_URL": lost.url, "TRACKER_URL": lost.url}
            began = time.monotonic()
            out = _backup("create", "--into", str(tmp_path / "backups"), env=env)
            backup_seconds = time.monotonic() - began
        # The database machine is gone, its data with it.
        shutil.rmtree(tmp_path / "lost")
        [made] = (tmp_path / "backups").iterdir()
        manifest = json.loads((made / "manifest.json").read_text())
        [dump] = manifest["databases"]
        assert dump["holds"] == "tracker+outbox" and dump["rows"]["requests"] == 1
        assert f":{lost.password}@" not in out + json.dumps(manifest)  # no secret

        with (
            throwaway_postgres(tmp_path / "new") as new,
            FakeBookingSystem(secret=secrets.token_hex(16)) as clinic,
        ):
            env = {"BOOKING_OUTBOX_URL": new.url, "TRACKER_URL": new.url}
            began = time.monotonic()
            _backup("restore", str(made), "--yes", env=env)
            restore_seconds = time.monotonic() - began
            booking = {
                "BOOKING_WEBHOOK_URL": clinic.url,
                "BOOKING_WEBHOOK_SECRET": clinic.secret,
                "BOOKING_WEBHOOK_CA_BUNDLE": str(clinic.ca_path),
            }
            with _servers(tmp_path / "after", new, cache, booking) as assistant:
                [reply] = assistant.say(midway, "Wang Fang")
                assert matches(reply["text"], responses, "utter_ask_phone", "en")
                deadline = time.monotonic() + 30
                while not clinic.bookings and time.monotonic() < deadline:
                    time.sleep(0.2)
                time.sleep(3)  # a second delivery would come by now
                assert [b["request"]["phone"] for b in clinic.bookings] == [
                    "+8613812345601"
                ]
    finally:
        cache.stop()
    print(f"backup {backup_seconds:.2f} s, restore {restore_seconds:.2f} s")
