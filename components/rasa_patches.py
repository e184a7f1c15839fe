"""Fixes to Rasa 3.6 itself, applied when the model's components are imported.

Every process that loads the model (`rasa run`, `rasa shell`, `rasa test`) imports this
package for its NLU components, so the fixes below are in place before the first turn.

- `RemoteAction._validate_action_result` checks each action server response with
  `jsonschema.validate`, which first validates the (constant) response schema itself
  against the JSON Schema meta-schema: ~25 ms per custom action call on this machine,
  most of a booking-form turn (measured with cProfile: 14.1 s of 14.2 s spent in
  `check_schema`). Here the schema is checked once and its validator reused; responses
  are validated exactly as before (same schema, same best-match error and message).
- `EndpointConfig.request` (the action server's calls) fails at once when the
  connection is refused: a restarting action server (about a second) made Rasa drop
  the form's validation and the visitor got no answer at all (`make loadtest`). Here a
  refused connection is tried again for up to `REFUSED_RETRY_SECONDS`; nothing else is
  retried, since only a refused connection guarantees the server saw nothing.
- `Event.resolve_by_type` walks every subclass of `Event` (and `inspect.isabstract` on
  each) to find the class of one stored event: reading a tracker of 50 events cost
  ~1.5 ms of a ~20 ms turn (py-spy on a loaded server, `make loadtest`). Here a class
  found once is remembered by its type name; names not found yet (unknown, or the
  `topic` and default cases) still go through Rasa's own lookup every time.
- `RasaModel._rasa_predict` (DIET and the ResponseSelector, every message) calls its
  `tf.function`, which re-checks every input against the function's signature and
  looks up the trace on each call: ~40% of the two classifiers' time, ~1.8 ms of CPU
  per message here. After Rasa's own first call has traced the graph, the same
  compiled graph is called directly with the inputs converted to its dtypes. Inputs
  of another count, rank or feature size take Rasa's path (which raises as before);
  the outputs are identical (tests/e2e/test_nlu_predictions.py compares them on the
  held-out messages).
- `Message.get_sparse_features` stacks the two CountVectorsFeaturizers' matrices into
  new ones on every call, and DIET and the ResponseSelector each ask for the same
  message's (~0.5 ms per message). A message now keeps what it was given, until it
  gets more features (training adds them featurizer by featurizer).
- `DaskGraphRunner.run` (twice per message: the NLU pipeline, then the policies for
  each action) hands the graph to dask's local scheduler, whose queues, ordering and
  bookkeeping took ~12% of a turn's CPU for graphs of 5 and 13 nodes run on one thread
  anyway. A graph without hooks (the loaded model's; training graphs have hooks and
  keep dask) now runs its nodes in one dependency order worked out once per set of
  targets, with the same arguments dask gives them (a node's output as
  `(name, value)`, a name that is not in the graph as itself) and the same result.
- `DialogueStateTracker.past_states` replays the whole conversation to build the
  dialogue states, and RulePolicy asks for the same states twice after each message
  (once to match rules on the text, once on the intent): ~3% of a turn. A tracker now
  keeps the states it built until its events change (another event appended), and
  hands out copies: the policies edit the last state in place.
"""

from __future__ import annotations

import asyncio
from typing import Any, Dict, Text, Type

import aiohttp
import tensorflow as tf
from jsonschema import ValidationError
from jsonschema.exceptions import best_match
from jsonschema.validators import validator_for
from keras.utils import tf_utils
from rasa.core.actions.action import RemoteAction
from rasa.engine.exceptions import GraphRunError
from rasa.engine.runner.dask import DaskGraphRunner
from rasa.shared.constants import DIAGNOSTIC_DATA, DOCS_BASE_URL
from rasa.shared.core.events import Event
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.training_data.message import Message
from rasa.utils.endpoints import EndpointConfig
from rasa.utils.tensorflow.models import RasaModel

REFUSED_RETRY_SECONDS = 5.0
REFUSED_PAUSE_SECONDS = 0.25

_SCHEMA = RemoteAction.action_response_format_spec()
_VALIDATOR_CLASS = validator_for(_SCHEMA)
_VALIDATOR_CLASS.check_schema(_SCHEMA)
_VALIDATOR = _VALIDATOR_CLASS(_SCHEMA)


def validate_action_result(self: RemoteAction, result: Dict[Text, Any]) -> bool:
    """Rasa's check of an action server response, with the schema checked only once."""
    error = best_match(_VALIDATOR.iter_errors(result))
    if error is None:
        return True
    error.message += (
        f". Failed to validate Action server response from API, "
        f"make sure your response from the Action endpoint is valid. "
        f"For more information about the format visit "
        f"{DOCS_BASE_URL}/custom-actions"
    )
    raise error


def _refused(error: aiohttp.ClientConnectorError) -> bool:
    return isinstance(getattr(error, "os_error", None), ConnectionRefusedError)


_REQUEST = EndpointConfig.request


async def request_retrying_refused(
    self: EndpointConfig, *args: Any, **kwargs: Any
) -> Any:
    """Rasa's endpoint request, sent again while the server refuses connections."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + REFUSED_RETRY_SECONDS
    while True:
        try:
            return await _REQUEST(self, *args, **kwargs)
        except aiohttp.ClientConnectorError as error:
            if not _refused(error) or loop.time() >= deadline:
                raise
        await asyncio.sleep(REFUSED_PAUSE_SECONDS)


_RESOLVE_BY_TYPE = Event.resolve_by_type
_EVENT_TYPES: Dict[Text, Type[Event]] = {}


def resolve_event_type(
    type_name: Text, default: Type[Event] | None = None
) -> Type[Event] | None:
    """Rasa's lookup of an event class by its type name, remembered once found."""
    found = _EVENT_TYPES.get(type_name)
    if found is not None:
        return found
    resolved = _RESOLVE_BY_TYPE(type_name, default)
    if resolved is not None and resolved.type_name == type_name:
        _EVENT_TYPES[type_name] = resolved
    return resolved


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


_DASK_RUN = DaskGraphRunner.run
# Where a runner keeps its node orders by targets (None: it has hooks, dask runs it).
_ORDERS = "_clinic_node_orders"


def run_graph_in_order(
    self: DaskGraphRunner,
    inputs: Dict[Text, Any] | None = None,
    targets: list | None = None,
) -> Dict[Text, Any]:
    """Rasa's graph run, each node called in dependency order without dask."""
    if _ORDERS not in self.__dict__:  # first run: the nodes' hooks never change
        hooked = any(node._hooks for node in self._instantiated_nodes.values())
        self.__dict__[_ORDERS] = None if hooked else {}
    orders = self.__dict__[_ORDERS]
    if orders is None:
        return _DASK_RUN(self, inputs, targets)
    run_targets = list(targets if targets else self._graph_schema.target_names)
    key = tuple(run_targets)
    if key not in orders:
        orders[key] = _dependency_order(self._graph_schema, run_targets)
    results: Dict[Text, Any] = {}
    for name, value in (inputs or {}).items():
        if isinstance(value, str) and value in self._graph_schema.nodes:
            return _DASK_RUN(self, inputs, targets)  # dask's "clashes" error
        results[name] = (name, value)
    for name in orders[key]:
        if name in results:
            continue  # an input given for a node: dask would use it too
        needs = self._graph_schema.nodes[name].needs.values()
        results[name] = self._instantiated_nodes[name](
            *(results.get(need, need) for need in needs)
        )
    try:
        return dict(results[target] for target in run_targets)
    except KeyError as error:
        raise GraphRunError("Error running runner.") from error


def _dependency_order(schema: Any, targets: list) -> list:
    """The targets' nodes, each after the nodes it needs (depth first, stable)."""
    order: list = []
    seen: set = set()

    def visit(name: Text) -> None:
        if name in seen or name not in schema.nodes:
            return
        seen.add(name)
        for need in schema.nodes[name].needs.values():
            visit(need)
        order.append(name)

    for target in targets:
        visit(target)
    return order


_PAST_STATES = DialogueStateTracker.past_states
# Where a tracker keeps (its last event, the domain, {arguments: states}).
_STATES = "_clinic_past_states"


def past_states_once(
    self: DialogueStateTracker,
    domain: Any,
    omit_unset_slots: bool = False,
    ignore_rule_only_turns: bool = False,
    rule_only_data: Dict[Text, Any] | None = None,
) -> list:
    """Rasa's states of the conversation so far, built once per event and domain."""
    last = self.events[-1] if self.events else None
    kept = self.__dict__.get(_STATES)
    if kept is None or kept[0] is not last or kept[1] is not domain:
        kept = self.__dict__[_STATES] = (last, domain, {})
    key = (len(self.events), omit_unset_slots, ignore_rule_only_turns)
    key += (repr(rule_only_data),)
    if key not in kept[2]:
        kept[2][key] = _PAST_STATES(
            self, domain, omit_unset_slots, ignore_rule_only_turns, rule_only_data
        )
    return [
        {
            name: dict(part) if isinstance(part, dict) else part
            for name, part in s.items()
        }
        for s in kept[2][key]
    ]


RemoteAction._validate_action_result = validate_action_result  # type: ignore[method-assign]
EndpointConfig.request = request_retrying_refused  # type: ignore[method-assign]
Event.resolve_by_type = staticmethod(resolve_event_type)  # type: ignore[method-assign]
RasaModel._rasa_predict = rasa_predict_direct  # type: ignore[method-assign]
Message.get_sparse_features = get_sparse_features_once  # type: ignore[method-assign]
DaskGraphRunner.run = run_graph_in_order  # type: ignore[method-assign]
DialogueStateTracker.past_states = past_states_once  # type: ignore[method-assign]

__all__ = [
    "ValidationError",
    "get_sparse_features_once",
    "past_states_once",
    "rasa_predict_direct",
    "request_retrying_refused",
    "resolve_event_type",
    "run_graph_in_order",
    "validate_action_result",
]
