"""Shared fixtures: the project's training data and responses, read as plain YAML."""

from __future__ import annotations

import re
import secrets
from collections import defaultdict
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Dict, Iterator, List

import pytest
import yaml

from components.language import HAN_CHARACTER

ROOT = Path(__file__).resolve().parents[1]

# The response keys of the FAQ retrieval intent: the contract for evaluations.
FAQ_KEYS = [
    "medical_vs_spa", "medical_massage_what", "medical_massage_conditions",
    "medical_massage_techniques", "tuina_what", "tuina_what_to_expect", "does_it_hurt",
    "soreness_after_spa", "tuina_children", "back_pain_treatment", "combined_therapies",
    "practitioners", "locations", "contact", "about_clinic", "therapy_frequency",
    "pain_therapy_benefits", "contraindications", "tcm_back_pain_causes", "acupuncture",
    "cupping", "herbal_medicine", "acupressure_what", "acupressure_benefits",
    "acupressure_vs_massage", "choosing_therapist", "prices", "opening_hours",
    "insurance",
]  # fmt: skip
CORE_INTENTS = [
    "greet", "goodbye", "thank", "affirm", "deny", "bot_challenge", "book_appointment",
    "human_handoff", "emergency", "out_of_scope", "switch_language", "inform", "cancel",
]  # fmt: skip
LABELS = [f"faq/{key}" for key in FAQ_KEYS] + CORE_INTENTS

_CJK = re.compile(HAN_CHARACTER)


def is_chinese_example(text: str) -> bool:
    """Counts an example as Chinese when it has any Chinese character (mixed too)."""
    return bool(_CJK.search(text))


def read_examples(paths: List[Path]) -> Dict[str, List[str]]:
    """Returns {label: [example text, ...]} from Rasa NLU YAML files."""
    examples: Dict[str, List[str]] = defaultdict(list)
    for path in paths:
        for block in yaml.safe_load(path.read_text(encoding="utf-8")).get("nlu", []):
            if "intent" in block:
                for line in block["examples"].splitlines():
                    if line.strip().startswith("- "):
                        examples[block["intent"]].append(line.strip()[2:].strip())
    return examples


def training_files() -> List[Path]:
    """The NLU training data files (everything Rasa loads under data/)."""
    return sorted((ROOT / "data").rglob("*.yml"))


def heldout_files() -> List[Path]:
    """The held-out evaluation files (never trained on)."""
    return sorted((ROOT / "tests" / "heldout").glob("*.yml"))


@pytest.fixture(scope="session")
def training_examples() -> Dict[str, List[str]]:
    """Training examples by label."""
    return read_examples(training_files())


@pytest.fixture(scope="session")
def heldout_examples() -> Dict[str, List[str]]:
    """Held-out examples by label."""
    return read_examples(heldout_files())


@pytest.fixture(scope="session")
def responses() -> Dict[str, List[dict]]:
    """All responses: the domain's and those next to the FAQ examples in data/."""
    merged: Dict[str, List[dict]] = {}
    for path in [ROOT / "domain.yml", *training_files()]:
        merged.update(
            yaml.safe_load(path.read_text(encoding="utf-8")).get("responses") or {}
        )
    return merged


@pytest.fixture(scope="session")
def postgres_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """A throwaway PostgreSQL on loopback for the session (tests marked postgres)."""
    from scripts.services import throwaway_postgres

    with throwaway_postgres(tmp_path_factory.mktemp("postgres")) as server:
        yield server


@contextmanager
def new_database(server: Any, prefix: str) -> Iterator[str]:
    """A new empty database on `server`, its URL; dropped afterwards."""
    name = f"{prefix}_{secrets.token_hex(4)}"
    admin = server.connect("postgres")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    try:
        yield server.url.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        admin.close()
