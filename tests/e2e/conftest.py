"""Starts the real servers (trained model, REST channel) and a fake booking system."""

from __future__ import annotations

import secrets
from typing import Iterator

import pytest

from scripts.servers import Assistant
from tests.assistant import started_assistant
from tests.fakes.booking_system import FakeBookingSystem


@pytest.fixture(scope="session")
def booking_system() -> Iterator[FakeBookingSystem]:
    """The clinic's booking system, faked as a real HTTPS server on loopback."""
    with FakeBookingSystem(secret=secrets.token_hex(16)) as fake:
        yield fake


@pytest.fixture(scope="session")
def assistant(tmp_path_factory, booking_system) -> Iterator[Assistant]:
    """The Rasa server, action server and booking relay, with their own SQLite files."""
    booking_env = {
        "BOOKING_WEBHOOK_URL": booking_system.url,
        "BOOKING_WEBHOOK_SECRET": booking_system.secret,
        "BOOKING_WEBHOOK_CA_BUNDLE": str(booking_system.ca_path),
    }
    with started_assistant(
        tmp_path_factory.mktemp("servers"), booking_env=booking_env
    ) as running:
        yield running
