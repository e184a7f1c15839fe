"""Starts the real action server and Rasa server (trained model, REST channel) once."""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, List, Optional

import pytest
import requests

from tests.conftest import ROOT

MODEL = ROOT / "models" / "clinic.tar.gz"
RASA = str(Path(sys.executable).with_name("rasa"))
START_TIMEOUT_S = 180


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Assistant:
    """The running servers, and how to talk to them."""

    url: str
    token: str
    tracker_db: Path

    def say(self, sender: str, text: str, metadata: Optional[dict] = None) -> List[dict]:
        """Sends one message through the REST channel and returns the bot's messages."""
        body = {"sender": sender, "message": text, "metadata": metadata or {}}
        response = requests.post(f"{self.url}/webhooks/rest/webhook", json=body, timeout=30)
        response.raise_for_status()
        return response.json()


def wait_until_up(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"{url} exited with {process.returncode}:\n{log.read_text()[-3000:]}")
        try:
            if requests.get(url, timeout=2).ok:
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.5)
    pytest.fail(f"{url} did not come up in {START_TIMEOUT_S} s:\n{log.read_text()[-3000:]}")


def start(command: List[str], log: Path) -> subprocess.Popen:
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2", "RASA_TELEMETRY_ENABLED": "false"}
    return subprocess.Popen(  # noqa: S603 - the project's own servers
        command,
        cwd=ROOT,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


@pytest.fixture(scope="session")
def assistant(tmp_path_factory) -> Iterator[Assistant]:
    """A real Rasa server and action server on free loopback ports, with their own SQLite."""
    if not MODEL.exists():
        pytest.fail(f"{MODEL} is missing: run `make train` (make e2e does) first.")
    workdir = tmp_path_factory.mktemp("servers")
    actions_port, rasa_port = free_port(), free_port()
    tracker_db = workdir / "tracker.db"
    endpoints = workdir / "endpoints.yml"
    endpoints.write_text(
        f'action_endpoint:\n  url: "http://127.0.0.1:{actions_port}/webhook"\n'
        f'tracker_store:\n  type: SQL\n  dialect: "sqlite"\n  db: "{tracker_db}"\n'
    )
    token = secrets.token_urlsafe(16)
    actions_log, rasa_log = workdir / "actions.log", workdir / "rasa.log"
    actions = start(
        [RASA, "run", "actions", "--actions", "actions", "--port", str(actions_port)], actions_log
    )
    rasa = start(
        [
            RASA, "run", "--model", str(MODEL), "--port", str(rasa_port),
            "--interface", "127.0.0.1", "--enable-api", "--auth-token", token,
            "--endpoints", str(endpoints), "--credentials", "credentials.yml",
        ],
        rasa_log,
    )  # fmt: skip
    try:
        wait_until_up(f"http://127.0.0.1:{actions_port}/health", actions, actions_log)
        wait_until_up(f"http://127.0.0.1:{rasa_port}/", rasa, rasa_log)
        yield Assistant(f"http://127.0.0.1:{rasa_port}", token, tracker_db)
    finally:
        stop(rasa)
        stop(actions)
