"""Rules after the classifiers that set an intent the words make plain.

A bag of words misses some things a rule sees at once: negation ("i no longer want an
appointment" is `cancel`, components/cancel_detector.py) and open vocabulary ("my name
is Sam Green" is `inform`, components/introduction_detector.py). Each rule names the
intent it sets, the intents it may replace, and when it applies.
"""

from __future__ import annotations

from typing import Any, ClassVar, Dict, FrozenSet, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.constants import DEFAULT_NLU_FALLBACK_INTENT_NAME
from rasa.shared.nlu.constants import (
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message


def override_intent(message: Message, intent: str) -> None:
    """Makes `intent` the message's intent (confidence 1, first in the ranking)."""
    chosen = {INTENT_NAME_KEY: intent, PREDICTED_CONFIDENCE_KEY: 1.0}
    message.data[INTENT] = chosen
    ranking = message.get(INTENT_RANKING_KEY) or []
    message.data[INTENT_RANKING_KEY] = [
        dict(chosen),
        *(r for r in ranking if r.get(INTENT_NAME_KEY) != intent),
    ]


# config.yml's FallbackClassifier threshold: below it the classifier's intent is
# `nlu_fallback`'s to answer.
FALLBACK_BELOW = 0.5


def withdraw_intent(message: Message, intent: str) -> None:
    """Gives the message the next intent of its ranking in place of `intent`.

    A FAQ stands however unsure (its answer is checked after: the selectors and
    components/article_retriever.py); another intent the classifier was as unsure of
    as the fallback threshold does not: "有没有储值卡 想送给我妈", an emergency
    withdrawn, is not a hand-over at 0.01 but `nlu_fallback`'s.
    """
    ranking = [
        r
        for r in message.get(INTENT_RANKING_KEY) or []
        if r.get(INTENT_NAME_KEY) != intent
    ]
    message.data[INTENT_RANKING_KEY] = ranking
    message.data[INTENT] = (
        dict(ranking[0])
        if ranking
        else {INTENT_NAME_KEY: None, PREDICTED_CONFIDENCE_KEY: 0.0}
    )
    next_intent = message.data[INTENT]
    if (
        ranking
        and next_intent[INTENT_NAME_KEY] != "faq"
        and next_intent.get(PREDICTED_CONFIDENCE_KEY, 0.0) < FALLBACK_BELOW
    ):
        override_intent(message, DEFAULT_NLU_FALLBACK_INTENT_NAME)


class IntentRule(GraphComponent):
    """Sets `intent` where the rule `applies` and the classifier said `overridden`."""

    intent: ClassVar[str]
    overridden: ClassVar[FrozenSet[str]]

    @classmethod
    def replaces(cls, predicted: str | None) -> bool:
        """Whether the rule may replace the classifier's `predicted` intent."""
        return predicted in cls.overridden

    @staticmethod
    def applies(text: str) -> bool:
        """Whether the rule recognises `text`."""
        raise NotImplementedError

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> IntentRule:
        """Creates the component (it has no configuration and nothing to train)."""
        return cls()

    def process(self, messages: List[Message]) -> List[Message]:
        """Replaces the intent of the messages the rule recognises."""
        for message in messages:
            predicted = (message.get(INTENT) or {}).get(INTENT_NAME_KEY)
            if self.replaces(predicted) and self.applies(message.get(TEXT) or ""):
                override_intent(message, self.intent)
        return messages
