"""Which of RulePolicy's rules match the conversation.

`RulePolicy._get_possible_keys` runs twice or three times a turn. For every state of
the conversation, newest first, it filters the rules still possible: each rule's
JSON key is looked up, its states copied and reversed, and matched feature by feature
(lists turned into tuples on every comparison), and it goes on over the whole
conversation after the longest remaining rule has been passed, where every rule
matches. A rule's states are now read once into (does it have a previous action,
its features), the matching is Rasa's `_is_rule_applicable` on them, and the turns
beyond the remaining rules only rebuild the set as Rasa's filter does, so the
result, down to the set's order (RulePolicy takes the longest key, the first of
equals), is Rasa's.
"""

from __future__ import annotations

import json
from typing import Any, Dict, List, Set, Text, Tuple

from rasa.core.policies.rule_policy import RulePolicy
from rasa.shared.core.constants import PREVIOUS_ACTION, SHOULD_NOT_BE_SET
from rasa.shared.core.generator import State

_GET_POSSIBLE_KEYS = RulePolicy._get_possible_keys
# One state of a rule: whether it has a previous action, and its
# (state type, feature, value) triples, lists as tuples as Rasa compares them.
Compiled = Tuple[bool, Tuple[Tuple[Text, Text, Any], ...]]
_COMPILED: Dict[Text, Tuple[Compiled, ...]] = {}


def compiled_rule(rule_key: Text) -> Tuple[Compiled, ...]:
    """A rule's states, newest first, ready to match."""
    found = _COMPILED.get(rule_key)
    if found is None:
        found = _COMPILED[rule_key] = tuple(
            (
                bool(state.get(PREVIOUS_ACTION)),
                tuple(
                    (kind, name, tuple(value) if isinstance(value, list) else value)
                    for kind, sub_state in state.items()
                    for name, value in sub_state.items()
                ),
            )
            for state in reversed(json.loads(rule_key))
        )
    return found


def _applicable(rule: Tuple[Compiled, ...], turn: int, state: State) -> bool:
    """`RulePolicy._is_rule_applicable` and `_does_rule_match_state`, compiled."""
    if turn >= len(rule):
        return True
    has_previous_action, features = rule[turn]
    if not state.get(PREVIOUS_ACTION):
        return not has_previous_action
    if not has_previous_action:
        return False
    for kind, name, expected in features:
        actual = state.get(kind, {}).get(name)
        if expected == SHOULD_NOT_BE_SET:
            if actual and actual != SHOULD_NOT_BE_SET:
                return False
        elif expected and actual != expected:
            return False
    return True


def possible_keys_compiled(
    self: RulePolicy, lookup: Dict[Text, Text], states: List[State]
) -> Set[Text]:
    """Rasa's rules matching the states, each rule read once."""
    possible = set(lookup.keys())
    rules = {key: compiled_rule(key) for key in possible}
    longest = max(map(len, rules.values()), default=0)
    for turn, state in enumerate(reversed(states)):
        if turn >= longest:
            possible = set(iter(possible))  # Rasa's filter, every rule passing
            continue
        possible = set(
            [key for key in possible if _applicable(rules[key], turn, state)]
        )
        longest = max((len(rules[key]) for key in possible), default=0)
    return possible


RulePolicy._get_possible_keys = possible_keys_compiled  # type: ignore[method-assign]
