"""editing/candidates.py: progress from rasa train's output, one check at a time."""

from __future__ import annotations

from pathlib import Path

import pytest

from editing.candidates import BusyError, Check, Checker
from editing.settings import editing_settings

TRAINING = [
    "hooks  - Starting to train component 'CountVectorsFeaturizer'.",
    "hooks  - Finished training component 'CountVectorsFeaturizer'.",
    "hooks  - Starting to train component 'DietWithoutPassages'.",
    "Epochs:  40%|####      | 10/25 [00:30<00:45,  3.0s/it, t_loss=1.2]",
]


def test_progress_follows_the_components_and_their_epochs() -> None:
    check = Check(by="eddie")
    seen = []
    for line in TRAINING:
        check.read_line(line)
        seen.append(check.progress)
    assert seen == sorted(seen) and 0.2 < seen[-1] < 0.5
    assert (check.component, check.epochs) == ("DietWithoutPassages", 40)
    check.read_line("Finished training component 'DietWithoutPassages'.")
    check.read_line("Restored component 'FaqSelector' from cache.")
    check.read_line("Finished training component 'PassageSelector'.")
    assert check.progress > 0.7


def test_a_second_check_is_refused_while_one_runs(tmp_path: Path) -> None:
    settings = editing_settings(
        {"EDITING_MODELS_DIR": str(tmp_path), "EDITING_PROJECT_DIR": str(tmp_path)}
    )
    checker = Checker(settings)
    checker.current = Check(by="eddie", state="training")
    with pytest.raises(BusyError):
        checker.start("ada")


def test_a_check_stops_at_the_data_checks_when_they_fail(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "domain.yml").write_text("version: '3.1'\nresponses: [broken\n")
    settings = editing_settings(
        {
            "EDITING_MODELS_DIR": str(tmp_path / "m"),
            "EDITING_PROJECT_DIR": str(tmp_path),
        }
    )
    checker = Checker(settings)
    check = checker.start("eddie")
    for _ in range(100):
        if not check.running:
            break
        import time

        time.sleep(0.05)
    assert check.state == "failed" and "not valid YAML" in check.problems[0]
    assert not list((tmp_path / "m" / "candidates").glob("*.tar.gz"))


def test_another_console_sees_the_check_and_a_stopped_one_as_interrupted(
    tmp_path: Path,
) -> None:
    from editing.verdict import ChangedAnswer, TopicChange, Verdict

    settings = editing_settings({"EDITING_MODELS_DIR": str(tmp_path)})
    (tmp_path / "candidates").mkdir()
    first = Checker(settings)
    done = Check(by="eddie", state="done", progress=1.0, candidate="c.tar.gz")
    done.verdict = Verdict(
        0.97, {"en": 0.97}, 0.96, {"en": 0.96}, [],
        better=[TopicChange("faq/x", 0.5, 1.0, 2)],
        changed=[ChangedAnswer("b", "faq/x", "faq/y", "faq/x")],
    )  # fmt: skip
    first._keep(done)
    seen = Checker(settings).latest()
    assert seen == done and seen.verdict.passes and seen.verdict.changed[0].better
    first._keep(Check(by="eddie", state="training", progress=0.4))
    stopped = Checker(settings).latest()
    assert stopped.state == "failed" and "interrupted" in stopped.error


def test_prepare_measures_the_live_model_only_once(tmp_path: Path) -> None:
    from editing.candidates import evaluation_path

    settings = editing_settings({"EDITING_MODELS_DIR": str(tmp_path)})
    checker = Checker(settings)
    checker.prepare()  # no live model: nothing to measure
    assert checker._live_job is None
    settings.live_model.write_bytes(b"a model")
    kept = evaluation_path(settings, settings.live_model)
    kept.parent.mkdir(parents=True)
    kept.write_text("{}")
    checker.prepare()  # measured already
    assert checker._live_job is None
