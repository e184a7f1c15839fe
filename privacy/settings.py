"""The privacy settings: the one module that reads them from the environment."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Mapping

# The notice's version: recorded with every consent, shown on the privacy page. Change
# it whenever the notice's substance changes (what is kept, why, for how long, who).
NOTICE_VERSION = "2026-12-05"

DEFAULT_CONVERSATION_RETENTION_DAYS = 90


@dataclass(frozen=True)
class PrivacySettings:
    """How long conversations are kept and whom visitors contact about their data."""

    conversation_retention_days: int
    # Free text: an e-mail address, a phone number or both; None: the reception phones.
    contact: str | None


def privacy_settings(environ: Mapping[str, str] = os.environ) -> PrivacySettings:
    """Reads CONVERSATION_RETENTION_DAYS and PRIVACY_CONTACT; raises ValueError."""
    raw = environ.get("CONVERSATION_RETENTION_DAYS", "").strip()
    days = DEFAULT_CONVERSATION_RETENTION_DAYS
    if raw:
        try:
            days = int(raw)
        except ValueError:
            raise ValueError(
                f"CONVERSATION_RETENTION_DAYS={raw!r} is not a whole number: set it to "
                f"the days conversations are kept, e.g. {days} (or leave it unset)."
            ) from None
        if days < 1:
            raise ValueError(
                f"CONVERSATION_RETENTION_DAYS={raw!r} is too small: use 1 or more."
            )
    contact = environ.get("PRIVACY_CONTACT", "").strip() or None
    return PrivacySettings(conversation_retention_days=days, contact=contact)
