"""Answers that need the conversation: a follow-up, and the second of two questions.

Rules see the latest intent, not what the previous answer was about, so "那针灸呢"
after "推拿疼吗" would get the acupuncture overview. When `FollowUpDetector` marked a
message as a follow-up (`follow_up` in its parse result) and an earlier message of
the conversation got a FAQ answer, this policy hands it to `action_answer_follow_up`
(actions/follow_up.py), which answers about the conversation's topic. When the
classifier found two questions in one message (`more_questions`, from
components/sentence_encoder.py), the first is answered by the ordinary FAQ rule and
this policy adds `action_answer_second_question` after it. Never during a form (its
rules decide there) and never for an emergency, a hand-over or a booking. Like
`DataRequestPolicy`, it needs no rule, so the classifier's training is unchanged.
"""

from __future__ import annotations

from typing import Any, Iterable

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.events import UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from components.certain_policy import CertainPolicy
from components.follow_up import FOLLOW_UP, read_mark
from components.sentence_encoder import MORE_QUESTIONS

FOLLOW_UP_ANSWER = "action_answer_follow_up"
SECOND_ANSWER = "action_answer_second_question"
FAQ_ANSWER = "utter_faq"
# What a follow-up may have been taken for on its own: a question, a bare word
# (outside a form), or nothing clear.
ANSWERED_INTENTS = frozenset({"faq", "nlu_fallback", "out_of_scope", "inform"})
# Above RulePolicy (6) and DataRequestPolicy (7): where this policy is sure, it decides.
PRIORITY = 8


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT,
    is_trainable=False,
)
class FollowUpPolicy(CertainPolicy):
    """Sends follow-ups to the topic's answer and adds a second question's answer."""

    priority = PRIORITY

    def next_action(self, tracker: DialogueStateTracker) -> str | None:
        """The next step of a follow-up or a second question."""
        parsed = tracker.latest_message.parse_data if tracker.latest_message else {}
        return next_step(
            (parsed.get("intent") or {}).get("name"),
            {key for key in (FOLLOW_UP, MORE_QUESTIONS) if read_mark(parsed, key)},
            tracker.latest_action_name,
            tracker.active_loop_name,
            lambda: answered_before(tracker.events),
        )


def next_step(
    intent: str | None,
    marks: Iterable[str],
    latest_action: str | None,
    active_loop: str | None,
    has_context: Any,
) -> str | None:
    """The action after `latest_action`, or None to leave it to the rules.

    `marks`: which of the parse result's `follow_up` and `more_questions` the
    message has; `has_context()`: whether an earlier message got a FAQ answer.
    """
    if active_loop or intent not in ANSWERED_INTENTS:
        return None
    marks = set(marks)
    if latest_action == ACTION_LISTEN_NAME:
        if FOLLOW_UP in marks and has_context():
            return FOLLOW_UP_ANSWER
        return None
    if latest_action == FAQ_ANSWER and MORE_QUESTIONS in marks:
        return SECOND_ANSWER
    if latest_action in (FOLLOW_UP_ANSWER, SECOND_ANSWER):
        return ACTION_LISTEN_NAME
    return None


def answered_before(events: Iterable[Any]) -> bool:
    """Whether a message before the latest one got a FAQ answer."""
    user_messages = [e for e in events if isinstance(e, UserUttered)]
    return any((e.intent or {}).get("name") == "faq" for e in user_messages[:-1])
