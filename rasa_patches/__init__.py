"""Fixes to Rasa 3.6 itself, one module per thing patched, applied on import.

Every process that loads the model (`rasa run`, `rasa shell`, `rasa test`) imports the
`components` package for its NLU components, and that imports this one, so the fixes are
in place before the first turn. None changes what is learnt or predicted
(tests/e2e/test_nlu_predictions.py compares the trained model with and without them):

- `action_server`: the action server's response schema is checked once, not on every
  call (~25 ms per booking-form turn); a refused connection is tried again for 5 s.
- `events`: an event class is looked up once by its type name.
- `classifiers`: DIET's and the ResponseSelector's traced graphs are called directly;
  a message's sparse features are combined once.
- `graph_runner`: the model's graphs run their nodes in dependency order without dask.
- `dialogue_states`: a tracker's dialogue states are built once per event.
- `response_selector`: a predicted answer's `faq/<key>` is looked up, not searched.
- `rule_policy`: each rule is read once, and matched only as far back as it goes.
- `sentence_layers`: DIET's and the ResponseSelector's prediction in NumPy (two
  small products) where their layers allow it.
- `unused_weights`: DIET's token-level input layer, which no loss reaches without a
  transformer, is not trained (its gradients were zeros; training ~30% shorter).
"""

from rasa_patches import (
    action_server,
    classifiers,
    dialogue_states,
    events,
    graph_runner,
    response_selector,
    rule_policy,
    sentence_layers,
    unused_weights,
)

__all__ = [
    "action_server",
    "classifiers",
    "dialogue_states",
    "events",
    "graph_runner",
    "response_selector",
    "rule_policy",
    "sentence_layers",
    "unused_weights",
]
