"""The trained model predicts the same with components/rasa_patches.py as without.

The patches call DIET's and the ResponseSelector's traced graphs without tf.function's
per-call checks, and combine a message's sparse features once. Here every held-out
message is parsed both ways by the trained model: intents, rankings and selected
answers must be identical.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any, Dict, List

import pytest
from rasa.core.agent import Agent
from rasa.shared.nlu.training_data.message import Message
from rasa.utils.tensorflow.models import RasaModel

from components import rasa_patches
from scripts.evaluate import load_examples
from tests.assistant import MODEL

HELDOUT = Path(__file__).parents[1] / "heldout"


def _outcome(parse: Dict[str, Any]) -> Dict[str, Any]:
    selector = parse.get("response_selector", {}).get("faq", {})
    return {
        "intent": parse["intent"],
        "ranking": parse.get("intent_ranking"),
        "answer": selector.get("response"),
        "answers": selector.get("ranking"),
    }


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
    assert RasaModel._rasa_predict is rasa_patches.rasa_predict_direct
    _parse_all(agent, texts[:3])  # Rasa's first call traces the graphs

    slow_paths = []
    original = rasa_patches._RASA_PREDICT
    monkeypatch.setattr(
        rasa_patches,
        "_RASA_PREDICT",
        lambda model, batch: slow_paths.append(1) or original(model, batch),
    )
    direct = _parse_all(agent, texts)
    assert slow_paths == []  # every call went the direct way

    monkeypatch.setattr(RasaModel, "_rasa_predict", original)
    monkeypatch.setattr(
        Message, "get_sparse_features", rasa_patches._GET_SPARSE_FEATURES
    )
    assert _parse_all(agent, texts) == direct
