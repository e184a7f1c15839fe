from __future__ import annotations

import asyncio

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.lock_store import InMemoryLockStore
from rasa.core.tracker_store import InMemoryTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered

from channels.replay import handle_once, is_message_id, replies_after


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


class _SlowProcessor:
    """Stores the turn (user message, one reply) after a pause, like a real turn."""

    def __init__(self, store: InMemoryTrackerStore) -> None:
        self.store = store
        self.turns = 0

    async def handle_message(self, message: UserMessage) -> None:
        self.turns += 1
        await asyncio.sleep(0.05)
        tracker = await self.store.get_or_create_tracker(message.sender_id)
        tracker.update(UserUttered(message.text, message_id=message.message_id))
        tracker.update(BotUttered(f"answer {self.turns}"))
        await self.store.save(tracker)
        await message.output_channel.send_text_message(
            message.sender_id, f"answer {self.turns}"
        )


class _Agent:
    """What handle_once uses of Rasa's Agent: real stores, the slow processor."""

    def __init__(self) -> None:
        self.tracker_store = InMemoryTrackerStore(Domain.empty())
        self.lock_store = InMemoryLockStore()
        self.processor = _SlowProcessor(self.tracker_store)

    def is_ready(self) -> bool:
        return True


def test_a_message_repeated_while_the_first_is_processed_is_one_turn():
    agent = _Agent()

    async def send(message_id: str) -> list | None:
        output = CollectingOutputChannel()
        return await handle_once(
            agent, UserMessage("hi", output, "s", message_id=message_id)
        )

    async def both() -> list:
        return await asyncio.gather(send("m1"), send("m1"), send("m2"))

    first, repeat, other = asyncio.run(both())
    assert agent.processor.turns == 2
    assert first is None and other is None  # processed now: replies went out
    assert repeat == [{"recipient_id": "s", "text": "answer 1"}]
