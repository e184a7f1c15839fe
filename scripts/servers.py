"""Starts the project's real action server and Rasa server on free loopback ports.

Used by the end-to-end tests and the benchmark, so both measure what `make run` runs.
"""

from __future__ import annotations

import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Dict, Iterator, List

import requests

ROOT = Path(__file__).resolve().parents[1]
RASA = str(Path(sys.executable).with_name("rasa"))


class ServerError(RuntimeError):
    """A server exited or did not answer in time; the message has its log's tail."""


@dataclass
class Assistant:
    """The running servers, and how to talk to them."""

    url: str
    token: str
    tracker_db: Path
    outbox: Path
    seconds_to_ready: float
    # Stop and start the Rasa server alone (same port, same files): the browser tests
    # take it away and bring it back.
    stop_rasa: Callable[[], None] | None = None
    start_rasa: Callable[[], None] | None = None
    actions_url: str = ""

    def say(self, sender: str, text: str, metadata: dict | None = None) -> List[dict]:
        """Sends one message through the REST channel and returns the bot's messages."""
        body = {"sender": sender, "message": text, "metadata": metadata or {}}
        response = requests.post(
            f"{self.url}/webhooks/rest/webhook", json=body, timeout=30
        )
        response.raise_for_status()
        return response.json()

    def tracker(self, sender: str, timeout: float = 10) -> dict:
        """The conversation's tracker, read with the HTTP API's token."""
        response = requests.get(
            f"{self.url}/conversations/{sender}/tracker",
            params={"token": self.token},
            timeout=timeout,
        )
        response.raise_for_status()
        return response.json()


def credentials_env(credentials: Path) -> Dict[str, str]:
    """Every ${NAME} the credentials file uses, from the environment or empty.

    Rasa refuses to start when one is unset; empty ones mean "not configured".
    """
    lines = credentials.read_text(encoding="utf-8").splitlines()
    text = "\n".join(line for line in lines if not line.lstrip().startswith("#"))
    return {name: os.environ.get(name, "") for name in re.findall(r"\$\{(\w+)\}", text)}


def free_port() -> int:
    """Returns a TCP port that is free on 127.0.0.1."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_process(
    command: List[str], log: Path, env: Dict[str, str]
) -> subprocess.Popen:
    """Starts `command` in the repository, in its own process group, logging to `log`.

    The log is appended to, so a server restarted on the same files keeps its history.
    """
    return subprocess.Popen(
        command,
        cwd=ROOT,
        env={**os.environ, **env},
        stdout=log.open("a"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def stop_process(process: subprocess.Popen) -> None:
    """Stops the process and its group: SIGTERM, then SIGKILL after 20 s."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def wait_until_up(
    url: str, process: subprocess.Popen, log: Path, timeout: float
) -> None:
    """Waits until `url` answers 2xx (or raises ServerError with the log's tail)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise ServerError(
                f"{url} exited with {process.returncode}:\n{log.read_text()[-3000:]}"
            )
        try:
            if requests.get(url, timeout=2).ok:
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.2)
    raise ServerError(
        f"{url} did not come up in {timeout:.0f} s:\n{log.read_text()[-3000:]}"
    )


@contextmanager
def running_assistant(
    model: Path,
    workdir: Path,
    timeout: float = 180,
    sqlite: bool = True,
    booking_env: Dict[str, str] | None = None,
    webchat_origins: str = "",
    credentials: Path | None = None,
    extra_env: Dict[str, str] | None = None,
    stores: str | None = None,
) -> Iterator[Assistant]:
    """Runs both servers and the booking relay, with their own files in `workdir`.

    The SQLite tracker store (unless `sqlite` is false) and the booking outbox live in
    `workdir`; `booking_env` configures the relay (BOOKING_WEBHOOK_URL, ...);
    `webchat_origins` the pages that may open the widget's connection (empty: loopback);
    `credentials` another credentials file and `extra_env` its variables (WECHAT_*,
    DB_*, ...); `stores` the endpoints' tracker_store / lock_store blocks (YAML, may use
    ${NAME}s from `extra_env`) in place of the SQLite store.
    """
    credentials = credentials or ROOT / "credentials.yml"
    actions_port, rasa_port = free_port(), free_port()
    tracker_db, outbox = workdir / "tracker.db", workdir / "bookings.db"
    env = {
        **credentials_env(credentials),
        "TF_CPP_MIN_LOG_LEVEL": "2",
        "RASA_TELEMETRY_ENABLED": "false",
        "BOOKING_OUTBOX_PATH": str(outbox),
        "WEBCHAT_ALLOWED_ORIGINS": webchat_origins,
        **(booking_env or {}),
        **(extra_env or {}),
    }
    endpoints = workdir / "endpoints.yml"
    # The store endpoints.yml uses (stores/tracker_store.py), in workdir.
    tracker_store = (
        "tracker_store:\n  type: stores.tracker_store.StrictSQLTrackerStore\n"
        f'  dialect: "sqlite"\n  db: "{tracker_db}"\n'
        if sqlite
        else ""
    )
    if stores is not None:
        tracker_store = stores
    # The action server refuses calls without this secret (actions/server.py).
    env["ACTION_SERVER_TOKEN"] = secrets.token_hex(16)
    env["ACTIONS_PORT"] = str(actions_port)
    endpoints.write_text(
        f'action_endpoint:\n  url: "http://127.0.0.1:{actions_port}/webhook"\n'
        "  headers:\n    Authorization: Bearer ${ACTION_SERVER_TOKEN}\n" + tracker_store
    )
    token = secrets.token_hex(16)
    # channels/http_guard.py refuses the HTTP API without it, whatever the flags say.
    env["RASA_AUTH_TOKEN"] = token
    actions_log, rasa_log = workdir / "actions.log", workdir / "rasa.log"
    relay_log = workdir / "relay.log"
    started = time.monotonic()
    actions = start_process([sys.executable, "-m", "actions.server"], actions_log, env)
    relay = start_process([sys.executable, "-m", "booking.relay"], relay_log, env)
    rasa_command = [
        RASA, "run", "--model", str(model), "--port", str(rasa_port),
        "--interface", "127.0.0.1", "--enable-api", f"--auth-token={token}",
        "--endpoints", str(endpoints), "--credentials", str(credentials),
    ]  # fmt: skip
    rasa = start_process(rasa_command, rasa_log, env)

    def stop_rasa() -> None:
        stop_process(rasa)

    def start_rasa() -> None:
        nonlocal rasa
        rasa = start_process(rasa_command, rasa_log, env)
        wait_until_up(f"http://127.0.0.1:{rasa_port}/", rasa, rasa_log, timeout)

    try:
        wait_until_up(
            f"http://127.0.0.1:{actions_port}/health", actions, actions_log, timeout
        )
        wait_until_up(f"http://127.0.0.1:{rasa_port}/", rasa, rasa_log, timeout)
        if relay.poll() is not None:
            raise ServerError(f"the relay exited:\n{relay_log.read_text()[-3000:]}")
        url = f"http://127.0.0.1:{rasa_port}"
        yield Assistant(
            url,
            token,
            tracker_db,
            outbox,
            time.monotonic() - started,
            stop_rasa=stop_rasa,
            start_rasa=start_rasa,
            actions_url=f"http://127.0.0.1:{actions_port}",
        )
    finally:
        stop_process(rasa)
        stop_process(relay)
        stop_process(actions)


@contextmanager
def running_console(
    tracker_db: Path,
    outbox: Path,
    workdir: Path,
    secret: str,
    settings: Dict[str, str] | None = None,
) -> Iterator[str]:
    """`python -m console` on a SQLite tracker store and outbox; yields its URL.

    It listens on a free loopback port and logs to `workdir`/console.log; `settings`
    are more environment variables (HANDOVER_RASA_URL, ...). Raises ServerError when it
    does not come up.
    """
    port = free_port()
    env = {
        "CONSOLE_PORT": str(port),
        "CONSOLE_SECRET_KEY": secret,
        "CONSOLE_TRACKER_URL": f"sqlite:///{tracker_db}",
        "BOOKING_OUTBOX_PATH": str(outbox),
        **(settings or {}),
    }
    log = workdir / "console.log"
    process = start_process([sys.executable, "-m", "console"], log, env)
    try:
        url = f"http://127.0.0.1:{port}"
        wait_until_up(f"{url}/health", process, log, 60)
        yield url
    finally:
        stop_process(process)
