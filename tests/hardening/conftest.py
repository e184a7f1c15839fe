"""The real servers with low limits, so the hardening tests reach them quickly."""

from __future__ import annotations

import uuid
from typing import Iterator

import pytest

from scripts.servers import Assistant
from tests.assistant import started_assistant

SENDER_LIMIT = 5
IP_LIMIT = 12
SOCKET_LIMIT = 3

LIMITS = {
    "GUARD_SENDER_RATE": f"{SENDER_LIMIT}/60",
    "GUARD_IP_RATE": f"{IP_LIMIT}/60",
    "GUARD_MAX_CHARS": "1000",
    "GUARD_MAX_BODY_BYTES": "65536",
    "GUARD_IP_SOCKETS": str(SOCKET_LIMIT),
    # Each test plays a visitor at its own address (X-Forwarded-For), as behind nginx.
    "SANIC_PROXIES_COUNT": "1",
}


@pytest.fixture(scope="session")
def assistant(tmp_path_factory) -> Iterator[Assistant]:
    """The Rasa server, action server and relay, with the limits above."""
    with started_assistant(
        tmp_path_factory.mktemp("hardening"), extra_env=LIMITS
    ) as running:
        yield running


@pytest.fixture
def visitor_ip() -> str:
    """A fresh client address (documentation range), so per-IP counts start at 0."""
    n = uuid.uuid4().int
    return f"198.51.{n % 250}.{(n >> 8) % 250 + 1}"
