"""DIET's and the ResponseSelector's prediction as two small products in NumPy.

For every message both classifiers build Rasa's model data (padded batches of one,
as in training: ~0.5 ms) and run their TensorFlow graph (~0.6 ms, most of it the
cost of calling TensorFlow at all): ~2.3 ms of CPU per message, a quarter of a FAQ
turn. With this project's settings the graph computes little. Without transformer
layers and without hidden layers, what `DIET.batch_predict` classifies (the model of
DIET and of a ResponseSelector whose labels are not texts, `DIET2BOW`) is the
message's sentence features (the position after the last token) through one dense
layer, `sparse_to_dense`, then `embed.text`; its inner products with the labels'
embeddings (computed once by Rasa) go through a softmax. Here the same arithmetic
runs in NumPy on the sentence row's few non-zero entries.

A model of another shape (a transformer, hidden layers, dense features, cosine
similarity, another confidence, several sparse inputs, entities, `DIET2DIET`'s
labels as texts) and a run that asks for diagnostic data (`rasa test`) take
Rasa's path, checked once per model. The confidences agree with Rasa's to float32
rounding and the labels are the same (tests/e2e/test_nlu_predictions.py compares
both paths on every held-out message).
"""

from __future__ import annotations

from typing import Any, Dict, Text

import numpy as np
from rasa.nlu.classifiers.diet_classifier import DIET, DIETClassifier
from rasa.nlu.selectors.response_selector import DIET2BOW
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.utils.tensorflow.constants import (
    ENTITY_RECOGNITION,
    FEATURIZERS,
    INNER,
    INTENT_CLASSIFICATION,
    MODEL_CONFIDENCE,
    SENTENCE,
    SEQUENCE,
    SIMILARITY_TYPE,
    SOFTMAX,
)

_PREDICT = DIETClassifier._predict
# Where a classifier keeps its NumPy weights, or False when its model needs Rasa's path.
_WEIGHTS = "_clinic_numpy_weights"


class _Weights:
    """The arrays one classifier's prediction needs, copied from its layers."""

    def __init__(self, model: DIET, to_dense: Any) -> None:
        embed = model._tf_layers[f"embed.{TEXT}"]._dense
        self.sparse_kernel = to_dense.kernel.numpy()
        self.sparse_bias = to_dense.bias.numpy() if to_dense.use_bias else None
        self.embed_kernel = embed.kernel.numpy()
        self.embed_bias = embed.bias.numpy() if embed.use_bias else None
        labels = model.all_labels_embed
        if labels is None or not hasattr(labels, "numpy"):
            _, labels = model._create_all_labels()
        self.labels = np.asarray(labels.numpy(), dtype=np.float32)

    def scores(self, row: Any) -> np.ndarray:
        """Rasa's `i_scores` for one row (a 1 x vocabulary sparse matrix)."""
        row = row.tocoo()
        hidden = row.data.astype(np.float32) @ self.sparse_kernel[row.col]
        if self.sparse_bias is not None:
            hidden = hidden + self.sparse_bias
        embedded = hidden @ self.embed_kernel
        if self.embed_bias is not None:
            embedded = embedded + self.embed_bias
        similarities = self.labels @ embedded
        exp = np.exp(similarities - similarities.max())
        return (exp / exp.sum()).astype(np.float32)[np.newaxis, :]


def _weights_for(classifier: DIETClassifier) -> _Weights | None:
    """The classifier's NumPy weights, or None when its model is not of this shape."""
    kept = getattr(classifier, _WEIGHTS, None)
    if kept is None:
        kept = _read_weights(classifier) or False
        setattr(classifier, _WEIGHTS, kept)
    return kept or None


def feature_combining(model: Any) -> Any:
    """The text's feature-combining layer where only the sentence's position is read.

    None otherwise. So it is for DIET and `DIET2BOW` classifying intents without
    entities, without a transformer and without layers that unify the tokens' and the
    sentence's features: the tokens' features then reach no prediction
    (`unused_weights` uses this too).
    """
    if type(model) not in (DIET, DIET2BOW):
        return None
    config = model.config
    if not config.get(INTENT_CLASSIFICATION, True) or config.get(ENTITY_RECOGNITION):
        return None
    sequence_layer = model._tf_layers.get(f"sequence_layer.{TEXT}")
    if sequence_layer is None or sequence_layer._has_transformer:
        return None
    combining = sequence_layer._tf_layers["feature_combining"]
    if any(name.startswith("unify_dims") for name in combining._tf_layers):
        return None
    return combining


def _read_weights(classifier: DIETClassifier) -> _Weights | None:
    model = classifier.model
    combining = feature_combining(model)
    if combining is None:
        return None
    config = model.config
    if config[SIMILARITY_TYPE] != INNER or config[MODEL_CONFIDENCE] != SOFTMAX:
        return None
    if model._tf_layers[f"sequence_layer.{TEXT}"]._tf_layers["ffnn"]._ffn_layers:
        return None
    for kind in (SEQUENCE, SENTENCE):
        signature = model.data_signature[TEXT].get(kind, [])
        # One sparse input per kind (Rasa joins the featurizers' matrices into one).
        if len(signature) != 1 or not signature[0].is_sparse:
            return None
    to_dense = combining._tf_layers[f"sparse_dense.{SENTENCE}"]._tf_layers.get(
        "sparse_to_dense"
    )
    embed = model._tf_layers.get(f"embed.{TEXT}")
    if to_dense is None or to_dense.activation.__name__ != "linear":
        return None
    if embed is None or embed._dense.activation.__name__ != "linear":
        return None
    return _Weights(model, to_dense)


def predict_in_numpy(self: DIETClassifier, message: Message) -> Dict[Text, Any] | None:
    """Rasa's prediction for one message, in NumPy where the model allows it."""
    if self.model is None or self._execution_context.should_add_diagnostic_data:
        return _PREDICT(self, message)
    weights = _weights_for(self)
    if weights is None:
        return _PREDICT(self, message)
    featurizers = self.component_config[FEATURIZERS]
    sequence, sentence = message.get_sparse_features(TEXT, featurizers)
    dense_sequence, dense_sentence = message.get_dense_features(TEXT, featurizers)
    if sequence is None or sentence is None or dense_sequence or dense_sentence:
        return _PREDICT(self, message)
    row = sentence.features
    if row.shape != (1, weights.sparse_kernel.shape[0]):
        return _PREDICT(self, message)
    return {"i_scores": weights.scores(row)}


DIETClassifier._predict = predict_in_numpy  # type: ignore[method-assign]
