"""Consent to send a visitor's details to the clinic: reading the answer, the record.

Before the booking and call-back forms ask for a name and a phone number, the assistant
says what it will send, why and for how long it is kept, and asks for a yes or a no
(PIPL art. 17 and 29: notice, and separate consent for health information). A yes is
recorded with the request; a no ends the form and nothing personal is kept.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Dict

from privacy.settings import NOTICE_VERSION

# Longer messages say something else (a question, a story): the classifier decides.
_MAX_ANSWER_CHARS = 40
# A question about the request is not an answer to it ("is that safe?", "要多久吗").
_QUESTION = re.compile(r"[?？]|吗|呢|什么|怎么|为什么|多久|谁")
# Said as a yes although they hold a "no" or "not".
_YES_DESPITE_NEGATION = re.compile(
    r"\b(?:(?:i\s+)?(?:don'?t|do\s+not)\s+mind|no\s+problem|not\s+a\s+problem|why\s+not)\b"
    r"|不介意|没问题|没关系|无所谓",
)
_NO = re.compile(
    r"\b(?:no|nope|nah|not|don'?t|do\s+not|disagree|refuse|decline|rather\s+not)\b"
    r"|不|别|拒绝|算了",
)
_YES = re.compile(
    r"\b(?:yes|yeah|yep|yup|ok|okay|sure|agree|agreed|fine|alright|of\s+course"
    r"|go\s+ahead|consent|i\s+consent|please\s+do|that'?s\s+fine|y)\b"
    r"|同意|可以|好的?|行|是的?|嗯|对|确认|没错",
)


def parse_consent(text: str) -> bool | None:
    """True for a yes, False for a no, None when the message is neither (or long)."""
    folded = unicodedata.normalize("NFKC", text or "").strip().lower()
    folded = folded.replace("\u2019", "'")
    if not folded or len(folded) > _MAX_ANSWER_CHARS or _QUESTION.search(folded):
        return None
    if _YES_DESPITE_NEGATION.search(folded):
        return True
    if _NO.search(folded):
        return False
    if _YES.search(folded):
        return True
    return None


def consent_record(given_at: str, language: str) -> Dict[str, str]:
    """The consent sent with a request: when, to which notice, in which language."""
    return {
        "given_at": given_at,
        "notice_version": NOTICE_VERSION,
        "language": language,
    }
