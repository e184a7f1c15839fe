"""`python -m console`: the staff console's server, and its accounts.

    python -m console                          serve on CONSOLE_HOST:CONSOLE_PORT
    python -m console user NAME ROLE           create or reset an account (asks the
                                               password, or reads $STAFF_PASSWORD)

ROLE is admin, editor or reception. `make console` and `make staff-user` run these.
"""

from __future__ import annotations

import argparse
import getpass
import logging
import os
import sys
from pathlib import Path
from typing import List

from booking.outbox import Outbox
from booking.settings import BookingSettings, booking_settings
from console.accounts import ROLES, save_account
from console.db import ConsoleStore
from console.settings import ConsoleSettings, console_settings

PASSWORD_VARIABLE = "STAFF_PASSWORD"  # noqa: S105 - the variable's name, not a password


def main(argv: List[str] | None = None) -> int:
    """Runs the server or the account command; returns the exit status."""
    args = _parser().parse_args(argv)
    try:
        settings = console_settings()
        booking = booking_settings()
    except ValueError as error:
        print(f"Configuration problem: {error}", file=sys.stderr)
        return 2
    if args.command == "user":
        return _user(booking.outbox, args.name, args.role)
    return _serve(settings, booking)


def _user(outbox_location: str | Path, name: str, role: str) -> int:
    password = os.environ.get(PASSWORD_VARIABLE)
    if not password:
        if not sys.stdin.isatty():
            print(
                f"Type the password at a terminal, or set {PASSWORD_VARIABLE}.",
                file=sys.stderr,
            )
            return 2
        password = getpass.getpass(f"New password for {name}: ")
        if getpass.getpass("Again: ") != password:
            print("The two passwords differ: nothing was changed.", file=sys.stderr)
            return 1
    with Outbox(outbox_location) as outbox:
        try:
            created = save_account(ConsoleStore(outbox), name, role, password)
        except ValueError as error:
            print(error, file=sys.stderr)
            return 2
    what = "Created" if created else "Reset (signed out everywhere, unlocked)"
    print(f"{what}: {name.strip().lower()} ({role}).")
    return 0


def _serve(settings: ConsoleSettings, booking: BookingSettings) -> int:
    from console.app import create_app
    from stores.conversations import tracker_store_url

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    tracker_url = settings.tracker_url
    if tracker_url is None:
        try:
            tracker_url = tracker_store_url(
                settings.endpoints,
                must_exist=False,
            )
        except SystemExit as problem:
            logging.warning("Conversations are off: %s", problem)
    app = create_app(settings, booking, tracker_url)
    host, port = settings.host, settings.port
    logging.getLogger("console").info("Staff console on http://%s:%d", host, port)
    app.run(host, port, workers=1, access_log=False, motd=False)
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m console",
        description=__doc__.split("\n\n")[0],
        epilog=__doc__.split("\n\n")[1],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.add_parser("serve", help="run the console (the default)")
    user = commands.add_parser("user", help="create or reset a staff account")
    user.add_argument("name", help="the account name, e.g. wang.fang")
    user.add_argument("role", choices=ROLES, help="what the account may do")
    return parser


if __name__ == "__main__":
    sys.exit(main())
