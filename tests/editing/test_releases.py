"""editing/releases.py: only a candidate that met the bar goes live; roll back."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from editing.candidates import verdict_path
from editing.releases import release, roll_back
from editing.settings import EditingSettings, editing_settings
from staff.release import ReleaseRefusedError


@pytest.fixture
def settings(tmp_path: Path) -> EditingSettings:
    (tmp_path / "candidates").mkdir()
    (tmp_path / "clinic.tar.gz").write_bytes(b"live model")
    # No server listens on port 9: reloading finds none and says so.
    return editing_settings(
        {"EDITING_MODELS_DIR": str(tmp_path), "EDITING_RASA_URLS": "http://127.0.0.1:9"}
    )


def _candidate(settings: EditingSettings, failures: list) -> str:
    path = settings.models / "candidates" / "candidate-1.tar.gz"
    path.write_bytes(b"new model")
    verdict_path(path).write_text(json.dumps({"failures": failures}))
    return path.name


def test_a_candidate_below_the_bar_is_refused(settings: EditingSettings) -> None:
    name = _candidate(settings, ["overall accuracy 90.0% < 95%"])
    with pytest.raises(ReleaseRefusedError, match="below the bar"):
        release(settings, name)
    assert settings.live_model.read_bytes() == b"live model"


def test_an_unchecked_candidate_is_refused(settings: EditingSettings) -> None:
    name = _candidate(settings, [])
    verdict_path(settings.models / "candidates" / name).unlink()
    with pytest.raises(ReleaseRefusedError, match="never checked"):
        release(settings, name)


def test_only_files_in_candidates_can_be_released(settings: EditingSettings) -> None:
    with pytest.raises(ValueError):
        release(settings, "../clinic.tar.gz")


def test_put_live_keeps_the_old_model_and_roll_back_restores_it(
    settings: EditingSettings,
) -> None:
    released = release(settings, _candidate(settings, []))
    assert settings.live_model.read_bytes() == b"new model" and released.servers == []
    roll_back(settings)
    assert settings.live_model.read_bytes() == b"live model"
    with pytest.raises(ReleaseRefusedError, match="no previous model"):
        roll_back(settings)
