from __future__ import annotations

from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered

from channels.replay import is_message_id, replies_after


def _turn(message_id: str, *texts: str) -> list:
    return [
        UserUttered("hi", message_id=message_id),
        ActionExecuted("utter_x"),
        *[
            BotUttered(t, data={"buttons": [{"title": "b"}] if t == "a" else None})
            for t in texts
        ],
        SlotSet("language", "en"),
    ]


def test_replies_of_a_stored_message_are_those_recorded_until_the_next_message():
    events = [*_turn("m1", "a", "b"), *_turn("m2", "c")]
    assert replies_after(events, "s", "m1") == [
        {"recipient_id": "s", "text": "a", "buttons": [{"title": "b"}]},
        {"recipient_id": "s", "text": "b"},
    ]
    assert replies_after(events, "s", "m2") == [{"recipient_id": "s", "text": "c"}]


def test_a_message_not_stored_has_no_replies_to_replay():
    assert replies_after(_turn("m1", "a"), "s", "m9") is None
    assert replies_after(_turn("m1"), "s", "m1") == []


def test_message_ids_are_short_plain_strings():
    assert is_message_id("0b6f1f0e-9d2a-4c1e-8a57-1f5b2c3d4e5f")
    for bad in ("", "x" * 65, "a b", "ü", 7, None, "a\u200b"):
        assert not is_message_id(bad)
