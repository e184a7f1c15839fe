"""One real Rasa server (REST, socket.io and WeChat in plaintext mode) for the fuzz."""

from __future__ import annotations

import secrets
from typing import Iterator

import pytest

from scripts.servers import ROOT, Assistant, ServerError, running_assistant
from tests.fuzz.cases import EventLog, sqlite_events

MODEL = ROOT / "models" / "clinic.tar.gz"
WECHAT_TOKEN = "fuzz-" + secrets.token_hex(6)


@pytest.fixture(scope="session")
def assistant(tmp_path_factory) -> Iterator[Assistant]:
    """The servers, with WeChat on and each request at its own address."""
    if not MODEL.exists():
        pytest.fail(f"{MODEL} is missing: run `make train` first.")
    env = {
        "WECHAT_TOKEN": WECHAT_TOKEN,
        "WECHAT_MODE": "passive",
        "SANIC_PROXIES_COUNT": "1",
        "GUARD_SENDER_RATE": "600/60",
        "GUARD_IP_RATE": "600/60",
    }
    try:
        with running_assistant(
            MODEL, tmp_path_factory.mktemp("fuzz"), extra_env=env
        ) as running:
            yield running
    except ServerError as error:
        pytest.fail(str(error))


@pytest.fixture
def log(assistant) -> EventLog:
    """The tracker store's events from now on."""
    return EventLog(sqlite_events(str(assistant.tracker_db)))
