"""Tiny DIET classifiers trained with Rasa's own components, for the patches' tests.

A few examples, one epoch: seconds. The trained project model is compared on every
held-out message in tests/e2e/test_nlu_predictions.py.
"""

from __future__ import annotations

from typing import Any, Callable, Dict, Tuple

from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.classifiers.diet_classifier import DIETClassifier
from rasa.nlu.featurizers.sparse_featurizer.count_vectors_featurizer import (
    CountVectorsFeaturizer,
)
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

EXAMPLES = {
    "greet": ["hello there", "hi", "good morning", "hey you"],
    "ask_tuina": ["does tuina hurt", "what is tuina", "tuina for my back"],
    "ask_address": ["where are you", "your address please", "how do i get there"],
}
QUESTIONS = ["hello", "is tuina painful", "where is the clinic", "unknown words here"]


def trained(
    tmp_path, config: Dict[str, Any]
) -> Tuple[DIETClassifier, Callable[[str], Message]]:
    """A DIET trained on EXAMPLES with `config`, and how to featurize a question."""
    storage = LocalModelStorage(tmp_path)
    context = ExecutionContext(GraphSchema({}), "diet")

    def create(component, name, **overrides):
        settings = {**component.get_default_config(), **overrides}
        return component.create(settings, storage, Resource(name), context)

    tokenizer = create(WhitespaceTokenizer, "tokens")
    featurizer = create(CountVectorsFeaturizer, "words")
    data = TrainingData(
        [
            Message({TEXT: text, INTENT: intent})
            for intent, texts in EXAMPLES.items()
            for text in texts
        ]
    )
    tokenizer.process_training_data(data)
    featurizer.train(data)
    featurizer.process_training_data(data)
    settings = {"epochs": 1, "random_seed": 42, "entity_recognition": False}
    diet = create(DIETClassifier, "diet", **{**settings, **config})
    diet.train(data)

    def featurized(text: str) -> Message:
        message = Message({TEXT: text})
        tokenizer.process([message])
        featurizer.process([message])
        return message

    return diet, featurized
