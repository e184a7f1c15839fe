"""Event classes are found by type name as Rasa finds them, each searched once."""

from __future__ import annotations

import pytest

from rasa_patches import events


def test_every_event_type_resolves_to_rasas_class():
    from rasa.shared.core.events import Event
    from rasa.shared.utils.common import all_subclasses

    for cls in all_subclasses(Event):
        assert Event.resolve_by_type(cls.type_name) is events._RESOLVE_BY_TYPE(
            cls.type_name
        )


def test_unknown_types_keep_rasas_answers():
    from rasa.shared.core.events import Event, UserUttered

    with pytest.raises(ValueError, match="Unknown event name"):
        Event.resolve_by_type("no_such_event")
    assert Event.resolve_by_type("topic") is None
    assert Event.resolve_by_type("no_such_event", default=UserUttered) is UserUttered
    assert "no_such_event" not in events._EVENT_TYPES


def test_a_type_found_once_is_not_searched_again(monkeypatch):
    from rasa.shared.core.events import Event

    Event.resolve_by_type("action")  # remembered from now on
    monkeypatch.setattr(events, "_RESOLVE_BY_TYPE", _fail)
    event = Event.from_parameters({"event": "action", "name": "action_listen"})
    assert event.action_name == "action_listen"


def _fail(*_: object) -> None:
    raise AssertionError("searched Event's subclasses again")
