"""Booking and call-back requests for clinic staff: list, export, retry, purge.

    python -m booking.staff list                    all requests, newest first
    python -m booking.staff list --status failed    those the clinic has NOT received
    python -m booking.staff export --output requests.csv
    python -m booking.staff retry BS-7K2Q9MXA       send a failed request again
    python -m booking.staff purge                   delete old delivered requests

Names and phone numbers are shown masked; `export --full` writes them in full.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import sys
import unicodedata
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Dict, List, TextIO
from zoneinfo import ZoneInfo

from actions.parsing import mask_name, mask_phone
from booking.outbox import FAILED, STATUSES, Outbox, Request
from booking.settings import booking_settings

SHANGHAI = ZoneInfo("Asia/Shanghai")
_WIDEST = {"when": 34, "error": 40}

COLUMNS = [
    ("reference", "Reference"),
    ("created", "Created (Shanghai)"),
    ("kind", "Kind"),
    ("status", "Status"),
    ("attempts", "Tries"),
    ("service", "Service"),
    ("clinic", "Clinic"),
    ("when", "Preferred time"),
    ("name", "Name"),
    ("phone", "Phone"),
    ("error", "Last error"),
]
CSV_FIELDS = [
    "reference", "created_shanghai", "kind", "status", "attempts", "service", "clinic",
    "preferred_time", "preferred_time_normalised", "practitioner", "language", "name",
    "phone", "note", "last_error", "delivered_shanghai",
]  # fmt: skip


def shanghai_time(moment: datetime | None) -> str:
    """Returns a timestamp as Shanghai wall-clock time, "2025-03-01 14:05"."""
    return moment.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M") if moment else ""


def preferred_time(payload: Dict[str, Any]) -> str:
    """The visitor's words, with the normalised date/time in brackets when known."""
    words = str(payload.get("preferred_time") or "")
    normalised = payload.get("preferred_time_normalised")
    if not normalised:
        return words
    shown = str(normalised)
    try:
        moment = datetime.fromisoformat(shown)
    except ValueError:
        moment = None
    if moment is not None and moment.tzinfo is not None:
        shown = shanghai_time(moment)
    return f"{words} ({shown})" if words else shown


def row(request: Request, full: bool = False) -> Dict[str, str]:
    """One request as text fields; name, phone and note only when `full`."""
    payload = request.payload
    name = str(payload.get("name") or "")
    phone = str(payload.get("phone") or "")
    return {
        "reference": request.reference,
        "created_shanghai": shanghai_time(request.created_at),
        "kind": request.kind,
        "status": request.status,
        "attempts": str(request.attempts),
        "service": str(payload.get("service") or ""),
        "clinic": str(payload.get("clinic") or ""),
        "preferred_time": str(payload.get("preferred_time") or ""),
        "preferred_time_normalised": str(
            payload.get("preferred_time_normalised") or ""
        ),
        "practitioner": str(payload.get("practitioner") or ""),
        "language": str(payload.get("language") or ""),
        "name": name if full else (mask_name(name) if name else ""),
        "phone": phone if full else (mask_phone(phone) if phone else ""),
        # Free text: visitors put names, numbers and symptoms in notes.
        "note": str(payload.get("note") or "") if full else "",
        "last_error": request.last_error or "",
        "delivered_shanghai": shanghai_time(request.delivered_at),
    }


def table(requests: List[Request]) -> str:
    """The requests as an aligned text table, names and phones masked."""
    lines = []
    for request in requests:
        fields = row(request)
        lines.append(
            {
                **fields,
                "created": fields["created_shanghai"],
                "when": _clip(preferred_time(request.payload), _WIDEST["when"]),
                "error": _clip(fields["last_error"], _WIDEST["error"]),
            }
        )
    headings = dict(COLUMNS)
    widths = {
        key: max(_width(text) for text in [headings[key], *(r[key] for r in lines)])
        for key, _ in COLUMNS
    }

    def render(cells: Dict[str, str]) -> str:
        return "  ".join(_pad(cells[key], widths[key]) for key, _ in COLUMNS).rstrip()

    rule = "  ".join("-" * widths[key] for key, _ in COLUMNS)
    return "\n".join([render(headings), rule, *(render(r) for r in lines)])


def write_csv(requests: List[Request], out: TextIO, full: bool) -> None:
    """Writes the requests as CSV (the caller opens `out` as UTF-8 with BOM)."""
    writer = csv.DictWriter(out, fieldnames=CSV_FIELDS, extrasaction="ignore")
    writer.writeheader()
    for request in requests:
        writer.writerow(row(request, full))


def main(argv: List[str] | None = None) -> int:
    """Runs one staff command; returns the exit status."""
    args = _parser().parse_args(argv)
    try:
        settings = booking_settings()
    except ValueError as error:
        print(f"Configuration problem: {error}", file=sys.stderr)
        return 2
    with Outbox(settings.outbox) as outbox:
        if args.command == "list":
            return _list(outbox, args.status)
        if args.command == "export":
            return _export(outbox, args.status, args.full, args.output)
        if args.command == "retry":
            return _retry(outbox, args.reference, configured=bool(settings.webhook_url))
        days = settings.retention_days if args.days is None else args.days
        if days < 0:
            print("--days must be 0 or more.", file=sys.stderr)
            return 2
        purged = outbox.purge_delivered(timedelta(days=days), _utcnow())
        print(f"Deleted {purged} delivered request(s) older than {days} days.")
        return 0


def _list(outbox: Outbox, status: str | None) -> int:
    requests = outbox.requests(status)
    if not requests:
        print(f"No {status} requests." if status else "No requests yet.")
        return 0
    print(table(requests))
    failed = sum(r.status == FAILED for r in requests)
    print(f"\n{len(requests)} request(s).")
    if failed:
        print(
            f"{failed} FAILED: the clinic has not received them. Phone the patient "
            "(export --full shows the number), or fix the problem and run: "
            "python -m booking.staff retry REFERENCE"
        )
    return 0


def _export(outbox: Outbox, status: str | None, full: bool, output: Path | None) -> int:
    requests = outbox.requests(status)
    if output is None:
        text = io.StringIO()
        write_csv(requests, text, full)
        # The byte order mark makes Excel read the file as UTF-8 (Chinese intact).
        sys.stdout.buffer.write(text.getvalue().encode("utf-8-sig"))
        sys.stdout.flush()
    else:
        if full and not output.exists():
            # Patients' details: readable by this account only.
            os.close(os.open(output, os.O_CREAT | os.O_WRONLY, 0o600))
        with output.open("w", encoding="utf-8-sig", newline="") as out:
            write_csv(requests, out, full)
        print(f"Wrote {len(requests)} request(s) to {output}.", file=sys.stderr)
    if full:
        print(
            "WARNING: this export contains patients' full names, phone numbers and "
            "notes (health data). Keep it on clinic computers only and delete it when "
            "done.",
            file=sys.stderr,
        )
    return 0


def _retry(outbox: Outbox, reference: str, configured: bool) -> int:
    found = outbox.find(reference)
    if not found:
        print(f"No request has the reference {reference}.", file=sys.stderr)
        return 1
    failed = [request for request in found if request.status == FAILED]
    if not failed:
        print(
            f"{found[0].reference} is {found[0].status}, not failed: nothing to retry.",
            file=sys.stderr,
        )
        return 1
    for request in failed:
        outbox.requeue(request.id, _utcnow())
    where = (
        "The relay sends it again within a few seconds (if it is running)."
        if configured
        else "No booking system is configured, so it waits in the outbox."
    )
    print(f"{failed[0].reference} is pending again. {where}")
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m booking.staff",
        description="See and manage the booking and call-back requests visitors sent.",
        epilog="examples:\n" + __doc__.split("\n\n")[1],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    status_help = "only requests with this status (default: all)"

    shown = commands.add_parser(
        "list",
        help="show requests as a table (names and phones masked)",
        description="Show requests, newest first. Times are Shanghai time.",
    )
    shown.add_argument("--status", choices=STATUSES, help=status_help)

    export = commands.add_parser(
        "export",
        help="save requests as a spreadsheet (CSV) file",
        description="Write requests as CSV, for Excel. Names and phones are masked "
        "unless you add --full.",
    )
    export.add_argument("--status", choices=STATUSES, help=status_help)
    export.add_argument(
        "--full",
        action="store_true",
        help="include full names, phone numbers and notes (patients' data)",
    )
    export.add_argument(
        "--output",
        type=Path,
        metavar="FILE",
        help="file to write, e.g. requests.csv (default: screen)",
    )

    retry = commands.add_parser(
        "retry",
        help="send a failed request to the booking system again",
        description="Put a failed request back in the queue to be sent again.",
    )
    retry.add_argument("reference", help="the request's reference, e.g. BS-7K2Q9MXA")

    purge = commands.add_parser(
        "purge",
        help="delete delivered requests older than some days",
        description="Delete requests the booking system received more than N days "
        "ago. Pending and failed requests are never deleted.",
    )
    purge.add_argument(
        "--days",
        type=int,
        help="age in days (default: BOOKING_RETENTION_DAYS, 30 if unset)",
    )
    return parser


def _utcnow() -> datetime:
    return datetime.now(timezone.utc)


def _width(text: str) -> int:
    # Chinese characters take two columns in a terminal.
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def _clip(text: str, width: int) -> str:
    if _width(text) <= width:
        return text
    while _width(text) > width - 1:
        text = text[:-1]
    return text + "…"


if __name__ == "__main__":
    sys.exit(main())
