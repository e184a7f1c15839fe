"""Patients' data for staff: retention, and a visitor's access or erasure request.

    python -m privacy purge                            old conversations and requests
    python -m privacy export --phone "138 1234 5678"   everything kept, as JSON
    python -m privacy delete --reference BS-7K2Q9MXA   asks, then deletes it all

`export` and `delete` take --sender (the conversation id), --phone or --reference, in
any combination. The conversation store is the one endpoints.yml names (or
$RASA_ENDPOINTS, or --endpoints / --db); the outbox comes from the BOOKING_* settings.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import List

import sqlalchemy as sa

from booking.outbox import Outbox
from booking.settings import ROOT, booking_settings
from privacy.retention import purge_conversations
from privacy.settings import privacy_settings
from privacy.visitors import delete_visitor, describe, export_visitor, find_visitor
from stores.conversations import tracker_store_url


def main(argv: List[str] | None = None) -> int:
    """Runs one command; returns the exit status."""
    args = _parser().parse_args(argv)
    try:
        booking = booking_settings()
        privacy = privacy_settings()
    except ValueError as error:
        print(error, file=sys.stderr)
        return 2
    url = args.db or tracker_store_url(args.endpoints, must_exist=False)
    with Outbox(booking.outbox) as outbox:
        if args.command == "purge":
            engine = sa.create_engine(url)
            try:
                events = purge_conversations(
                    engine, privacy.conversation_retention_days
                )
            finally:
                engine.dispose()
            requests = outbox.purge_delivered(
                timedelta(days=booking.retention_days), datetime.now(timezone.utc)
            )
            print(
                f"Deleted {events} conversation events older than "
                f"{privacy.conversation_retention_days} days and {requests} delivered "
                f"requests older than {booking.retention_days} days."
            )
            return 0
        if not (args.sender or args.phone or args.reference):
            print("Say whose data: --sender, --phone or --reference.", file=sys.stderr)
            return 2
        try:
            visitor = find_visitor(
                outbox,
                url,
                sender=args.sender,
                phone=args.phone,
                reference=args.reference,
            )
        except ValueError as error:
            print(error, file=sys.stderr)
            return 2
        if args.command == "export":
            return _export(export_visitor(visitor, url), args.output)
        print("Found: " + "; ".join(describe(visitor)))
        if not args.yes and input("Delete all of it? [y/N] ").strip().lower() != "y":
            print("Nothing was deleted.")
            return 1
        deleted = delete_visitor(visitor, outbox, url)
        print(
            f"Deleted {deleted['requests']} request(s) and {deleted['events']} events "
            f"of {deleted['conversations']} conversation(s)."
        )
        if visitor.sent_requests:
            print(
                f"{visitor.sent_requests} request(s) had reached the booking system: "
                "delete them there too."
            )
        return 0


def _export(data: dict, output: Path | None) -> int:
    text = json.dumps(data, ensure_ascii=False, indent=2)
    if output is None:
        print(text)
        return 0
    # Personal data: only this account may read the file.
    descriptor = os.open(output, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        file.write(text + "\n")
    print(
        f"Wrote {output}: {len(data['requests'])} request(s), "
        f"{len(data['conversations'])} conversation(s). It holds personal data: "
        "give it to the visitor and delete it."
    )
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m privacy", description=__doc__.split("\n\n")[0]
    )
    default_endpoints = Path(os.environ.get("RASA_ENDPOINTS") or ROOT / "endpoints.yml")
    parser.add_argument("--endpoints", type=Path, default=default_endpoints)
    parser.add_argument("--db", help="a SQLAlchemy URL instead of the endpoints' store")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("purge", help="delete what is older than the retention")
    for name, what in (("export", "export"), ("delete", "delete")):
        command = commands.add_parser(name, help=f"{what} one visitor's data")
        command.add_argument("--sender", help="the conversation id")
        command.add_argument("--phone", help="a phone number the visitor gave")
        command.add_argument("--reference", help="a request's reference, BS-...")
        if name == "export":
            command.add_argument("--output", type=Path, help="a file (default: stdout)")
        else:
            command.add_argument("--yes", action="store_true", help="do not ask")
    return parser


if __name__ == "__main__":
    sys.exit(main())
