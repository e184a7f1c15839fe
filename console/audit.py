"""The audit log: who signed in (or failed to), changed, viewed, exported, deleted.

Entries never hold a patient's phone number or name: the target is a request's
reference or a conversation id, and details are masked.
"""

from __future__ import annotations

from typing import List

from console.db import AuditEntry, ConsoleStore

SIGN_IN = "sign-in"
SIGN_IN_FAILED = "sign-in failed"
SIGN_IN_LOCKED = "account locked"
SIGN_OUT = "sign-out"
STATUS_CHANGE = "status change"
NOTE = "note"
RETRY = "delivery retry"
VIEW_REQUESTS = "view requests"
VIEW_REQUEST = "view request"
VIEW_CONVERSATION = "view conversation"
EXPORT = "export"
DELETE = "delete"
FORBIDDEN = "refused"
HANDOVER_CLAIM = "hand-over taken"
HANDOVER_END = "hand-over ended"
HANDOVER_BOOKING = "request made in a hand-over"
ANSWER_SAVED = "answer saved"
QUESTION_FILED = "question filed"
QUESTION_IGNORED = "question ignored"
CHECK_STARTED = "check started"
PUT_LIVE = "model put live"
PUT_LIVE_REFUSED = "release refused"
ROLLED_BACK = "rolled back"
CHANGE_UNDONE = "change undone"

_MAX_FIELD = 500


class AuditLog:
    """Writes and reads the audit log in the console's tables."""

    def __init__(self, store: ConsoleStore) -> None:
        """Writes to `store`."""
        self.store = store

    def record(
        self,
        actor: str,
        action: str,
        target: str = "",
        detail: str = "",
        address: str = "",
    ) -> None:
        """Appends an entry; over-long fields are cut (a name field can be anything)."""
        self.store.audit(
            actor[:_MAX_FIELD],
            action,
            target[:_MAX_FIELD],
            detail[:_MAX_FIELD],
            address[:_MAX_FIELD],
        )

    def entries(self, limit: int = 100, offset: int = 0) -> List[AuditEntry]:
        """The newest entries first."""
        return self.store.audit_entries(limit, offset)
