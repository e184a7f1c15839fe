"""DIET's prediction in NumPy equals Rasa's, and only models it fits take it.

Tiny DIET classifiers are trained here on a few examples (one epoch, seconds): one
shaped like this project's (no transformer, no hidden layers), one with a
transformer layer. The trained project model is compared on every held-out message
in tests/e2e/test_nlu_predictions.py.
"""

from __future__ import annotations

from typing import Any, Dict, List

import numpy as np
import pytest
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

from rasa_patches import sentence_layers

EXAMPLES = {
    "greet": ["hello there", "hi", "good morning", "hey you"],
    "ask_tuina": ["does tuina hurt", "what is tuina", "tuina for my back"],
    "ask_address": ["where are you", "your address please", "how do i get there"],
}
QUESTIONS = ["hello", "is tuina painful", "where is the clinic", "unknown words here"]


def _trained(tmp_path, config: Dict[str, Any]):
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
    diet = create(
        DIETClassifier,
        "diet",
        epochs=1,
        random_seed=42,
        entity_recognition=False,
        **config,
    )
    diet.train(data)

    def featurized(text: str) -> Message:
        message = Message({TEXT: text})
        tokenizer.process([message])
        featurizer.process([message])
        return message

    return diet, featurized


def _rankings(diet: DIETClassifier, messages: List[Message]) -> List[Any]:
    for message in messages:
        diet.process([message])
    return [
        [
            (label["name"], label["confidence"])
            for label in message.get("intent_ranking")
        ]
        for message in messages
    ]


def test_a_model_without_transformer_predicts_in_numpy_as_rasa(tmp_path, monkeypatch):
    diet, featurized = _trained(tmp_path, {"number_of_transformer_layers": 0})
    ours = _rankings(diet, [featurized(q) for q in QUESTIONS])
    assert isinstance(sentence_layers._weights_for(diet), sentence_layers._Weights)

    monkeypatch.setattr(DIETClassifier, "_predict", sentence_layers._PREDICT)
    rasas = _rankings(diet, [featurized(q) for q in QUESTIONS])
    for mine, theirs in zip(ours, rasas, strict=True):
        assert [name for name, _ in mine] == [name for name, _ in theirs]
        np.testing.assert_allclose(
            [c for _, c in mine], [c for _, c in theirs], atol=1e-6
        )


@pytest.mark.parametrize(
    "config",
    [
        {"number_of_transformer_layers": 1, "transformer_size": 8},
        {
            "number_of_transformer_layers": 0,
            "hidden_layers_sizes": {TEXT: [8], "label": []},
        },
    ],
    ids=["transformer", "hidden layer"],
)
def test_a_model_of_another_shape_takes_rasas_path(tmp_path, monkeypatch, config):
    diet, featurized = _trained(tmp_path, config)
    rasa_calls = []
    original = sentence_layers._PREDICT
    monkeypatch.setattr(
        sentence_layers,
        "_PREDICT",
        lambda self, message: rasa_calls.append(1) or original(self, message),
    )
    rankings = _rankings(diet, [featurized(q) for q in QUESTIONS])
    assert sentence_layers._weights_for(diet) is None
    assert len(rasa_calls) == len(QUESTIONS)
    assert all(len(ranking) == len(EXAMPLES) for ranking in rankings)
