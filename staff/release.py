"""Puts a new model live only when it passes the checks and the held-out bar.

    python -m staff.release [--candidate path/to/model.tar.gz]

1. `staff/validate.py` (the data checks; seconds).
2. Trains a candidate into models/candidates/ (or takes `--candidate`).
3. Evaluates it on tests/heldout against the bar (staff/evaluate.py).
4. Only then: keeps the live model in models/previous/ and replaces
   models/clinic.tar.gz with the candidate.
5. Tells the running Rasa server to load it (HTTP API `PUT /model`, with the token from
   $RASA_AUTH_TOKEN or .rasa/auth_token). Conversations live in the tracker store, so
   they go on with the new model. If no server is running, `make run` will use it.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable, List

import requests

ROOT = Path(__file__).resolve().parents[1]
LIVE = ROOT / "models" / "clinic.tar.gz"
PREVIOUS = ROOT / "models" / "previous"
CANDIDATES = ROOT / "models" / "candidates"
PYTHON = sys.executable
RASA = str(Path(sys.executable).with_name("rasa"))


class ReleaseRefusedError(RuntimeError):
    """The candidate did not pass a step; the live model was left alone."""


def run(command: List[str]) -> int:
    """Runs a step of the release, its output shown as it goes."""
    print(f"\n$ {' '.join(command)}", flush=True)
    return subprocess.call(command, cwd=ROOT)


def train_candidate() -> Path:
    """Trains a new model into models/candidates/ and returns its path."""
    name = time.strftime("candidate-%Y%m%d-%H%M%S")
    if run([RASA, "train", "--fixed-model-name", name, "--out", str(CANDIDATES)]):
        raise ReleaseRefusedError(
            "training failed (see above); the live model is unchanged"
        )
    return CANDIDATES / f"{name}.tar.gz"


def put_live(candidate: Path, live: Path = LIVE, previous: Path = PREVIOUS) -> None:
    """Keeps the live model in `previous` and moves the candidate in its place."""
    previous.mkdir(parents=True, exist_ok=True)
    if live.exists():
        kept = previous / time.strftime("clinic-%Y%m%d-%H%M%S.tar.gz")
        shutil.copy2(live, kept)
        print(f"The previous model is kept as {kept}")
    # Copy next to the live file, then rename: the server never sees half a file.
    staged = live.with_suffix(".staged")
    shutil.copy2(candidate, staged)
    os.replace(staged, live)


def auth_token() -> str | None:
    """The HTTP API token `scripts/run.sh` started the server with."""
    token_file = ROOT / ".rasa" / "auth_token"
    if os.environ.get("RASA_AUTH_TOKEN"):
        return os.environ["RASA_AUTH_TOKEN"]
    return token_file.read_text().strip() if token_file.exists() else None


def reload_server(url: str, token: str | None, model: Path = LIVE) -> bool:
    """Asks the running Rasa server to load `model`; False when none is running."""
    try:
        requests.get(f"{url}/", timeout=3)
    except requests.ConnectionError:
        return False
    response = requests.put(
        f"{url}/model",
        params={"token": token} if token else None,
        json={"model_file": str(model.resolve())},
        timeout=300,
    )
    if response.status_code != 204:
        raise ReleaseRefusedError(
            f"the server at {url} did not load the model ({response.status_code}: "
            f"{response.text[:300]}); it keeps answering with the model it had"
        )
    return True


def release(
    candidate: Path | None,
    server: str,
    step: Callable[[List[str]], int] = run,
    heldout: str = "tests/heldout",
) -> None:
    """Validates, trains (unless given a candidate), evaluates, replaces, reloads."""
    if step([PYTHON, "-m", "staff.validate"]):
        raise ReleaseRefusedError("the data checks failed (see above): fix them first")
    candidate = candidate or train_candidate()
    evaluation = ROOT / "results" / "candidate-evaluation.json"
    command = [PYTHON, "-m", "staff.evaluate", "--model", str(candidate)]
    if step([*command, "--out", str(evaluation), heldout]):
        raise ReleaseRefusedError(
            "the new model is below the bar on the held-out messages (see above); "
            f"the live model is unchanged. The candidate is {candidate}"
        )
    put_live(candidate)
    print(f"\nmodels/clinic.tar.gz is now the new model ({candidate.name}).")
    if reload_server(server, auth_token()):
        print(f"The server at {server} now answers with it; conversations go on.")
    else:
        print(f"No server answers at {server}: `make run` will start with it.")


def main() -> int:
    """Runs the release; exits 1 when it was refused."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--candidate", type=Path, help="a trained model to release")
    parser.add_argument(
        "--server",
        default=os.environ.get(
            "RASA_URL", f"http://localhost:{os.environ.get('RASA_PORT', '5005')}"
        ),
    )
    args = parser.parse_args()
    try:
        release(args.candidate, args.server)
    except ReleaseRefusedError as refused:
        print(f"\nNOT RELEASED: {refused}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
