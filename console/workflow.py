"""How the front desk works a request: its statuses, the moves between them, its rows.

A request arrives `new`; reception calls the visitor (`called`), then it ends
`confirmed`, `declined` or `no_answer` (and a `no_answer` can be called again). This is
the clinic's own status, beside the outbox's delivery state to the booking system
(pending / delivered / failed), which only the relay changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, List, Tuple

import phonenumbers

from actions.parsing import CLINICS, mask_name, mask_phone
from booking.outbox import FAILED, PENDING, Request
from booking.staff import preferred_time, shanghai_time
from console.db import Workflow

NEW, CALLED, CONFIRMED, DECLINED, NO_ANSWER = (
    "new",
    "called",
    "confirmed",
    "declined",
    "no_answer",
)
STATUSES = (NEW, CALLED, CONFIRMED, DECLINED, NO_ANSWER)
MOVES: Dict[str, Tuple[str, ...]] = {
    NEW: (CALLED,),
    CALLED: (CONFIRMED, DECLINED, NO_ANSWER),
    NO_ANSWER: (CALLED,),
    CONFIRMED: (),
    DECLINED: (),
}
MAX_NOTE = 1000


def can_move(from_status: str, to_status: str) -> bool:
    """Whether staff may move a request from one status to another (or keep it)."""
    return to_status == from_status or to_status in MOVES.get(from_status, ())


@dataclass(frozen=True)
class Row:
    """One request as the console shows it (personal data already masked or not)."""

    id: int
    reference: str
    kind: str
    created: str
    clinic_key: str
    clinic: str
    service: str
    when: str
    name: str
    phone_shown: str
    phone_link: str  # "tel:+86..." for roles that see personal data, else ""
    practitioner: str
    language: str
    visitor_note: str
    status: str
    staff_note: str
    delivery: str  # pending, waiting (no booking system), delivered, failed
    attempts: int
    last_error: str
    conversation_id: str


def row(
    request: Request,
    workflow: Workflow | None,
    personal: bool,
    webhook_configured: bool,
    language: str = "en",
) -> Row:
    """The request as shown to a role that does (`personal`) or does not see PII."""
    payload = request.payload
    name = str(payload.get("name") or "")
    phone = str(payload.get("phone") or "")
    clinic = CLINICS.get(str(payload.get("clinic") or ""))
    return Row(
        id=request.id,
        reference=request.reference,
        kind=request.kind,
        created=shanghai_time(request.created_at),
        clinic_key=str(payload.get("clinic") or ""),
        clinic=(clinic.name_zh if language == "zh" else clinic.name_en)
        if clinic
        else str(payload.get("clinic") or ""),
        service=str(payload.get("service") or ""),
        when=preferred_time(payload),
        name=name if personal else mask_name(name),
        phone_shown=display_phone(phone) if personal else mask_phone(phone),
        phone_link=f"tel:{phone}" if personal and phone else "",
        practitioner=str(payload.get("practitioner") or ""),
        language=str(payload.get("language") or ""),
        # Free text: visitors put names, numbers and symptoms in it.
        visitor_note=str(payload.get("note") or "") if personal else "",
        status=workflow.status if workflow else NEW,
        staff_note=(workflow.note if workflow else "") if personal else "",
        delivery=delivery_state(request, webhook_configured),
        attempts=request.attempts,
        last_error=request.last_error or "" if request.status == FAILED else "",
        conversation_id=request.conversation_id,
    )


def display_phone(e164: str) -> str:
    """An E.164 number as people read it, "+86 138 1234 5678"."""
    if not e164:
        return ""
    try:
        number = phonenumbers.parse(e164)
    except phonenumbers.NumberParseException:
        return e164
    return phonenumbers.format_number(
        number, phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )


def delivery_state(request: Request, webhook_configured: bool) -> str:
    """pending, waiting (pending, no booking system to send to), delivered, failed."""
    if request.status == PENDING and not webhook_configured:
        return "waiting"
    return request.status


def matching(
    requests: List[Request],
    workflows: Dict[int, Workflow],
    webhook_configured: bool,
    clinic: str = "",
    kind: str = "",
    status: str = "",
    delivery: str = "",
) -> List[Request]:
    """The requests that pass the page's filters (empty: any), in the same order."""
    return [
        r
        for r in requests
        if (not clinic or r.payload.get("clinic") == clinic)
        and (not kind or r.kind == kind)
        and (
            not status
            or (workflows[r.id].status if r.id in workflows else NEW) == status
        )
        and (not delivery or delivery_state(r, webhook_configured) == delivery)
    ]
