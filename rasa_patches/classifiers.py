"""DIET's and the ResponseSelector's predictions: Rasa's path, and their inputs.

This project's models predict in NumPy (`sentence_layers`). The first fix below
serves Rasa's path (a model of another shape, `rasa test`'s diagnostic runs); the
sparse features combined once serve both; the figures were measured before NumPy's
path.

`RasaModel._rasa_predict` (DIET and the ResponseSelector, every message) calls its
`tf.function`, which re-checks every input against the function's signature and
looks up the trace on each call: ~40% of the two classifiers' time, ~1.8 ms of CPU
per message here. After Rasa's own first call has traced the graph, the same
compiled graph is called directly with the inputs converted to its dtypes. Inputs
of another count, rank or feature size take Rasa's path (which raises as before);
the outputs are identical (tests/e2e/test_nlu_predictions.py compares them on the
held-out messages).

`Message.get_sparse_features` stacks the two CountVectorsFeaturizers' matrices into
new ones on every call, and DIET and the ResponseSelector each ask for the same
message's (~0.5 ms per message). A message now keeps what it was given, until it
gets more features (training adds them featurizer by featurizer).

`model_data_utils._create_fake_features` (DIET and the ResponseSelector, every
message: their model data is built as in training) deep-copies a message's features,
sparse matrices over the whole vocabulary included, to replace each matrix with an
empty one (~0.3 ms per message). The empty features are now made without copying the
matrix; everything else is deep-copied as before.

`Features._combine_sparse_features` joins the two CountVectorsFeaturizers' matrices
with `scipy.sparse.hstack`, whose general `bmat` path costs ~0.2 ms per message for
two small COO matrices. Two COO matrices are now joined as `bmat` joins them (the
same dtype, index dtype and order of entries); anything else goes to Rasa's.
"""

from __future__ import annotations

import copy
from typing import Any, Dict, List, Text

import numpy as np
import scipy.sparse
import tensorflow as tf
from keras.utils import tf_utils
from rasa.shared.constants import DIAGNOSTIC_DATA
from rasa.shared.nlu.training_data.features import Features
from rasa.shared.nlu.training_data.message import Message
from rasa.utils.tensorflow import model_data_utils
from rasa.utils.tensorflow.models import RasaModel
from scipy.sparse._sputils import get_index_dtype, upcast

_RASA_PREDICT = RasaModel._rasa_predict
# Where a model keeps its traced graph and its inputs' (dtype, rank, last dimension).
_GRAPH = "_clinic_predict_graph"


def rasa_predict_direct(self: RasaModel, batch_in: tuple) -> Dict[Text, Any]:
    """Rasa's prediction, calling the traced graph without tf.function's checks."""
    graph = getattr(self, _GRAPH, None)
    inputs = tf.nest.flatten(batch_in)
    if graph is None or self._run_eagerly or not _fits(graph[1], inputs):
        outputs = _RASA_PREDICT(self, batch_in)
        if graph is None and self._tf_predict_step is not None:
            concrete = self._tf_predict_step.get_concrete_function()
            specs = tf.nest.flatten(concrete.structured_input_signature)
            setattr(self, _GRAPH, (concrete, [_spec_key(spec) for spec in specs]))
        return outputs
    if self._training is not False:  # Keras' __setattr__ is slow: set only on change
        self._training = False
    concrete, keys = graph
    tensors = [
        tf.constant(value, dtype=dtype)
        for value, (dtype, _, _) in zip(inputs, keys, strict=True)
    ]
    outputs = tf_utils.sync_to_numpy_or_python_type(
        concrete._call_flat(tensors, concrete.captured_inputs)
    )
    if DIAGNOSTIC_DATA in outputs:
        outputs[DIAGNOSTIC_DATA] = self._empty_lists_to_none_in_dict(
            outputs[DIAGNOSTIC_DATA]
        )
    return outputs


def _spec_key(spec: tf.TensorSpec) -> tuple:
    return spec.dtype, spec.shape.rank, spec.shape[-1] if spec.shape.rank else None


def _fits(keys: list, inputs: list) -> bool:
    """The inputs match the traced signature: count, rank and last dimension."""
    if len(keys) != len(inputs):
        return False
    for (_, rank, last), value in zip(keys, inputs, strict=True):
        shape = value.shape
        if len(shape) != rank or (last is not None and shape[-1] != last):
            return False
    return True


_GET_SPARSE_FEATURES = Message.get_sparse_features
# Where a message keeps its combined sparse features.
_SPARSE = "_clinic_sparse_features"


def get_sparse_features_once(
    self: Message, attribute: Text, featurizers: list | None = None
) -> tuple:
    """Rasa's combined sparse features of the message, combined once."""
    key = (attribute, tuple(featurizers or ()), len(self.features))
    kept = self.__dict__.setdefault(_SPARSE, {})
    if key not in kept:
        kept[key] = _GET_SPARSE_FEATURES(self, attribute, featurizers)
    return kept[key]


_CREATE_FAKE_FEATURES = model_data_utils._create_fake_features


def fake_features_without_copies(all_features: list) -> List[Features]:
    """Rasa's empty features like the first example's, its matrices not copied."""
    example = next(
        features
        for per_example in all_features
        for features in per_example
        if features is not None
    )
    fake = []
    for features in example:
        matrix = features.features
        empty = Features.__new__(Features)
        empty.__dict__.update(
            {k: copy.deepcopy(v) for k, v in vars(features).items() if k != "features"}
        )
        if features.is_dense():
            empty.features = np.zeros((0, matrix.shape[-1]), matrix.dtype)
        else:
            empty.features = scipy.sparse.coo_matrix(
                (0, matrix.shape[-1]), matrix.dtype
            )
        fake.append(empty)
    return fake


_COMBINE_SPARSE = Features._combine_sparse_features


def combine_coo_directly(self: Features, additional: Features) -> None:
    """Rasa's `hstack` of two COO matrices, as scipy's `bmat` builds it."""
    left, right = self.features, additional.features
    if not (
        type(left) is scipy.sparse.coo_matrix
        and type(right) is scipy.sparse.coo_matrix
        and left.shape[0] == right.shape[0]
    ):
        _COMBINE_SPARSE(self, additional)
        return
    shape = (left.shape[0], left.shape[1] + right.shape[1])
    index = get_index_dtype(maxval=max(shape))
    data = np.concatenate([left.data, right.data]).astype(
        upcast(left.dtype, right.dtype), copy=False
    )
    row = np.concatenate([left.row, right.row]).astype(index, copy=False)
    col = np.concatenate([left.col, right.col + left.shape[1]]).astype(
        index, copy=False
    )
    self.features = scipy.sparse.coo_matrix((data, (row, col)), shape=shape)
    self._cached_fingerprint = None


RasaModel._rasa_predict = rasa_predict_direct  # type: ignore[method-assign]
Message.get_sparse_features = get_sparse_features_once  # type: ignore[method-assign]
model_data_utils._create_fake_features = fake_features_without_copies
Features._combine_sparse_features = combine_coo_directly  # type: ignore[method-assign]
