"""Starting a conversation in the visitor's language."""

from typing import Any, Dict, List

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, EventType, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

SUPPORTED_LANGUAGES = ("en", "zh")


def language_from_metadata(metadata: Dict[str, Any] | None) -> str | None:
    """Returns "en" or "zh" for a channel's hint ("zh-CN", "en_US", "zh"), else None."""
    hint = str((metadata or {}).get("language") or "").strip().lower()
    primary = hint.replace("_", "-").split("-")[0]
    return primary if primary in SUPPORTED_LANGUAGES else None


class ActionSessionStart(Action):
    """Starts a session, keeping slots and taking the channel's language as the default.

    A channel knows the visitor's likely language before they write (the web page's
    `lang`, WeChat's Chinese default) and sends it as `metadata.language`. A language
    carried over from the visitor's earlier messages wins over that hint.
    """

    def name(self) -> str:
        """Returns the action's name."""
        return "action_session_start"

    async def run(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> List[EventType]:
        """Starts the session and sets the language slot."""
        events: List[EventType] = [SessionStarted()]
        carry_over = domain.get("session_config", {}).get(
            "carry_over_slots_to_new_session", True
        )
        if carry_over:
            events.extend(
                SlotSet(name, value)
                for name, value in tracker.slots.items()
                if value is not None and name != "session_started_metadata"
            )
        hinted = language_from_metadata(tracker.get_slot("session_started_metadata"))
        if hinted and not (carry_over and tracker.get_slot("language")):
            events.append(SlotSet("language", hinted))
        events.append(ActionExecuted("action_listen"))
        return events
