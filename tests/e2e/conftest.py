"""Starts the real action server and Rasa server (trained model, REST channel) once."""

from __future__ import annotations

from typing import Iterator

import pytest

from scripts.servers import ROOT, Assistant, ServerError, running_assistant

MODEL = ROOT / "models" / "clinic.tar.gz"


@pytest.fixture(scope="session")
def assistant(tmp_path_factory) -> Iterator[Assistant]:
    """A real Rasa server and action server on loopback, with their own SQLite."""
    if not MODEL.exists():
        pytest.fail(f"{MODEL} is missing: run `make train` (make e2e does) first.")
    try:
        with running_assistant(MODEL, tmp_path_factory.mktemp("servers")) as running:
            yield running
    except ServerError as error:
        pytest.fail(str(error))
