"""A person takes over: the assistant is silent while reception has the conversation.

When a visitor asks for a person (`human_handoff`), or two messages in a row were not
understood, and a member of reception has the console's Live page open within the
opening hours (HANDOVER_HOURS), on a channel that can bring staff's words to the
visitor (the widget, WeChat; not REST), this policy starts a hand-over
(`action_start_handover`, actions/handoff.py: the console's queue, "a person is
joining"). Otherwise it says nothing and today's rules answer (reception's numbers,
the call-back offer). While a person has the conversation (handover/conversation.py
reads it from the tracker, which every Rasa server shares) it predicts
`action_listen` for every visitor message, except red flags: the emergency rule
answers those at once. Like `DataRequestPolicy`, it needs no rule, so the classifier's
training is unchanged.
"""

from __future__ import annotations

import logging
import time
from typing import Callable

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.trackers import DialogueStateTracker

from components.certain_policy import CertainPolicy
from handover.conversation import START, failed_twice, with_person

logger = logging.getLogger(__name__)

HANDOFF = "human_handoff"
# Channels that can bring a person's words to the visitor (channels/handover.py): not
# REST, whose clients only get replies to their own requests.
DELIVERABLE = frozenset({"webchat", "wechat"})
EMERGENCY = "emergency"
# Above every other policy (FollowUpPolicy is 8): while a person has the
# conversation nothing else answers.
PRIORITY = 9


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT,
    is_trainable=False,
)
class HandoverPolicy(CertainPolicy):
    """Starts a hand-over when someone is there; keeps quiet while a person answers."""

    priority = PRIORITY

    def next_action(self, tracker: DialogueStateTracker) -> str | None:
        """Certain while a person has the conversation, or when one takes it."""
        intent = (
            tracker.latest_message.intent.get("name")
            if tracker.latest_message
            else None
        )
        action = next_step(
            intent,
            tracker.latest_action_name,
            lambda: _with_person(tracker),
            lambda: failed_twice(tracker.events),
            lambda: (
                tracker.get_latest_input_channel() in DELIVERABLE and _someone_there()
            ),
        )
        if tracker.latest_action_name == ACTION_LISTEN_NAME == action:
            _visitor_said(tracker.sender_id)
        return action


def next_step(
    intent: str | None,
    latest_action: str | None,
    with_a_person: Callable[[], bool],
    not_understood_twice: Callable[[], bool],
    someone_there: Callable[[], bool],
) -> str | None:
    """The next action, or None to leave it to the other policies."""
    if latest_action == START:
        return ACTION_LISTEN_NAME
    if latest_action != ACTION_LISTEN_NAME or intent == EMERGENCY:
        return None
    if with_a_person():
        return ACTION_LISTEN_NAME
    if (intent == HANDOFF or not_understood_twice()) and someone_there():
        return START
    return None


def _with_person(tracker: DialogueStateTracker) -> bool:
    from handover.settings import handover_settings

    try:
        idle = handover_settings().idle_minutes * 60
    except ValueError:
        idle = 600
    return with_person(tracker.events, time.time(), idle)


def _someone_there() -> bool:
    # Only asked on a hand-over request: one indexed read of the shared database.
    from datetime import timedelta

    from handover.settings import handover_settings
    from handover.store import shared_store, utcnow

    try:
        settings = handover_settings()
        now = utcnow()
        if not settings.hours.is_open(now):
            return False
        since = now - timedelta(seconds=settings.online_seconds)
        return bool(shared_store().online(since))
    except Exception as error:  # no database: today's answer, phone numbers
        logger.warning("Hand-over: who is online unknown (%s).", type(error).__name__)
        return False


def _visitor_said(sender_id: str) -> None:
    from handover.store import shared_store

    try:
        shared_store().visitor_said(sender_id)
    except Exception as error:  # the console's idle clock is a nicety
        logger.warning("Hand-over: activity not recorded (%s).", type(error).__name__)
