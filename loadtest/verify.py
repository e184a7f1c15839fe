"""What the harness checks after a phase: the tracker store and the booking system.

Read from PostgreSQL (the `events` table of Rasa's SQL tracker store): for every
conversation, each message the client got a 200 for is stored exactly once (by its
`message_id`), in the client's order, and is followed by at least one bot message.
Bookings: each reference a visitor was given reached the fake booking system exactly
once, and no conversation has a booking it was not told about.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Dict, List, Tuple

from loadtest.traffic import Conversation
from scripts.services import Postgres
from tests.fakes.booking_system import FakeBookingSystem


@dataclass
class Findings:
    """What the checks found; empty lists mean the phase is correct."""

    accepted: int = 0
    lost: List[str] = field(default_factory=list)  # accepted, not stored
    duplicated: List[str] = field(default_factory=list)  # stored more than once
    out_of_order: List[str] = field(default_factory=list)
    unanswered: List[str] = field(default_factory=list)  # no bot message after it
    stored_unacknowledged: int = 0  # stored, but the client gave up on it
    # WeChat: a try WeChat gave up on was stored after all, and so was the user's
    # message typed again (two turns for what the user meant once).
    repeated_after_giving_up: List[str] = field(default_factory=list)
    bookings_confirmed: int = 0
    bookings_lost: List[str] = field(default_factory=list)
    bookings_duplicated: List[str] = field(default_factory=list)
    bookings_unexpected: List[str] = field(default_factory=list)

    @property
    def correct(self) -> bool:
        """No lost, duplicated or misordered message and no lost/doubled booking."""
        return not (
            self.lost
            or self.duplicated
            or self.out_of_order
            or self.unanswered
            or self.bookings_lost
            or self.bookings_duplicated
            or self.bookings_unexpected
        )

    def summary(self) -> Dict[str, object]:
        """Counts (and a few examples) for the report."""
        out: Dict[str, object] = {"accepted_messages": self.accepted}
        for name in (
            "lost", "duplicated", "out_of_order", "unanswered",
            "bookings_lost", "bookings_duplicated", "bookings_unexpected",
        ):  # fmt: skip
            items = getattr(self, name)
            out[name] = len(items)
            if items:
                out[f"{name}_examples"] = items[:5]
        out["stored_unacknowledged"] = self.stored_unacknowledged
        out["repeated_after_giving_up"] = len(self.repeated_after_giving_up)
        out["bookings_confirmed"] = self.bookings_confirmed
        return out


def stored_turns(
    postgres: Postgres, senders: List[str]
) -> Dict[str, List[Tuple[str, str | None]]]:
    """Each sender's events in order: ("user", message_id) or ("bot", None)."""
    connection = postgres.connect()
    turns: Dict[str, List[Tuple[str, str | None]]] = {s: [] for s in senders}
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT sender_id, type_name, data FROM events "
                "WHERE sender_id = ANY(%s) AND type_name IN ('user', 'bot') "
                "ORDER BY id",
                (senders,),
            )
            for sender, kind, data in cursor:
                message_id = (
                    json.loads(data).get("message_id") if kind == "user" else None
                )
                turns[sender].append((kind, message_id))
    finally:
        connection.close()
    return turns


def check_messages(postgres: Postgres, scripts: List[Conversation]) -> Findings:
    """The message checks of every conversation."""
    found = Findings()
    turns = stored_turns(postgres, [c.sender for c in scripts])
    for conversation in scripts:
        events = turns[conversation.sender]
        stored = [mid for kind, mid in events if kind == "user"]
        counts = Counter(stored)
        order = {mid: i for i, mid in enumerate(stored)}
        previous = -1
        for message in conversation.sent:
            label = f"{conversation.sender}#{message.index}"
            copies = counts.get(message.message_id, 0)
            if copies > 1 or any(counts[i] > 1 for i in message.abandoned_ids):
                found.duplicated.append(label)
            abandoned = sum(counts[i] > 0 for i in message.abandoned_ids)
            found.stored_unacknowledged += abandoned
            if abandoned and (copies or abandoned > 1):
                found.repeated_after_giving_up.append(label)
            if not message.accepted:
                found.stored_unacknowledged += copies > 0
                continue
            found.accepted += 1
            if copies == 0:
                found.lost.append(label)
                continue
            position = order[message.message_id]
            if position < previous:
                found.out_of_order.append(label)
            previous = position
        # Each user message is followed by a bot message before the next one.
        for i, (kind, mid) in enumerate(events):
            if kind == "user" and (i + 1 >= len(events) or events[i + 1][0] != "bot"):
                found.unanswered.append(f"{conversation.sender}:{mid}")
    return found


def wait_for_bookings(
    booking: FakeBookingSystem, references: List[str], timeout: float
) -> None:
    """Waits until the relay delivered every reference (or the timeout)."""
    deadline = time.monotonic() + timeout
    wanted = set(references)
    while time.monotonic() < deadline:
        if wanted <= {b["reference"] for b in booking.bookings}:
            return
        time.sleep(0.5)


def check_bookings(
    found: Findings,
    booking: FakeBookingSystem,
    scripts: List[Conversation],
    everyone: List[Conversation] | None = None,
) -> None:
    """Each reference a visitor got reached the booking system exactly once.

    `scripts` are the conversations checked (one channel's, say); a booking none of
    `everyone` (default: `scripts`) was told about is unexpected.
    """
    received = Counter(b["reference"] for b in booking.bookings)
    # The last nine digits: the channel's digit and the visitor's number.
    phones = {c.phone[-9:] for c in scripts if c.phone}
    by_phone = Counter(
        b["request"]["phone"]
        for b in booking.bookings
        if b["request"]["phone"][-9:] in phones
    )
    told = {r for c in everyone or [] for r in c.references}
    for conversation in scripts:
        references = set(conversation.references)
        told |= references
        found.bookings_confirmed += len(references)
        for reference in references:
            if received[reference] == 0:
                found.bookings_lost.append(reference)
            elif received[reference] > 1:
                found.bookings_duplicated.append(reference)
    for phone, count in by_phone.items():
        if count > 1:
            found.bookings_duplicated.append(f"phone ...{phone[-4:]} x{count}")
    found.bookings_unexpected.extend(
        reference for reference in received if reference not in told
    )
