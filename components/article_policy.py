"""Sends a question the articles answer, or are silent on, to their answer.

`ArticleRetriever` (components/article_retriever.py) marks a question's parse result
with `article`: a passage to quote, or "the articles don't say". This policy then
names `action_answer_from_articles` (actions/articles.py), and listens after it.
When the mark says the fixed FAQ answer stays, the FAQ rule answers it, unless the mark
adds a passage on the detail asked (`added`): then the action quotes that passage and
gives the answer after it. Never during a form (its rules decide there). A follow-up
in context ("那针灸呢") and the second of two questions are `FollowUpPolicy`'s
(priority 8), a hand-over's silence `HandoverPolicy`'s (9); above the rules (6), so
that the FAQ rule does not answer a neighbouring question. Like them it needs no rule,
so the classifier's training is unchanged.
"""

from __future__ import annotations

from typing import Any, Dict

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.trackers import DialogueStateTracker

from components.certain_policy import CertainPolicy
from components.follow_up import read_mark

ARTICLE = "article"  # the mark (components/article_retriever.py)
ANSWER_FROM_ARTICLES = "action_answer_from_articles"
ANSWERED = frozenset({"passage", "abstain"})
PRIORITY = 7


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT,
    is_trainable=False,
)
class ArticlePolicy(CertainPolicy):
    """Answers from the articles where the retriever marked the question."""

    priority = PRIORITY

    def next_action(self, tracker: DialogueStateTracker) -> str | None:
        """The articles' answer after the question, then listen."""
        parsed = tracker.latest_message.parse_data if tracker.latest_message else {}
        return next_step(
            read_mark(parsed, ARTICLE),
            tracker.latest_action_name,
            tracker.active_loop_name,
        )


def next_step(
    verdict: Dict[str, Any] | None, latest_action: str | None, active_loop: str | None
) -> str | None:
    """The action after `latest_action`, or None to leave it to the other policies."""
    if active_loop:
        return None
    verdict = verdict or {}
    if latest_action == ANSWER_FROM_ARTICLES:
        return ACTION_LISTEN_NAME
    if latest_action == ACTION_LISTEN_NAME and (
        verdict.get("answer") in ANSWERED or verdict.get("added")
    ):
        return ANSWER_FROM_ARTICLES
    return None
