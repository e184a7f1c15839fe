"""'Delete my data': the visitor's requests go; the conversation is marked to erase."""

from __future__ import annotations

from datetime import datetime, timezone

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import booking
from actions.privacy import ActionDeleteVisitorData
from booking.outbox import Outbox
from privacy.erasure import FORGET_SLOT


def visitor(sender: str) -> Tracker:
    message = {"text": "yes", "intent": {"name": "affirm", "confidence": 1.0}}
    return Tracker(sender, {"language": "en"}, message, [], False, None, {}, "")


async def test_every_request_of_the_visitor_goes_and_others_stay(tmp_path, monkeypatch):
    path = tmp_path / "bookings.db"
    monkeypatch.setenv("BOOKING_OUTBOX_PATH", str(path))
    booking.outbox.cache_clear()
    with Outbox(path) as outbox:
        outbox.submit("booking", "anna", {"phone": "+8613812345678"})
        sent = outbox.submit("callback", "anna", {"phone": "+8613812345678"})
        outbox.submit("booking", "bob", {"phone": "+8613912345678"})
        [delivered] = outbox.find(sent.reference)
        now = datetime.now(timezone.utc)
        assert outbox.claim(delivered.id, now, now)
        outbox.mark_delivered(delivered.id, now)

    dispatcher = CollectingDispatcher()
    events = await ActionDeleteVisitorData().run(dispatcher, visitor("anna"), {})
    booking.outbox.cache_clear()

    assert events == [SlotSet(FORGET_SLOT, True)]  # the store erases the conversation
    [said] = dispatcher.messages
    assert said["response"] == "utter_data_deleted_some_sent" and said["sent"] == 1
    with Outbox(path) as outbox:
        assert [r.conversation_id for r in outbox.requests()] == ["bob"]


async def test_nothing_sent_yet_says_so(tmp_path, monkeypatch):
    monkeypatch.setenv("BOOKING_OUTBOX_PATH", str(tmp_path / "bookings.db"))
    booking.outbox.cache_clear()
    dispatcher = CollectingDispatcher()
    await ActionDeleteVisitorData().run(dispatcher, visitor("nobody"), {})
    booking.outbox.cache_clear()
    assert [m["response"] for m in dispatcher.messages] == ["utter_data_deleted"]
