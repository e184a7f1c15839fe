"""Running the model's graphs.

`DaskGraphRunner.run` (twice per message: the NLU pipeline, then the policies for
each action) hands the graph to dask's local scheduler, whose queues, ordering and
bookkeeping took ~12% of a turn's CPU for graphs of 5 and 13 nodes run on one thread
anyway. A graph without hooks (the loaded model's; training graphs have hooks and
keep dask) now runs its nodes in one dependency order worked out once per set of
targets, with the same arguments dask gives them (a node's output as
`(name, value)`, a name that is not in the graph as itself) and the same result.
"""

from __future__ import annotations

from typing import Any, Dict, Text

from rasa.engine.exceptions import GraphRunError
from rasa.engine.runner.dask import DaskGraphRunner

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


DaskGraphRunner.run = run_graph_in_order  # type: ignore[method-assign]
