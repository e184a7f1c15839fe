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
as before (tests/rasa_patches/test_unused_weights.py compares two trainings). A
model trained before this patch loads with TensorFlow's warning that some of its
optimizer's values are not restored (the frozen layer's Adam slots): only training used
them, and it predicts the same.
"""

from __future__ import annotations

from rasa.nlu.classifiers.diet_classifier import DIET
from rasa.utils.tensorflow.constants import MASKED_LM, SEQUENCE, SHARE_HIDDEN_LAYERS

from rasa_patches.sentence_layers import feature_combining

_PREPARE_LAYERS = DIET._prepare_layers


def token_layer_of(model: DIET):
    """The text's token-level `sparse_dense` layer if no loss reaches it, else None.

    No prediction reads it (`sentence_layers.feature_combining`), masked language
    modelling does not train on it, and the labels do not share it.
    """
    config = model.config
    if config.get(MASKED_LM) or config.get(SHARE_HIDDEN_LAYERS):
        return None
    combining = feature_combining(model)
    if combining is None:
        return None
    return combining._tf_layers.get(f"sparse_dense.{SEQUENCE}")


def prepare_layers_untrained_tokens(self: DIET) -> None:
    """Rasa's layers, the tokens' input layer left untrained where nothing reads it."""
    _PREPARE_LAYERS(self)
    layer = token_layer_of(self)
    if layer is not None:
        layer.trainable = False


DIET._prepare_layers = prepare_layers_untrained_tokens  # type: ignore[method-assign]
