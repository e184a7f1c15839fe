"""The first steps after "delete my data", with no rule the classifier would learn from.

`DataRequestDetector` sets the `delete_my_data` intent by rule. A rule in data/rules.yml
naming that intent would add it to the training data, and the classifier's label
features with it (the intents' bag of words): every other prediction would move. This
policy takes the first steps instead, and the rest are ordinary rules on affirm and deny
(data/rules.yml): a request in the middle of a form stops the form first
(`action_cancel_request`), then the assistant says what it would delete and asks
(`utter_confirm_delete_data`), then listens.
"""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.trackers import DialogueStateTracker

from components.certain_policy import CertainPolicy
from components.data_request_detector import DELETE_INTENT

STOP_REQUEST = "action_cancel_request"
CONFIRM = "utter_confirm_delete_data"
# Above RulePolicy (6): where both are sure, this one decides. RulePolicy's form steps
# that ignore the visitor's words still come first; the form rejects the request
# (actions/booking.py, STOPS) and this policy takes over.
PRIORITY = 7


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT,
    is_trainable=False,
)
class DataRequestPolicy(CertainPolicy):
    """Answers a deletion request: stop a form in progress, then ask to confirm."""

    # The intent this policy answers (staff/checks.py: no rule needs to name it).
    intent = DELETE_INTENT
    priority = PRIORITY

    def next_action(self, tracker: DialogueStateTracker) -> str | None:
        """The next step of a deletion request."""
        return next_step(
            tracker.latest_message.intent.get("name")
            if tracker.latest_message
            else None,
            tracker.latest_action_name,
            tracker.active_loop_name,
        )


def next_step(
    intent: str | None, latest_action: str | None, active_loop: str | None
) -> str | None:
    """The action after `latest_action` in a deletion request, or None."""
    if intent != DELETE_INTENT:
        return None
    if latest_action == ACTION_LISTEN_NAME:
        return STOP_REQUEST if active_loop else CONFIRM
    if latest_action == STOP_REQUEST:
        return CONFIRM
    if latest_action == CONFIRM:
        return ACTION_LISTEN_NAME
    return None
