"""Back up the conversations and booking requests, or restore a backup.

    python -m backup create [--into backups]         # make backup
    python -m backup restore backups/clinic-<time>   # make restore FROM=...

Which databases: the tracker store of $RASA_ENDPOINTS (default endpoints.yml; `--db`
overrides) and the booking outbox (BOOKING_OUTBOX_URL, else BOOKING_OUTBOX_PATH);
one PostgreSQL database when they share it. See backup/archive.py and
docs/operations.md, "Backup and restore".
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import List

from backup.archive import create, restore, sources
from booking.settings import booking_settings
from stores.conversations import ROOT, tracker_store_url


def main(argv: List[str] | None = None) -> int:
    """Runs the command; 0 when done."""
    args = _parser().parse_args(argv)
    url = args.db or tracker_store_url(args.endpoints, must_exist=False)
    databases = sources(url, booking_settings().outbox)
    if args.command == "create":
        made = create(args.into, databases)
        manifest = json.loads((made / "manifest.json").read_text())
        print(f"Backed up in {manifest['seconds']} s: {made}")
        for entry in manifest["databases"]:
            print(f"  {entry['holds']}: {entry['file']}, {entry['bytes']:,} bytes, "
                  f"rows {entry['rows']}")  # fmt: skip
        return 0
    if not args.yes:
        answer = input(
            f"This replaces the conversations and booking requests in "
            f"{', '.join(d.holds for d in databases)} with {args.backup}. "
            "Stop the servers first. Type 'restore' to go on: "
        )
        if answer.strip() != "restore":
            print("Nothing restored.")
            return 1
    restored = restore(args.backup, databases)
    print(f"Restored {args.backup}: {restored}")
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default_endpoints = Path(os.environ.get("RASA_ENDPOINTS") or ROOT / "endpoints.yml")
    parser.add_argument("--endpoints", type=Path, default=default_endpoints)
    parser.add_argument("--db", help="the tracker store's SQLAlchemy URL instead")
    commands = parser.add_subparsers(dest="command", required=True)
    made = commands.add_parser("create", help="back up now")
    made.add_argument("--into", type=Path, default=ROOT / "backups")
    back = commands.add_parser("restore", help="restore a backup directory")
    back.add_argument("backup", type=Path)
    back.add_argument("--yes", action="store_true", help="do not ask")
    return parser


if __name__ == "__main__":
    sys.exit(main())
