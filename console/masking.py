"""Personal data in free text, masked for roles that may not see it (editors).

Phone numbers anywhere in a message, and the names the visitor gave in the booking
form (the `visitor_name` slot), wherever they appear in the conversation.
"""

from __future__ import annotations

import re
from typing import Iterable

from actions.parsing import mask_name, mask_phone

# Seven or more digits, possibly with a leading + and spaces, dots or dashes between:
# any phone number (and any other long number, which is masked too, to be safe).
_NUMBER = re.compile(r"\+?\d(?:[\s.\-]?\d){6,}")


def mask_text(text: str, names: Iterable[str] = ()) -> str:
    """`text` with phone numbers and the given names masked."""
    masked = _NUMBER.sub(lambda match: mask_phone(match.group()), text)
    for name in sorted({n for n in names if n and len(n) > 1}, key=len, reverse=True):
        masked = masked.replace(name, mask_name(name))
    return masked
