"""Reading stored events.

`Event.resolve_by_type` walks every subclass of `Event` (and `inspect.isabstract` on
each) to find the class of one stored event: reading a tracker of 50 events cost
~1.5 ms of a ~20 ms turn (py-spy on a loaded server, `make loadtest`). Here a class
found once is remembered by its type name; names not found yet (unknown, or the
`topic` and default cases) still go through Rasa's own lookup every time.
"""

from __future__ import annotations

from typing import Dict, Text, Type

from rasa.shared.core.events import Event

_RESOLVE_BY_TYPE = Event.resolve_by_type
_EVENT_TYPES: Dict[Text, Type[Event]] = {}


def resolve_event_type(
    type_name: Text, default: Type[Event] | None = None
) -> Type[Event] | None:
    """Rasa's lookup of an event class by its type name, remembered once found."""
    found = _EVENT_TYPES.get(type_name)
    if found is not None:
        return found
    resolved = _RESOLVE_BY_TYPE(type_name, default)
    if resolved is not None and resolved.type_name == type_name:
        _EVENT_TYPES[type_name] = resolved
    return resolved


Event.resolve_by_type = staticmethod(resolve_event_type)  # type: ignore[method-assign]
