"""Call-back requests: left after asking for a person, sent like a booking."""

from __future__ import annotations

from typing import List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.booking import cleared, declined, submit
from actions.consent import has_consent


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
