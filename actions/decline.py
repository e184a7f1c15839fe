"""The answer to what the assistant does not do: a doctor's work, or anything else.

The off-topic rule (components/off_topic_detector.py) sets `out_of_scope` and marks a
request for a diagnosis or a dose with `medical_advice` in the parse result: that
visitor is told to see a doctor (a pharmacist for a medicine), never a passage of
the articles; any other request gets the usual "I can't help with that" and the
topics the assistant can answer.
"""

from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.follow_up import marked

MEDICAL_ADVICE = "medical_advice"
SEE_A_DOCTOR = "utter_see_a_doctor"
OUT_OF_SCOPE = "utter_out_of_scope"


class ActionDecline(Action):
    """Declines a request: to a doctor for a diagnosis or a dose, else the topics."""

    def name(self) -> Text:
        """The action's name."""
        return "action_decline"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Dict[Text, Any]]:
        """Says to see a doctor, or that the assistant can't help with that."""
        medical = marked(tracker.latest_message or {}, MEDICAL_ADVICE)
        dispatcher.utter_message(response=SEE_A_DOCTOR if medical else OUT_OF_SCOPE)
        return []
