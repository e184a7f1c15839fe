"""What a conversation's tracker says about a hand-over (pure functions over events).

The tracker is the record: `action_start_handover` (actions/handoff.py) marks the
start, `utter_handover_back` the end, and what staff said is a bot message whose
metadata says it came from a person (`from_person`, the staff member's `staff` name).
Every Rasa server reads the same tracker store, so they agree on whether a person has
the conversation, whichever of them a message reaches.
"""

from __future__ import annotations

from typing import Any, Dict, Iterable, List, Sequence

START = "action_start_handover"
BACK = "utter_handover_back"
FROM_PERSON = "from_person"
STAFF = "staff"
FALLBACK = "nlu_fallback"


def person_metadata(staff: str) -> Dict[str, Any]:
    """The metadata of a message a member of staff wrote."""
    return {FROM_PERSON: True, STAFF: staff}


def is_from_person(event: Any) -> bool:
    """Whether a bot event is a message a member of staff wrote."""
    metadata = getattr(event, "metadata", None) or {}
    return getattr(event, "type_name", "") == "bot" and bool(metadata.get(FROM_PERSON))


def with_person(events: Sequence[Any], now: float, idle_seconds: float) -> bool:
    """Whether a person has the conversation when its latest message arrives.

    Started (`action_start_handover`) and not ended (`utter_handover_back`, a new
    session), and someone wrote within `idle_seconds` before the latest message (the
    console ends idle hand-overs; this is the same rule should the console be down).
    """
    latest_message = None
    skipped_current = False
    for event in reversed(events):
        name = getattr(event, "type_name", "")
        if name == "action":
            action = getattr(event, "action_name", None)
            if action == BACK or action == "action_session_start":
                return False
            if action == START:
                last = latest_message or float(getattr(event, "timestamp", now))
                return now - last <= idle_seconds
        elif name == "user" and not skipped_current:
            skipped_current = True  # the message being answered
        elif name in ("user", "bot") and latest_message is None:
            latest_message = float(getattr(event, "timestamp", now))
    return False


def failed_twice(events: Iterable[Any]) -> bool:
    """Whether the latest two visitor messages were both not understood."""
    intents: List[str | None] = []
    for event in reversed(list(events)):
        if getattr(event, "type_name", "") == "user":
            intents.append((getattr(event, "intent", None) or {}).get("name"))
            if len(intents) == 2:
                break
    return intents == [FALLBACK, FALLBACK]


def messages_after(events: Iterable[Any], after: float) -> List[Any]:
    """Staff messages and the hand-back words later than `after`, oldest first.

    What a Rasa server has to deliver itself: the assistant's own replies go out with
    the visitor's turn.
    """
    found, back = [], False
    for event in events:
        name = getattr(event, "type_name", "")
        if name == "action":
            back = getattr(event, "action_name", None) == BACK
            continue
        later = float(getattr(event, "timestamp", 0)) > after
        if name == "bot" and later and (back or is_from_person(event)):
            found.append(event)
        if name != "bot":
            back = False
    return found


def last_start(events: Iterable[Any]) -> float:
    """When the latest hand-over of the conversation started (0: never)."""
    started = 0.0
    for event in events:
        if (
            getattr(event, "type_name", "") == "action"
            and getattr(event, "action_name", None) == START
        ):
            started = float(getattr(event, "timestamp", 0.0))
    return started
