"""The booking settings: the one module that reads BOOKING_* from the environment."""

from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Mapping, TypeVar
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]

_Number = TypeVar("_Number", int, float)


@dataclass(frozen=True)
class BookingSettings:
    """Where booking requests are stored and how the relay forwards them."""

    outbox_path: Path
    outbox_url: str | None
    webhook_url: str | None
    webhook_secret: str | None
    ca_bundle: str | None
    max_attempts: int
    retry_base_seconds: float
    retry_max_seconds: float
    timeout_seconds: float
    poll_seconds: float
    retention_days: int

    @property
    def outbox(self) -> str | Path:
        """What `Outbox()` opens: the PostgreSQL URL if set, else the SQLite file."""
        return self.outbox_url or self.outbox_path


def booking_settings(environ: Mapping[str, str] = os.environ) -> BookingSettings:
    """Reads the BOOKING_* variables; raises ValueError naming any bad one."""

    def text(name: str) -> str | None:
        value = environ.get(name, "").strip()
        return value or None

    def number(
        name: str, default: _Number, convert: Callable[[str], _Number], least: float
    ) -> _Number:
        raw = text(name)
        if raw is None:
            return default
        kind = "a whole number" if convert is int else "a number"
        try:
            value = convert(raw)
        except ValueError:
            raise ValueError(
                f"{name}={raw!r} is not {kind}: set it to {kind} such as {default} "
                "(or leave it unset for the default)."
            ) from None
        if value < least:
            raise ValueError(f"{name}={raw!r} is too small: use {least} or more.")
        return value

    outbox = Path(text("BOOKING_OUTBOX_PATH") or "bookings.db").expanduser()
    outbox_url = text("BOOKING_OUTBOX_URL")
    if outbox_url is not None and not outbox_url.startswith(
        ("postgresql://", "postgres://")
    ):
        raise ValueError(
            "BOOKING_OUTBOX_URL must be a postgresql:// URL "
            "(postgresql://user:password@host:5432/database), or unset for the SQLite "
            "file BOOKING_OUTBOX_PATH."
        )
    url = text("BOOKING_WEBHOOK_URL")
    secret = text("BOOKING_WEBHOOK_SECRET")
    if url is not None:
        _check_webhook_url(url)
        if secret is None:
            raise ValueError(
                "BOOKING_WEBHOOK_URL is set but BOOKING_WEBHOOK_SECRET is not: set it "
                "to the shared secret agreed with the booking system (the relay signs "
                "every request with it)."
            )
    ca_bundle = text("BOOKING_WEBHOOK_CA_BUNDLE")
    if ca_bundle is not None and not Path(ca_bundle).is_file():
        raise ValueError(
            f"BOOKING_WEBHOOK_CA_BUNDLE={ca_bundle!r} is not a file: set it to a PEM "
            "file of the CA certificate to trust, or leave it unset."
        )
    base = number("BOOKING_RETRY_BASE_SECONDS", 2.0, float, 0.001)
    return BookingSettings(
        # Relative paths are taken from the repository, so the action server, the
        # relay and the staff command agree whatever directory they start in.
        outbox_path=outbox if outbox.is_absolute() else ROOT / outbox,
        outbox_url=outbox_url,
        webhook_url=url,
        webhook_secret=secret,
        ca_bundle=ca_bundle,
        max_attempts=number("BOOKING_MAX_ATTEMPTS", 20, int, 1),
        retry_base_seconds=base,
        retry_max_seconds=number("BOOKING_RETRY_MAX_SECONDS", 300.0, float, base),
        timeout_seconds=number("BOOKING_TIMEOUT_SECONDS", 5.0, float, 0.001),
        poll_seconds=number("BOOKING_POLL_SECONDS", 0.5, float, 0.001),
        retention_days=number("BOOKING_RETENTION_DAYS", 30, int, 1),
    )


def _check_webhook_url(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise ValueError(
            f"BOOKING_WEBHOOK_URL={url!r} is not a web address: set it to the booking "
            "system's https:// address, e.g. https://booking.example.com/requests."
        )
    # Patients' names and phones must not cross the network in clear text; plain
    # http is only for a booking system on this machine (local tests).
    if parts.scheme == "http" and not _is_loopback(parts.hostname):
        raise ValueError(
            f"BOOKING_WEBHOOK_URL={url!r} uses http://: use the https:// address "
            "(http:// is allowed only for 127.0.0.1 or localhost)."
        )


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
