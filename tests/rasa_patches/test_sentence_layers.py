"""DIET's prediction in NumPy equals Rasa's, and only models it fits take it.

Tiny DIETs (tests/rasa_patches/tiny_diet.py): one shaped like this project's (no
transformer, no hidden layers), one with a transformer layer, one with a hidden layer.
"""

from __future__ import annotations

from typing import Any, List

import numpy as np
import pytest
from rasa.nlu.classifiers.diet_classifier import DIETClassifier
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from rasa_patches import sentence_layers
from tests.rasa_patches.tiny_diet import EXAMPLES, QUESTIONS, trained
from tests.spies import calls_to


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
    diet, featurized = trained(tmp_path, {"number_of_transformer_layers": 0})
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
    diet, featurized = trained(tmp_path, config)
    rasa_calls = calls_to(monkeypatch, sentence_layers, "_PREDICT")
    rankings = _rankings(diet, [featurized(q) for q in QUESTIONS])
    assert sentence_layers._weights_for(diet) is None
    assert len(rasa_calls) == len(QUESTIONS)
    assert all(len(ranking) == len(EXAMPLES) for ranking in rankings)
