"""The Makefile's training inputs: an article added or changed means a new model."""

from __future__ import annotations

import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_the_articles_are_a_training_input_and_retrain_without_the_cache():
    printed = subprocess.run(
        ["make", "-pn", "help"],  # noqa: S607 - make from PATH, as CI runs it
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    [inputs] = [
        line for line in printed.splitlines() if line.startswith("TRAINING_INPUTS")
    ]
    assert "knowledge" in inputs
    for article in (ROOT / "knowledge" / "articles").glob("*.yml"):
        assert f"knowledge/articles/{article.name}" in printed
    makefile = (ROOT / "Makefile").read_text()
    assert "$(filter components/% knowledge/%,$?),--force" in makefile
