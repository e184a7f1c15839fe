"""One real Rasa server (REST, socket.io and WeChat in plaintext mode) for the fuzz."""

from __future__ import annotations

import secrets
from typing import Iterator

import pytest

from scripts.servers import Assistant
from tests.assistant import started_assistant
from tests.fuzz.cases import EventLog, sqlite_events

WECHAT_TOKEN = "fuzz-" + secrets.token_hex(6)


@pytest.fixture(scope="session")
def assistant(tmp_path_factory) -> Iterator[Assistant]:
    """The servers, with WeChat on and each request at its own address."""
    env = {
        "WECHAT_TOKEN": WECHAT_TOKEN,
        "WECHAT_MODE": "passive",
        "SANIC_PROXIES_COUNT": "1",
        "GUARD_SENDER_RATE": "600/60",
        "GUARD_IP_RATE": "600/60",
    }
    with started_assistant(tmp_path_factory.mktemp("fuzz"), extra_env=env) as running:
        yield running


@pytest.fixture
def log(assistant) -> EventLog:
    """The tracker store's events from now on."""
    return EventLog(sqlite_events(str(assistant.tracker_db)))
