"""The console's settings: the one module in `console/` that reads the environment."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

from booking.settings import ROOT

DEFAULT_PORT = 5007
# Where the signing key is kept when CONSOLE_SECRET_KEY is not set: beside the other
# local secrets `make run` makes (.rasa/ is not in git, readable by this user only).
SECRET_FILE = ROOT / ".rasa" / "console_secret"


@dataclass(frozen=True)
class ConsoleSettings:
    """Where the console listens, how it signs sessions, and its security limits."""

    host: str
    port: int
    secret_key: str
    # Set behind nginx with TLS: cookies get Secure, responses HSTS.
    behind_tls: bool
    # Proxies in front that add X-Forwarded-For (nginx: 1), for the client's address.
    proxies: int
    idle_minutes: int
    lockout_failures: int
    lockout_minutes: int
    endpoints: Path
    tracker_url: str | None


def console_settings(environ: Mapping[str, str] = os.environ) -> ConsoleSettings:
    """Reads the CONSOLE_* variables (and RASA_ENDPOINTS); raises ValueError."""

    def text(name: str) -> str | None:
        value = environ.get(name, "").strip()
        return value or None

    def number(name: str, default: int, least: int) -> int:
        raw = text(name)
        if raw is None:
            return default
        try:
            value = int(raw)
        except ValueError:
            raise ValueError(
                f"{name}={raw!r} is not a whole number: set it to one such as "
                f"{default} (or leave it unset)."
            ) from None
        if value < least:
            raise ValueError(f"{name}={raw!r} is too small: use {least} or more.")
        return value

    endpoints = Path(text("RASA_ENDPOINTS") or "endpoints.yml")
    return ConsoleSettings(
        host=text("CONSOLE_HOST") or "127.0.0.1",
        port=number("CONSOLE_PORT", DEFAULT_PORT, 1),
        secret_key=text("CONSOLE_SECRET_KEY") or _local_secret(),
        behind_tls=(text("CONSOLE_BEHIND_TLS") or "").lower() in ("1", "true", "yes"),
        proxies=number("CONSOLE_PROXIES", 0, 0),
        idle_minutes=number("CONSOLE_IDLE_MINUTES", 15, 1),
        lockout_failures=number("CONSOLE_LOCKOUT_FAILURES", 5, 1),
        lockout_minutes=number("CONSOLE_LOCKOUT_MINUTES", 15, 1),
        endpoints=endpoints if endpoints.is_absolute() else ROOT / endpoints,
        tracker_url=text("CONSOLE_TRACKER_URL"),
    )


def _local_secret() -> str:
    # Made once and kept, so sessions survive a restart; never in the repository.
    if not SECRET_FILE.exists():
        SECRET_FILE.parent.mkdir(parents=True, exist_ok=True)
        try:
            descriptor = os.open(
                SECRET_FILE, os.O_CREAT | os.O_WRONLY | os.O_EXCL, 0o600
            )
        except FileExistsError:  # another console process made it just now
            pass
        else:
            with os.fdopen(descriptor, "w") as file:
                file.write(secrets.token_hex(32))
    return SECRET_FILE.read_text().strip()
