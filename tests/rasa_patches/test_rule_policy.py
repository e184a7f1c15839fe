"""RulePolicy's matching rules, found as Rasa finds them (with their order)."""

from __future__ import annotations

import itertools
import json

from rasa.core.policies.rule_policy import RulePolicy
from rasa.shared.core.constants import SHOULD_NOT_BE_SET

from rasa_patches import rule_policy

LISTEN = {"prev_action": {"action_name": "action_listen"}}


def _state(intent=None, action="action_listen", **slots):
    state = {"prev_action": {"action_name": action}} if action else {}
    if intent:
        state["user"] = {"intent": intent}
    if slots:
        state["slots"] = {
            k: tuple(v) if isinstance(v, list) else v for k, v in slots.items()
        }
    return state


RULES = [
    [{}, _state("greet")],  # conversation start
    [_state("faq")],
    [_state("faq"), _state(None, "utter_faq")],
    [_state("inform", language=SHOULD_NOT_BE_SET)],
    [_state("inform", language=[1.0])],
    [_state("deny", "utter_ask_phone"), _state(None, "booking_form")],
    [_state("faq", "utter_greet"), _state("faq")],
]
LOOKUP = {json.dumps(states): f"action_{n}" for n, states in enumerate(RULES)}


def test_every_conversation_matches_the_rules_rasa_matches():
    policy = RulePolicy.__new__(RulePolicy)
    pieces = [state for states in RULES for state in states] + [
        _state("faq", language=[0.0]),
        _state("inform", language=SHOULD_NOT_BE_SET),
        _state("inform", "utter_ask_phone", language=[1.0]),
        _state(None, "action_listen"),
    ]
    matched = 0
    for length in (1, 2, 3):
        for states in itertools.product(pieces, repeat=length):
            states = [dict(s) for s in states]
            ours = rule_policy.possible_keys_compiled(policy, LOOKUP, states)
            theirs = rule_policy._GET_POSSIBLE_KEYS(policy, LOOKUP, states)
            assert list(ours) == list(theirs), states
            matched += bool(theirs)
    assert matched > 100


def test_a_rule_is_read_once():
    key = next(iter(LOOKUP))
    assert rule_policy.compiled_rule(key) is rule_policy.compiled_rule(key)
