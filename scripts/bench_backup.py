"""How long a backup and a restore take, on PostgreSQL and on SQLite.

    python scripts/bench_backup.py [--conversations 10000] [--requests 2000]

Seeds a throwaway PostgreSQL (scripts/services.py) and SQLite files with made-up
conversations and requests (scripts/seed_console.py), then times `backup.archive`'s
create and its restore into a new, empty database (PostgreSQL: another database on
the same server; SQLite: new files), and checks the restored rows are all there.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from backup.archive import create, restore, sources
from booking.outbox import Outbox
from scripts.seed_console import seed_conversations, seed_requests
from scripts.services import throwaway_postgres


def timed(databases: list, new: list, workdir: Path) -> dict:
    """Backs up `databases`, restores into `new`; seconds, sizes and rows."""
    began = time.monotonic()
    made = create(workdir / "backups", databases)
    backup_s = time.monotonic() - began
    began = time.monotonic()
    restored = restore(made, new)
    restore_s = time.monotonic() - began
    manifest = json.loads((made / "manifest.json").read_text())
    before = {e["holds"]: e["rows"] for e in manifest["databases"]}
    assert restored == before, (restored, before)  # noqa: S101 - a benchmark's check
    return {
        "backup_s": round(backup_s, 2),
        "restore_s": round(restore_s, 2),
        "bytes": sum(e["bytes"] for e in manifest["databases"]),
        "rows": before,
    }


def main() -> int:
    """Prints (and writes with --json) the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--conversations", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=2_000)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    figures = {}
    with tempfile.TemporaryDirectory(prefix="bench-backup-") as tmp:
        workdir = Path(tmp)
        with throwaway_postgres(workdir / "pg") as live:
            seed_conversations(live.url, args.conversations)
            with Outbox(live.url) as outbox:
                seed_requests(outbox, args.requests)
            admin = live.connect("postgres")
            admin.autocommit = True
            with admin.cursor() as cursor:
                cursor.execute('CREATE DATABASE "restored"')
            admin.close()
            fresh = live.url.rsplit("/", 1)[0] + "/restored"
            figures["postgresql"] = timed(
                sources(live.url, live.url), sources(fresh, fresh), workdir / "p"
            )
        sqlite = workdir / "sqlite"
        sqlite.mkdir()
        seed_conversations(f"sqlite:///{sqlite / 'tracker.db'}", args.conversations)
        with Outbox(sqlite / "bookings.db") as outbox:
            seed_requests(outbox, args.requests)
        new = workdir / "new"
        new.mkdir()
        figures["sqlite"] = timed(
            sources(f"sqlite:///{sqlite / 'tracker.db'}", sqlite / "bookings.db"),
            sources(f"sqlite:///{new / 'tracker.db'}", new / "bookings.db"),
            workdir / "s",
        )
    print(json.dumps(figures, indent=2))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
