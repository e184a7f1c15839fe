"""The trained model predicts the same with rasa_patches/ as without.

The patches compute DIET's and the ResponseSelector's predictions in NumPy (and call
their traced graphs without tf.function's per-call checks where Rasa's path is
taken), combine a message's sparse features once, run the model's graphs without
dask, keep a tracker's dialogue states, look answers' keys up and match RulePolicy's
rules read once. Here every held-out message is parsed both ways by the trained
model: intents, the rankings' order and the selected answers must be identical, the
confidences equal to float32 rounding; and conversations get the same actions and
replies both ways.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any, Dict, List

import pytest
from rasa.core.agent import Agent
from rasa.core.policies.rule_policy import RulePolicy
from rasa.engine.runner.dask import DaskGraphRunner
from rasa.nlu.classifiers.diet_classifier import DIETClassifier
from rasa.nlu.selectors.response_selector import ResponseSelector
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.training_data.features import Features
from rasa.shared.nlu.training_data.message import Message
from rasa.utils.tensorflow import model_data_utils
from rasa.utils.tensorflow.models import RasaModel

from rasa_patches import (
    classifiers,
    dialogue_states,
    graph_runner,
    response_selector,
    rule_policy,
    sentence_layers,
)
from staff.evaluate import load_examples
from tests.assistant import MODEL
from tests.spies import calls_to

HELDOUT = Path(__file__).parents[1] / "heldout"


def _outcome(parse: Dict[str, Any]) -> Dict[str, Any]:
    selector = parse.get("response_selector", {}).get("faq", {})
    return {
        "intent": parse["intent"],
        "ranking": parse.get("intent_ranking"),
        "answer": selector.get("response"),
        "answers": selector.get("ranking"),
    }


# NumPy's and TensorFlow's float32 sums agree to rounding (tests/rasa_patches).
TOLERANCE = 1e-6


def _assert_same(ours: Any, theirs: Any) -> None:
    """Equal outcomes, confidences to float32 rounding."""
    if isinstance(ours, float):
        assert ours == pytest.approx(theirs, abs=TOLERANCE)
    elif isinstance(ours, dict):
        assert ours.keys() == theirs.keys()
        for key in ours:
            _assert_same(ours[key], theirs[key])
    elif isinstance(ours, list) and ours and "confidence" in ours[0]:
        _assert_same_ranking(ours, theirs)
    elif isinstance(ours, list):
        assert len(ours) == len(theirs)
        for mine, rasas in zip(ours, theirs, strict=True):
            _assert_same(mine, rasas)
    else:
        assert ours == theirs


def _assert_same_ranking(ours: List[Dict], theirs: List[Dict]) -> None:
    """The same labels first and with the same confidences; labels whose confidences
    are equal to rounding may change places, or at the list's end be in or out."""

    def by_label(ranking: List[Dict]) -> Dict[str, Dict]:
        return {
            label.get("name", label.get("intent_response_key")): label
            for label in ranking
        }

    assert len(ours) == len(theirs)
    mine, rasas = by_label(ours), by_label(theirs)
    assert next(iter(mine)) == next(iter(rasas))
    for name in mine.keys() & rasas.keys():
        _assert_same(mine[name], rasas[name])
    for only, other in ((mine, rasas), (rasas, mine)):
        lowest = min(label["confidence"] for label in other.values())
        for name in only.keys() - other.keys():
            assert only[name]["confidence"] <= lowest + TOLERANCE


def _parse_all(agent: Agent, texts: List[str]) -> List[Dict[str, Any]]:
    async def parse() -> List[Dict[str, Any]]:
        return [_outcome(await agent.parse_message(text)) for text in texts]

    return asyncio.run(parse())


@pytest.fixture(scope="module")
def agent() -> Agent:
    if not MODEL.exists():
        pytest.fail(f"{MODEL} is missing: run `make train` first.")
    return Agent.load(str(MODEL))


def test_the_patched_model_predicts_exactly_as_rasa(agent, monkeypatch):
    texts = [text for text, _ in load_examples([str(HELDOUT)])]
    assert len(texts) > 1000
    rasas_predict = sentence_layers._PREDICT
    rasa_paths = calls_to(monkeypatch, sentence_layers, "_PREDICT")
    in_numpy = _parse_all(agent, texts)
    assert rasa_paths == []  # every prediction in NumPy
    # DIET, the FAQ selector and the passage selector (components/passage_selector.py).
    classifiers_ = _components(agent, DIETClassifier)
    assert len(classifiers_) == 3
    assert sum(isinstance(c, ResponseSelector) for c in classifiers_) == 2
    for component in classifiers_:
        assert sentence_layers._weights_for(component) is not None

    # Rasa's path (another model's shape, diagnostic runs): its traced graphs called
    # directly, with the same outputs as tf.function's.
    monkeypatch.setattr(DIETClassifier, "_predict", rasas_predict)
    assert RasaModel._rasa_predict is classifiers.rasa_predict_direct
    _parse_all(agent, texts[:3])  # Rasa's first call traces the graphs
    slow_paths = calls_to(monkeypatch, classifiers, "_RASA_PREDICT")
    direct = _parse_all(agent, texts)
    assert slow_paths == []  # every call went the direct way

    _without_patches(monkeypatch)
    rasas = _parse_all(agent, texts)
    assert direct == rasas
    for ours, theirs in zip(in_numpy, rasas, strict=True):
        _assert_same(ours, theirs)


def _components(agent: Agent, kind: type) -> List[Any]:
    nodes = agent.processor.graph_runner._instantiated_nodes.values()
    return [n._component for n in nodes if isinstance(n._component, kind)]


def test_conversations_take_the_same_actions_without_dask(agent, monkeypatch):
    texts = [text for text, _ in load_examples([str(HELDOUT)])][::10]
    assert DaskGraphRunner.run is graph_runner.run_graph_in_order
    patched = _converse(agent, texts, "patched")
    assert vars(agent.processor.graph_runner)[graph_runner._ORDERS]  # no dask
    assert sum(1 for replies, _ in patched if replies) > 0.8 * len(texts)
    _without_patches(monkeypatch)
    assert _converse(agent, texts, "rasa") == patched


def _converse(agent: Agent, texts: List[str], run: str) -> List[Any]:
    """Five-message conversations: each turn's actions and replies."""

    async def talk() -> List[Any]:
        turns = []
        for n, text in enumerate(texts):
            sender = f"{run}-{n // 5}"
            replies = await agent.handle_text(text, sender_id=sender)
            tracker = await agent.tracker_store.retrieve(sender)
            actions = [e.action_name for e in tracker.events if e.type_name == "action"]
            turns.append(([r.get("text") for r in replies or []], actions[-4:]))
        return turns

    return asyncio.run(talk())


def _without_patches(monkeypatch) -> None:
    monkeypatch.setattr(DIETClassifier, "_predict", sentence_layers._PREDICT)
    monkeypatch.setattr(RasaModel, "_rasa_predict", classifiers._RASA_PREDICT)
    monkeypatch.setattr(
        Message, "get_sparse_features", classifiers._GET_SPARSE_FEATURES
    )
    monkeypatch.setattr(
        model_data_utils, "_create_fake_features", classifiers._CREATE_FAKE_FEATURES
    )
    monkeypatch.setattr(
        Features, "_combine_sparse_features", classifiers._COMBINE_SPARSE
    )
    monkeypatch.setattr(DaskGraphRunner, "run", graph_runner._DASK_RUN)
    monkeypatch.setattr(
        DialogueStateTracker, "past_states", dialogue_states._PAST_STATES
    )
    monkeypatch.setattr(
        ResponseSelector, "_resolve_intent_response_key", response_selector._RESOLVE
    )
    monkeypatch.setattr(
        RulePolicy, "_get_possible_keys", rule_policy._GET_POSSIBLE_KEYS
    )


def test_rules_match_as_rasa_matches_them(agent):
    """Every rule of the trained model against conversations made of rules' states."""
    import json

    from rasa.core.policies.rule_policy import RULES, RULES_FOR_LOOP_UNHAPPY_PATH

    [policy] = _components(agent, RulePolicy)
    keys = list(policy.lookup[RULES]) + list(policy.lookup[RULES_FOR_LOOP_UNHAPPY_PATH])
    conversations = []
    for n, key in enumerate(keys):
        states = json.loads(key)
        before = json.loads(keys[(n * 7 + 3) % len(keys)])
        conversations += [states, before + states, states[:-1], before + states[1:]]
        last = dict(states[-1])
        last.pop("user", None)  # the intent or text left out
        conversations.append([*states[:-1], last])
    checked = 0
    for lookup in (policy.lookup[RULES], policy.lookup[RULES_FOR_LOOP_UNHAPPY_PATH]):
        for states in conversations:
            ours = rule_policy.possible_keys_compiled(policy, lookup, states)
            theirs = rule_policy._GET_POSSIBLE_KEYS(policy, lookup, states)
            assert list(ours) == list(theirs)
            checked += bool(theirs)
    assert checked > len(keys)  # most conversations match some rule
