"""Check changes: train a candidate in the background and judge it against the bar.

One check at a time (a lock file in the models folder, so two console processes do not
train at once): the data checks (`staff/checks.py`, as `make validate`), `rasa train`
into candidates/ in a subprocess (the live servers keep answering), then
`staff/evaluate.py` on the held-out sets for the candidate and, unless already
measured, for the live model, side by side; the verdict is kept beside the candidate.
Progress is read from the training's output: which component trains, its epochs.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import re
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import IO, Callable, Dict, List

from editing.settings import ROOT, EditingSettings
from editing.verdict import ChangedAnswer, TopicChange, Verdict, judge
from staff.checks import run_checks

RASA = str(Path(sys.executable).with_name("rasa"))
# Share of the progress bar each heavy component's epochs fill (the rest is quick).
WEIGHTS = {"DietWithoutPassages": 0.5, "FaqSelector": 0.2, "PassageSelector": 0.15}
TRAINING_SHARE = 0.85
_STARTED = re.compile(r"Starting to train component '(\w+)'")
_DONE = re.compile(r"(?:Finished training|Restored) component '(\w+)'")
_EPOCHS = re.compile(r"Epochs:\s+(\d+)%")


class BusyError(RuntimeError):
    """A check is already running (here or in another console process)."""


@dataclass
class Check:
    """One run of "Check changes", as the release page shows it."""

    by: str
    started: float = field(default_factory=time.time)
    state: str = "validating"  # training, evaluating, done, failed
    progress: float = 0.0
    component: str = ""
    epochs: int = 0
    finished: float | None = None
    candidate: str = ""
    problems: List[str] = field(default_factory=list)
    error: str = ""
    verdict: Verdict | None = None
    data_commit: str = ""
    done_components: List[str] = field(default_factory=list)

    @property
    def running(self) -> bool:
        """Whether it is still going."""
        return self.state not in ("done", "failed")

    @property
    def seconds(self) -> float:
        """How long it took (or has taken so far)."""
        return (self.finished or time.time()) - self.started

    def to_json(self) -> str:
        """The check as kept in candidates/check.json (for other console processes)."""
        return json.dumps(asdict(self), ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> Check:
        """A check read back from `to_json`."""
        fields = json.loads(text)
        verdict = fields.pop("verdict", None)
        check = cls(**fields)
        if verdict:
            better = [TopicChange(**t) for t in verdict.pop("better")]
            worse = [TopicChange(**t) for t in verdict.pop("worse")]
            changed = [ChangedAnswer(**c) for c in verdict.pop("changed")]
            check.verdict = Verdict(
                **verdict, better=better, worse=worse, changed=changed
            )
        return check

    def read_line(self, line: str) -> None:
        """Moves the progress on from one line of `rasa train`'s output."""
        if match := _STARTED.search(line):
            self.component, self.epochs = match.group(1), 0
        elif match := _DONE.search(line):
            self.done_components.append(match.group(1))
            self.epochs = 0
        elif (match := _EPOCHS.search(line)) and self.component:
            self.epochs = int(match.group(1))
        done = sum(WEIGHTS.get(c, 0.0) for c in set(self.done_components))
        running = WEIGHTS.get(self.component, 0.0) * self.epochs / 100
        light = min(len(self.done_components), 10) / 10 * (1 - sum(WEIGHTS.values()))
        self.progress = round(0.02 + TRAINING_SHARE * (done + running + light), 3)


def model_digest(model: Path) -> str:
    """A short digest of a model file: the key its evaluation is kept under."""
    digest = hashlib.sha256()
    with model.open("rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()[:16]


def evaluation_path(settings: EditingSettings, model: Path) -> Path:
    """Where the held-out evaluation of `model` is kept."""
    return settings.models / "evaluations" / f"{model_digest(model)}.json"


def verdict_path(candidate: Path) -> Path:
    """Where a candidate's verdict is kept: beside it."""
    return candidate.with_name(candidate.name.replace(".tar.gz", ".verdict.json"))


def read_verdict(candidate: Path) -> Dict | None:
    """A candidate's stored verdict (a dict), or None if it was never judged."""
    path = verdict_path(candidate)
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def _lines(stream: IO[str]) -> Callable[[], str]:
    # tqdm rewrites its line with \r: each rewrite counts as a line.
    buffer = ""

    def next_line() -> str:
        nonlocal buffer
        while True:
            for separator in ("\r", "\n"):
                if separator in buffer:
                    line, buffer = buffer.split(separator, 1)
                    return line + "\n"
            chunk = stream.read(256)
            if not chunk:
                line, buffer = buffer, ""
                return line
            buffer += chunk

    return next_line


class Checker:
    """Runs checks one at a time in a background thread; `current` is the latest."""

    def __init__(self, settings: EditingSettings) -> None:
        """Trains into `settings.models`/candidates from `settings.project`."""
        self.settings = settings
        self.current: Check | None = None
        self._guard = threading.Lock()
        self._live_job: subprocess.Popen | None = None

    @property
    def _state(self) -> Path:
        return self.settings.models / "candidates" / "check.json"

    def _keep(self, check: Check) -> None:
        # Written whole then renamed: a reader never sees half a file.
        staged = self._state.with_suffix(".staged")
        staged.write_text(check.to_json(), encoding="utf-8")
        os.replace(staged, self._state)

    def latest(self) -> Check | None:
        """The latest check: this process's, else the one kept by any console."""
        if self.current is not None or not self._state.exists():
            return self.current
        check = Check.from_json(self._state.read_text(encoding="utf-8"))
        if check.running and not self._locked():
            # Its console stopped mid-way (a restart): that check will never end.
            check.state, check.error = "failed", "interrupted (the console stopped)"
        return check

    def _locked(self) -> bool:
        lock_path = self.settings.models / "candidates" / ".check.lock"
        if not lock_path.exists():
            return False
        with lock_path.open("a") as lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return True
            fcntl.flock(lock, fcntl.LOCK_UN)
            return False

    def prepare(self) -> None:
        """Measures the live model now if it never was (after a save: a check is near).

        The first check after a release would otherwise evaluate it beside the
        training, on the same two cores.
        """
        with self._guard:
            if self._live_job is not None and self._live_job.poll() is None:
                return
            if self.current is not None and self.current.running:
                return
            self._live_job = self._live_evaluation()

    def _live_evaluation(self) -> subprocess.Popen | None:
        live = self.settings.live_model
        if not live.exists():
            return None
        out = evaluation_path(self.settings, live)
        return None if out.exists() else self._evaluate(live, out, nice=10)

    def start(self, by: str, data_commit: str = "") -> Check:
        """Starts a check as `by`; BusyError if one is already running."""
        with self._guard:
            if self.current and self.current.running:
                raise BusyError("a check is already running")
            candidates = self.settings.models / "candidates"
            candidates.mkdir(parents=True, exist_ok=True)
            lock = (candidates / ".check.lock").open("w")
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                lock.close()
                raise BusyError("another console is checking") from None
            check = Check(by=by, data_commit=data_commit)
            self.current = check
            self._keep(check)
        thread = threading.Thread(target=self._run, args=(check, lock), daemon=True)
        thread.start()
        return check

    def _run(self, check: Check, lock: IO[str]) -> None:
        try:
            self._steps(check)
        except Exception as error:  # shown on the page; the live model is untouched
            check.state, check.error = "failed", f"{type(error).__name__}: {error}"
        finally:
            check.finished = time.time()
            self._keep(check)
            lock.close()

    def _steps(self, check: Check) -> None:
        project = self.settings.project
        errors = [p for p in run_checks(project) if p.level == "error"]
        if errors:
            check.problems = [str(p) for p in errors]
            check.state = "failed"
            return
        live = self.settings.live_model
        live_evaluation = (
            evaluation_path(self.settings, live) if live.exists() else None
        )
        # The live model's figures are measured once per model: since the last save
        # (`prepare`), or now, beside the training.
        with self._guard:
            live_job = self._live_job
            if live_job is None or live_job.poll() is not None:
                live_job = self._live_evaluation()
            self._live_job = None
        check.state, check.progress = "training", 0.02
        self._keep(check)
        name = time.strftime("candidate-%Y%m%d-%H%M%S")
        candidate = self.settings.models / "candidates" / f"{name}.tar.gz"
        self._train(check, name)
        check.candidate = str(candidate)
        check.state, check.progress = "evaluating", 0.9
        self._keep(check)
        candidate_evaluation = candidate.with_name(f"{name}.evaluation.json")
        candidate_job = self._evaluate(candidate, candidate_evaluation)
        for job in (candidate_job, live_job):
            if job is not None and job.wait() not in (0, 1):  # 1: below the bar
                raise RuntimeError("the held-out evaluation failed")
        summary = json.loads(candidate_evaluation.read_text(encoding="utf-8"))
        before = (
            json.loads(live_evaluation.read_text(encoding="utf-8"))
            if live_evaluation and live_evaluation.exists()
            else None
        )
        check.verdict = judge(summary, before)
        verdict_path(candidate).write_text(
            json.dumps(
                {**asdict(check.verdict), "data_commit": check.data_commit},
                ensure_ascii=False,
            ),
            encoding="utf-8",
        )
        # Its own evaluation is the live one's once it is put live.
        (self.settings.models / "evaluations").mkdir(parents=True, exist_ok=True)
        os.replace(candidate_evaluation, evaluation_path(self.settings, candidate))
        check.state, check.progress = "done", 1.0

    def _train(self, check: Check, name: str) -> None:
        project = self.settings.project
        command = [
            RASA, "train", "--config", str(project / "config.yml"),
            "--domain", str(project / "domain.yml"), "--data", str(project / "data"),
            "--out", str(self.settings.models / "candidates"),
            "--fixed-model-name", name,
            # staff/checks.py has just checked the data; Rasa's own pass costs ~10 s.
            "--skip-validation",
        ]  # fmt: skip
        log = self.settings.models / "candidates" / f"{name}.log"
        # From the code's folder: config.yml names our components by module.
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2"},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        next_line = _lines(process.stdout)  # type: ignore[arg-type]
        kept = 0.0
        with log.open("w", encoding="utf-8") as out:
            while line := next_line():
                out.write(line)
                check.read_line(line)
                if check.progress >= kept + 0.01:
                    kept = check.progress
                    self._keep(check)
        if process.wait():
            raise RuntimeError(f"training failed (its output is in {log})")

    def _evaluate(self, model: Path, out: Path, nice: int = 0) -> subprocess.Popen:
        out.parent.mkdir(parents=True, exist_ok=True)
        command = [
            sys.executable, "-m", "staff.evaluate", "--model", str(model),
            "--out", str(out), *[str(p) for p in self.settings.heldout],
        ]  # fmt: skip
        return subprocess.Popen(
            command,
            cwd=ROOT,
            env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2"},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            # The live model's figures can wait; a training beside them should not.
            preexec_fn=(lambda: os.nice(nice)) if nice else None,
        )
