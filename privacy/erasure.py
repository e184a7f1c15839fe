"""How a conversation asks the conversation store to erase it.

The action that deletes a visitor's data (actions/privacy.py) sets the `forget_visitor`
slot; the tracker store (stores/tracker_store.py), saving that turn, deletes every
event stored under the visitor's sender id instead of adding the turn's events. The
slot has no mapping a message could fill: only that action sets it.
"""

from __future__ import annotations

from typing import Any, Iterable

FORGET_SLOT = "forget_visitor"


def asks_to_forget(events: Iterable[Any]) -> bool:
    """Whether these events (a turn's new ones) include the erasure request."""
    return any(
        getattr(event, "type_name", None) == "slot"
        and getattr(event, "key", None) == FORGET_SLOT
        and getattr(event, "value", None)
        for event in events
    )
