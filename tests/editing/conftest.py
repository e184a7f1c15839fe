"""A copy of the project's training data in a temporary folder, for editing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from scripts.servers import ROOT


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """domain.yml, config.yml and data/ copied (never the worktree's own)."""
    for name in ("domain.yml", "config.yml"):
        shutil.copy2(ROOT / name, tmp_path / name)
    shutil.copytree(ROOT / "data", tmp_path / "data")
    return tmp_path
