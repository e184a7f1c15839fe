"""Consent before a request's name and phone: the question, and whether it was given.

The form validator (actions/booking.py) reads the yes or no (privacy/consent.py); the
submit actions write nothing without a recorded yes (`declined` in actions/booking.py,
docs/privacy.md).
"""

from __future__ import annotations

from typing import List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from booking.settings import booking_settings


def has_consent(tracker: Tracker) -> bool:
    """Whether the visitor agreed to send their details for this request."""
    return tracker.get_slot("data_consent") is True and bool(
        tracker.get_slot("consent_given_at")
    )


class ActionAskDataConsent(Action):
    """Says what is sent to the clinic, why and for how long, and asks yes or no."""

    def name(self) -> Text:
        """The action's name."""
        return "action_ask_data_consent"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        """The booking form's or the call-back form's wording, with the retention."""
        callback = tracker.active_loop.get("name") == "callback_form"
        dispatcher.utter_message(
            response="utter_data_consent_callback"
            if callback
            else "utter_data_consent_booking",
            retention_days=booking_settings().retention_days,
        )
        return []
