"""Falls back when the ResponseSelector is unsure which FAQ answer fits."""

from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.constants import DEFAULT_NLU_FALLBACK_INTENT_NAME
from rasa.shared.nlu.constants import (
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    PREDICTED_CONFIDENCE_KEY,
)
from rasa.shared.nlu.training_data.message import Message

RESPONSE_SELECTOR = "response_selector"


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False
)
class ResponseSelectorFallback(GraphComponent):
    """Turns a retrieval intent into `nlu_fallback` when its best answer is uncertain.

    The FallbackClassifier only sees the intent's confidence. The `faq` intent has most
    of the training examples, so an off-topic message ("what should I make for dinner")
    can be `faq` with high confidence while no single answer fits it: the selector's
    own confidence is then low, and offering the topics beats a wrong answer.
    """

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        """Returns the component's default config."""
        return {
            # Below this ResponseSelector confidence the message falls back.
            "threshold": 0.2,
        }

    def __init__(self, config: Dict[Text, Any]) -> None:
        """Keeps the configured threshold."""
        self._threshold = float(config["threshold"])

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> ResponseSelectorFallback:
        """Creates the component (it has nothing to train)."""
        return cls({**cls.get_default_config(), **config})

    def process(self, messages: List[Message]) -> List[Message]:
        """Replaces the intent with `nlu_fallback` where the chosen answer is unsure."""
        for message in messages:
            confidence = self._selector_confidence(message)
            if confidence is None or confidence >= self._threshold:
                continue
            fallback = {
                INTENT_NAME_KEY: DEFAULT_NLU_FALLBACK_INTENT_NAME,
                PREDICTED_CONFIDENCE_KEY: self._threshold,
            }
            message.data[INTENT] = fallback
            message.data.setdefault(INTENT_RANKING_KEY, []).insert(0, dict(fallback))
        return messages

    @staticmethod
    def _selector_confidence(message: Message) -> float | None:
        intent = (message.get(INTENT) or {}).get(INTENT_NAME_KEY)
        selected = (message.get(RESPONSE_SELECTOR) or {}).get(intent)
        if not selected:
            return None
        return selected["response"].get(PREDICTED_CONFIDENCE_KEY, 0.0)
