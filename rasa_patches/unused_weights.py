"""DIET's token-level input layer is not trained where no loss reaches it.

Without transformer layers, entity recognition or masked language modelling, what
DIET (and a ResponseSelector's `DIET2BOW`) classifies is the sentence features'
position alone (`sentence_layers` says why); the tokens' features go through their
own `sparse_to_dense` layer (a 16,965 x 128 kernel here) into positions no loss reads.
Every training step still computed that kernel's gradients twice (prediction and
regularisation), and Adam updated it with them: zeros, since `RasaModel.train_step`
adds the regularisation gradient only where the prediction's is positive, so the
kernel never left its initial values. That was ~30% of each step.

Here that layer is made non-trainable when the model is built: its weights are
created, initialised and saved as before (their initial values, as Rasa left them),
and every other weight gets the same updates, so the trained model predicts exactly
as before (tests/rasa_patches/test_unused_weights.py compares two trainings).
"""

from __future__ import annotations

from rasa.nlu.classifiers.diet_classifier import DIET
from rasa.nlu.selectors.response_selector import DIET2BOW
from rasa.shared.nlu.constants import TEXT
from rasa.utils.tensorflow.constants import (
    ENTITY_RECOGNITION,
    INTENT_CLASSIFICATION,
    MASKED_LM,
    SEQUENCE,
    SHARE_HIDDEN_LAYERS,
)

_PREPARE_LAYERS = DIET._prepare_layers


def token_layer_of(model: DIET):
    """The text's token-level `sparse_dense` layer if no loss reaches it, else None."""
    config = model.config
    # DIET2DIET classifies the last token; shared layers read the labels' tokens.
    if type(model) not in (DIET, DIET2BOW) or config.get(SHARE_HIDDEN_LAYERS):
        return None
    if (
        config.get(ENTITY_RECOGNITION)
        or config.get(MASKED_LM)
        or not config.get(INTENT_CLASSIFICATION, True)
    ):
        return None
    sequence_layer = model._tf_layers.get(f"sequence_layer.{TEXT}")
    if sequence_layer is None or sequence_layer._has_transformer:
        return None
    combining = sequence_layer._tf_layers["feature_combining"]
    # Unifying layers would mix the two kinds of features: leave such a model alone.
    if any(name.startswith("unify_dims") for name in combining._tf_layers):
        return None
    return combining._tf_layers.get(f"sparse_dense.{SEQUENCE}")


def prepare_layers_untrained_tokens(self: DIET) -> None:
    """Rasa's layers, the tokens' input layer left untrained where nothing reads it."""
    _PREPARE_LAYERS(self)
    layer = token_layer_of(self)
    if layer is not None:
        layer.trainable = False


DIET._prepare_layers = prepare_layers_untrained_tokens  # type: ignore[method-assign]
