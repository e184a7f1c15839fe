"""A confirmed "delete my data" erases every event of the conversation, and only it."""

from __future__ import annotations

from rasa.shared.core.events import SlotSet, UserUttered

from privacy.erasure import FORGET_SLOT, asks_to_forget
from stores.conversations import connect, sender_events
from tests.privacy.conftest import DAY, conversation, open_tracker_store


async def test_saving_the_erasure_turn_deletes_every_session_of_the_sender(stores):
    store = stores.tracker_store
    await store.save(conversation("visitor", ["an older visit"], at=1.7e9 - 3 * DAY))
    await store.save(conversation("other", ["hello"]))
    tracker = conversation("visitor", ["please delete my data"])
    await store.save(tracker)
    tracker.update(UserUttered("yes", {"name": "affirm"}))
    tracker.update(SlotSet(FORGET_SLOT, True))
    await store.save(tracker)

    with connect(stores.tracker_url) as connection:
        assert sender_events(connection, "visitor") == []
        assert sender_events(connection, "other")
    # Still gone for a server started afterwards (nothing was only in memory).
    restarted = open_tracker_store(stores.tracker_url)
    try:
        assert await restarted.retrieve("visitor") is None
        assert await restarted.retrieve_full_tracker("visitor") is None
    finally:
        restarted.retention.stop()
        restarted.engine.dispose()


def test_only_a_set_forget_slot_asks_to_forget():
    assert asks_to_forget([SlotSet(FORGET_SLOT, True)])
    assert not asks_to_forget([SlotSet(FORGET_SLOT, None), SlotSet("phone", "x")])
    assert not asks_to_forget([UserUttered("forget me")])
