"""A visitor's "delete my data": their requests, then the conversation itself.

The requests are deleted here; the conversation's events are erased by the tracker
store at the end of the turn (privacy/erasure.py).
"""

from __future__ import annotations

import logging
from typing import List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.booking import outbox
from booking.outbox import DELIVERED
from privacy.erasure import FORGET_SLOT

logger = logging.getLogger(__name__)


class ActionDeleteVisitorData(Action):
    """Deletes the visitor's requests and has the store erase the conversation."""

    def name(self) -> Text:
        """The action's name."""
        return "action_delete_visitor_data"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        """Deletes, says what was deleted and what only the clinic can delete."""
        requests = outbox().of_conversation(tracker.sender_id)
        sent = sum(request.status == DELIVERED for request in requests)
        outbox().delete([request.id for request in requests])
        logger.info(
            "A visitor's data was deleted at their request: %d requests (%d had "
            "reached the clinic); the conversation is erased with this turn.",
            len(requests),
            sent,
        )
        if sent:
            dispatcher.utter_message(response="utter_data_deleted_some_sent", sent=sent)
        else:
            dispatcher.utter_message(response="utter_data_deleted")
        # The tracker store erases every event of this conversation when it saves
        # this turn, this one's included.
        return [SlotSet(FORGET_SLOT, True)]
