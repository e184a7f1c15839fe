"""One visitor's data, found by conversation id, phone or reference: export, delete.

An access request gets the export; an erasure request, the deletion.
Used by `python -m privacy` (staff, `make delete-data` / `make export-data`) and by the
staff console. A visitor's data is their conversations in the tracker store (every
event under their sender id, all sessions) and their requests in the outbox.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Dict, List, Set

import sqlalchemy as sa

from actions.parsing import find_phone_candidate, mask_phone, parse_phone
from booking.outbox import DELIVERED, Outbox, Request
from handover.store import HandoverStore
from privacy.settings import NOTICE_VERSION
from stores.conversations import connect, delete_sender, sender_events

_USER_TEXTS = sa.text("SELECT sender_id, data FROM events WHERE type_name = 'user'")


@dataclass
class Visitor:
    """One visitor's conversation ids and requests."""

    conversation_ids: Set[str] = field(default_factory=set)
    requests: List[Request] = field(default_factory=list)

    @property
    def sent_requests(self) -> int:
        """How many of the requests already reached the clinic's booking system."""
        return sum(request.status == DELIVERED for request in self.requests)


def normalised_phone(text: str) -> str:
    """The phone number as E.164; ValueError says what is wrong with it."""
    result = parse_phone(text)
    if result.e164 is None:
        raise ValueError(
            f"{text!r} is not a phone number ({result.problem}): give it as the "
            "visitor did, e.g. 138 1234 5678 or +44 20 7946 0958."
        )
    return result.e164


def find_visitor(
    outbox: Outbox,
    tracker_url: str,
    sender: str | None = None,
    phone: str | None = None,
    reference: str | None = None,
) -> Visitor:
    """Everything kept under the sender id, the phone number or the reference."""
    found: Dict[int, Request] = {}
    visitor = Visitor()
    if sender:
        visitor.conversation_ids.add(sender)
        found.update((r.id, r) for r in outbox.of_conversation(sender))
    if reference:
        found.update((r.id, r) for r in outbox.find(reference))
    if phone:
        e164 = normalised_phone(phone)
        found.update((r.id, r) for r in outbox.with_phone(e164))
        visitor.conversation_ids |= _conversations_giving(tracker_url, e164)
    visitor.conversation_ids |= {r.conversation_id for r in found.values()}
    # The other requests of those conversations are the same visitor's.
    for conversation_id in sorted(visitor.conversation_ids):
        found.update((r.id, r) for r in outbox.of_conversation(conversation_id))
    visitor.requests = sorted(found.values(), key=lambda r: r.id)
    return visitor


def _conversations_giving(tracker_url: str, e164: str) -> Set[str]:
    """Conversations in which the visitor typed this number (booked with it or not)."""
    senders = set()
    with connect(tracker_url) as connection:
        for sender_id, data in connection.execute(_USER_TEXTS):
            text = json.loads(data).get("text") or ""
            candidate = find_phone_candidate(text)
            if candidate and parse_phone(candidate).e164 == e164:
                senders.add(sender_id)
    return senders


def export_visitor(visitor: Visitor, tracker_url: str) -> Dict[str, Any]:
    """Everything kept about the visitor, in full, as JSON-ready data."""
    with connect(tracker_url) as connection:
        conversations = {
            conversation_id: sender_events(connection, conversation_id)
            for conversation_id in sorted(visitor.conversation_ids)
        }
    return {
        "exported_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "notice_version": NOTICE_VERSION,
        "requests": [_request_data(request) for request in visitor.requests],
        "conversations": conversations,
    }


def delete_visitor(
    visitor: Visitor, outbox: Outbox, tracker_url: str
) -> Dict[str, int]:
    """Deletes the visitor's requests and conversations; returns what was deleted."""
    requests = outbox.delete([request.id for request in visitor.requests])
    # Who had their conversations in the console's Live queue (no text, but theirs).
    HandoverStore(outbox).forget(sorted(visitor.conversation_ids))
    events = 0
    with connect(tracker_url) as connection:
        for conversation_id in sorted(visitor.conversation_ids):
            events += delete_sender(connection, conversation_id)
    return {
        "requests": requests,
        "events": events,
        "conversations": len(visitor.conversation_ids),
    }


def describe(visitor: Visitor) -> List[str]:
    """What was found, one line each, names and phones masked (for the terminal)."""
    lines = [f"{len(visitor.conversation_ids)} conversation(s)"]
    for request in visitor.requests:
        phone = request.payload.get("phone") or ""
        lines.append(
            f"request {request.reference} ({request.kind}, {request.status}, "
            f"{mask_phone(phone) if phone else 'no phone'})"
        )
    return lines


def _request_data(request: Request) -> Dict[str, Any]:
    return {
        "reference": request.reference,
        "kind": request.kind,
        "status": request.status,
        "created_at": request.created_at.isoformat(),
        "delivered_at": request.delivered_at.isoformat()
        if request.delivered_at
        else None,
        "conversation_id": request.conversation_id,
        "details": request.payload,
    }
