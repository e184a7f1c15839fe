"""Reading a hand-over from the tracker's events (handover/conversation.py)."""

from __future__ import annotations

from rasa.shared.core.events import (
    ActionExecuted,
    BotUttered,
    SessionStarted,
    SlotSet,
    UserUttered,
)

from handover.conversation import (
    BACK,
    START,
    failed_twice,
    last_start,
    messages_after,
    person_metadata,
    with_person,
)

IDLE = 600.0


def user(text: str, at: float, intent: str = "faq") -> UserUttered:
    return UserUttered(text, intent={"name": intent}, timestamp=at)


def action(name: str, at: float) -> ActionExecuted:
    return ActionExecuted(name, timestamp=at)


def staff(text: str, at: float) -> BotUttered:
    return BotUttered(text, metadata=person_metadata("rita"), timestamp=at)


def started(at: float = 100.0) -> list:
    return [
        user("转人工", at, "human_handoff"),
        action(START, at + 1),
        BotUttered("a person is joining", timestamp=at + 1),
    ]


def test_a_person_has_it_after_the_start_until_the_hand_back():
    events = [
        *started(),
        staff("hello", 110),
        user("hi", 120),
        SlotSet("language", "en"),
    ]
    assert with_person(events, now=120, idle_seconds=IDLE)
    back = [*events, action(BACK, 130), BotUttered("back", timestamp=130)]
    assert not with_person([*back, user("does it hurt?", 140)], 140, IDLE)


def test_a_quiet_hand_over_is_over_even_without_the_console():
    events = [*started(100), staff("hello", 110), user("still there?", 2000)]
    assert not with_person(events, now=2000, idle_seconds=IDLE)
    assert with_person([*events[:-1], user("ok", 500)], now=500, idle_seconds=IDLE)


def test_no_hand_over_in_a_new_session_or_never_started():
    assert not with_person([user("hi", 1)], 1, IDLE)
    events = [*started(), SessionStarted(timestamp=200), user("hi", 201)]
    events.insert(-1, action("action_session_start", 200))
    assert not with_person(events, 201, IDLE)


def test_two_not_understood_messages_in_a_row():
    assert failed_twice([user("x", 1, "nlu_fallback"), user("y", 2, "nlu_fallback")])
    assert not failed_twice([user("x", 1, "nlu_fallback"), user("y", 2, "faq")])
    assert not failed_twice([user("y", 2, "nlu_fallback")])


def test_what_a_server_delivers_is_staff_messages_and_the_hand_back():
    events = [
        *started(100),
        staff("hello", 110),
        BotUttered("an assistant reply", timestamp=115),
        action(BACK, 130),
        BotUttered("back with the assistant", timestamp=130),
    ]
    assert [e.text for e in messages_after(events, 100)] == [
        "hello",
        "back with the assistant",
    ]
    assert [e.text for e in messages_after(events, 110)] == ["back with the assistant"]
    assert last_start(events) == 101
