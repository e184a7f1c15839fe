"""Puts a judged candidate live on every Rasa server, and rolls back.

"Put live" keeps the live model in previous/ and copies the candidate in its place
(`staff/release.py`'s `put_live`), then asks each server in EDITING_RASA_URLS to load
it (HTTP API `PUT /model`, as `make release` does). Conversations are in the tracker
store, so they carry on with the new model. Roll back puts the newest model in
previous/ back the same way. A candidate without a verdict, or below the bar, is
refused here, whatever the page offered.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import List

from editing.candidates import read_verdict
from editing.settings import EditingSettings
from staff.release import ReleaseRefusedError, put_live, reload_server


@dataclass(frozen=True)
class Released:
    """What was put live, and which servers loaded it."""

    model: Path
    servers: List[str]


def previous_models(settings: EditingSettings) -> List[Path]:
    """The models that were live before, newest first."""
    folder = settings.models / "previous"
    return sorted(folder.glob("*.tar.gz"), reverse=True) if folder.exists() else []


def candidate_path(settings: EditingSettings, name: str) -> Path:
    """The candidate called `name` in candidates/; ValueError for anything else."""
    folder = (settings.models / "candidates").resolve()
    path = (folder / Path(name).name).resolve()
    if path.parent != folder or not path.name.endswith(".tar.gz") or not path.exists():
        raise ValueError(f"no candidate {name!r}")
    return path


def _reload_all(settings: EditingSettings) -> List[str]:
    loaded = []
    for server in settings.servers:
        if reload_server(server, settings.token, settings.live_model):
            loaded.append(server)
    return loaded


def release(settings: EditingSettings, name: str) -> Released:
    """Puts the candidate live; ReleaseRefusedError if it did not pass the bar."""
    candidate = candidate_path(settings, name)
    verdict = read_verdict(candidate)
    if verdict is None:
        raise ReleaseRefusedError("this candidate was never checked against the bar")
    if verdict["failures"]:
        raise ReleaseRefusedError("below the bar: " + "; ".join(verdict["failures"]))
    put_live(candidate, settings.live_model, settings.models / "previous")
    return Released(candidate, _reload_all(settings))


def roll_back(settings: EditingSettings) -> Released:
    """Puts the previous model back; ReleaseRefusedError if there is none."""
    earlier = previous_models(settings)
    if not earlier:
        raise ReleaseRefusedError("there is no previous model to go back to")
    staged = settings.live_model.with_suffix(".staged")
    shutil.copy2(earlier[0], staged)
    os.replace(staged, settings.live_model)
    earlier[0].unlink()
    return Released(earlier[0], _reload_all(settings))
