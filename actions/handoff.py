"""Asking for a person: a hand-over to reception live, or a call-back request.

`action_start_handover` is predicted by components/handover_policy.py when reception
is online; `action_submit_callback` when nobody was and the visitor left a request.
"""

from __future__ import annotations

import logging
from typing import List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.booking import cleared, declined, language_of, submit
from actions.consent import has_consent
from handover.store import shared_store

logger = logging.getLogger(__name__)

WECHAT = "wechat"


class ActionStartHandover(Action):
    """Puts the conversation in the console's Live queue and says a person is coming."""

    def name(self) -> Text:
        """The action's name."""
        return "action_start_handover"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        """Opens the hand-over (shared database); stops a form in progress."""
        channel = tracker.get_latest_input_channel() or ""
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        shared_store().open(
            tracker.sender_id,
            channel,
            language_of(tracker),
            "asked" if intent == "human_handoff" else "not_understood",
        )
        # WeChat passive replies wait for the visitor's next message: say so there.
        response = (
            "utter_handover_joining_wechat"
            if channel == WECHAT
            else "utter_handover_joining"
        )
        dispatcher.utter_message(response=response)
        if tracker.active_loop.get("name"):
            return [ActiveLoop(None), SlotSet("requested_slot", None)]
        return []


class ActionSubmitCallback(Action):
    """Sends a confirmed call-back request to reception and gives its reference."""

    def name(self) -> Text:
        """The action's name."""
        return "action_submit_callback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        """Writes the request to the outbox, like a booking, and says what happens."""
        if not has_consent(tracker):
            return declined(dispatcher)
        submission = submit(
            "callback",
            tracker,
            {
                "name": tracker.get_slot("visitor_name"),
                "phone": tracker.get_slot("phone"),
            },
        )
        dispatcher.utter_message(
            response="utter_callback_submitted", reference=submission.reference
        )
        return cleared()
