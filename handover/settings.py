"""The hand-over's settings: the one module in `handover/` reading the environment."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import datetime, time
from functools import lru_cache
from typing import Mapping, Tuple
from zoneinfo import ZoneInfo

CLINIC_TIME = ZoneInfo("Asia/Shanghai")
_RANGE = re.compile(r"^(\d{1,2}):(\d{2})-(\d{1,2}):(\d{2})$")


@dataclass(frozen=True)
class OpeningHours:
    """When a person may take over, in Shanghai time; no ranges means any time."""

    ranges: Tuple[Tuple[time, time], ...] = ()

    @classmethod
    def parse(cls, text: str) -> OpeningHours:
        """Reads "09:00-12:00,13:00-18:00" ("" or "always": any time)."""
        text = (text or "").strip().lower()
        if text in ("", "always"):
            return cls()
        ranges = []
        for part in re.split(r"[,\s]+", text):
            match = _RANGE.match(part)
            if not match:
                raise ValueError(
                    f"HANDOVER_HOURS: {part!r} is not a range such as 09:00-18:00."
                )
            h1, m1, h2, m2 = (int(g) for g in match.groups())
            if h1 > 23 or h2 > 24 or m1 > 59 or m2 > 59 or (h2 == 24 and m2):
                raise ValueError(f"HANDOVER_HOURS: {part!r} is not a time of day.")
            end = time.max if h2 == 24 else time(h2, m2)
            ranges.append((time(h1, m1), end))
        return cls(tuple(ranges))

    def is_open(self, moment: datetime) -> bool:
        """Whether `moment` (aware) is within the hours, in Shanghai time."""
        if not self.ranges:
            return True
        now = moment.astimezone(CLINIC_TIME).time()
        return any(start <= now < end for start, end in self.ranges)


@dataclass(frozen=True)
class HandoverSettings:
    """Opening hours, how long staff count as online, when a quiet hand-over ends."""

    hours: OpeningHours
    # A member of staff counts as online this long after the console's Live page
    # last asked for the queue (it asks every few seconds while open).
    online_seconds: int
    # A hand-over with no message from either side this long goes back by itself.
    idle_minutes: int
    # Where the console reaches a Rasa server (nginx in production), and the secret
    # both sides know (the Rasa server's API token unless set apart).
    rasa_url: str
    token: str


# What the settings are read from.
NAMES = (
    "HANDOVER_HOURS",
    "HANDOVER_ONLINE_SECONDS",
    "HANDOVER_IDLE_MINUTES",
    "HANDOVER_RASA_URL",
    "HANDOVER_TOKEN",
    "RASA_AUTH_TOKEN",
)


def handover_settings(environ: Mapping[str, str] = os.environ) -> HandoverSettings:
    """Reads the HANDOVER_* variables; raises ValueError on a bad one.

    The policy asks on every turn: the same values are parsed once.
    """
    return _parsed(tuple(environ.get(name, "").strip() for name in NAMES))


@lru_cache(maxsize=8)
def _parsed(values: Tuple[str, ...]) -> HandoverSettings:
    given = dict(zip(NAMES, values, strict=True))

    def number(name: str, default: int) -> int:
        raw = given[name]
        if not raw:
            return default
        if not raw.isdigit() or int(raw) < 1:
            raise ValueError(f"{name}={raw!r}: a whole number, 1 or more, is needed.")
        return int(raw)

    return HandoverSettings(
        hours=OpeningHours.parse(given["HANDOVER_HOURS"]),
        online_seconds=number("HANDOVER_ONLINE_SECONDS", 60),
        idle_minutes=number("HANDOVER_IDLE_MINUTES", 10),
        rasa_url=(given["HANDOVER_RASA_URL"] or "http://127.0.0.1:5005").rstrip("/"),
        token=given["HANDOVER_TOKEN"] or given["RASA_AUTH_TOKEN"],
    )
