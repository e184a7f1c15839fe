"""The real servers for tests: scripts/servers.running_assistant, failing clearly."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

import pytest

from scripts.servers import ROOT, Assistant, ServerError, running_assistant

MODEL = ROOT / "models" / "clinic.tar.gz"


@contextmanager
def started_assistant(workdir: Path, **options: Any) -> Iterator[Assistant]:
    """Runs the trained model's servers in `workdir` (options: running_assistant's).

    A missing model or a server that does not come up fails the test with the reason,
    rather than erroring in every test that uses it.
    """
    if not MODEL.exists():
        pytest.fail(f"{MODEL} is missing: run `make train` first.")
    try:
        with running_assistant(MODEL, workdir, **options) as running:
            yield running
    except ServerError as error:
        pytest.fail(str(error))
