"""Starts the real servers (trained model, REST channel) and a fake booking system."""

from __future__ import annotations

import secrets
from typing import Iterator

import pytest

from scripts.servers import ROOT, Assistant, ServerError, running_assistant
from tests.fakes.booking_system import FakeBookingSystem

MODEL = ROOT / "models" / "clinic.tar.gz"


@pytest.fixture(scope="session")
def booking_system() -> Iterator[FakeBookingSystem]:
    """The clinic's booking system, faked as a real HTTPS server on loopback."""
    with FakeBookingSystem(secret=secrets.token_hex(16)) as fake:
        yield fake


@pytest.fixture(scope="session")
def assistant(tmp_path_factory, booking_system) -> Iterator[Assistant]:
    """The Rasa server, action server and booking relay, with their own SQLite files."""
    if not MODEL.exists():
        pytest.fail(f"{MODEL} is missing: run `make train` (make e2e does) first.")
    booking_env = {
        "BOOKING_WEBHOOK_URL": booking_system.url,
        "BOOKING_WEBHOOK_SECRET": booking_system.secret,
        "BOOKING_WEBHOOK_CA_BUNDLE": str(booking_system.ca_path),
    }
    try:
        with running_assistant(
            MODEL, tmp_path_factory.mktemp("servers"), booking_env=booking_env
        ) as running:
            yield running
    except ServerError as error:
        pytest.fail(str(error))
