"""DIET's token-level input layer is left untrained only where no loss reaches it.

Two tiny DIETs (tests/rasa_patches/tiny_diet.py, three epochs) trained the same way,
one with Rasa's layers as they were: every weight ends equal, since the token layer's
updates were zeros. The full model is compared on every held-out message in
tests/e2e/test_nlu_predictions.py, whose model is trained with the patch.
"""

from __future__ import annotations

import numpy as np
from rasa.nlu.classifiers.diet_classifier import DIET

from rasa_patches import unused_weights
from tests.rasa_patches.tiny_diet import trained


def _weights(diet) -> dict:
    return {variable.name: variable.numpy() for variable in diet.model.weights}


def test_the_token_layer_is_not_trained_and_nothing_else_changes(tmp_path, monkeypatch):
    config = {"number_of_transformer_layers": 0, "epochs": 3}
    (tmp_path / "patched").mkdir()
    (tmp_path / "rasa").mkdir()
    patched, _ = trained(tmp_path / "patched", config)
    token_layer = unused_weights.token_layer_of(patched.model)
    assert token_layer is not None and not token_layer.trainable
    trainable = {id(v) for v in patched.model.trainable_variables}
    assert token_layer.weights and all(
        id(v) not in trainable for v in token_layer.weights
    )

    monkeypatch.setattr(DIET, "_prepare_layers", unused_weights._PREPARE_LAYERS)
    rasas, _ = trained(tmp_path / "rasa", config)
    assert unused_weights.token_layer_of(rasas.model).trainable

    ours, theirs = _weights(patched), _weights(rasas)
    assert ours.keys() == theirs.keys()
    for name, value in theirs.items():
        np.testing.assert_array_equal(ours[name], value, err_msg=name)


def test_a_transformer_reads_the_tokens_and_they_are_trained(tmp_path):
    config = {"number_of_transformer_layers": 1, "transformer_size": 8}
    diet, _ = trained(tmp_path, config)
    assert unused_weights.token_layer_of(diet.model) is None
    trainable = {id(v) for v in diet.model.trainable_variables}
    combining = diet.model._tf_layers["sequence_layer.text"]._tf_layers[
        "feature_combining"
    ]
    tokens = combining._tf_layers["sparse_dense.sequence"]
    assert tokens.trainable and all(id(v) in trainable for v in tokens.weights)
