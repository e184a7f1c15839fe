"""Bad input on every public channel: no 5xx, no crash, nothing stored it should not.

The cases are in tests/fuzz/cases.py (the load harness runs them behind nginx too);
socket.io over a real WebSocket.
"""

from __future__ import annotations

import pytest
import requests

from tests.fuzz.cases import (
    check_flood,
    check_frame,
    check_rest,
    check_socketio,
    check_wechat,
    frame_cases,
    rest_cases,
    socketio_cases,
    wechat_cases,
)
from tests.fuzz.conftest import WECHAT_TOKEN


@pytest.mark.parametrize("case", rest_cases(), ids=lambda c: c.name)
def test_rest_bad_input_is_refused_or_stored_as_a_visitor_would_expect(
    assistant, log, case
):
    assert check_rest(assistant.url, log, case, hash(case.name)) == []


@pytest.mark.parametrize("case", wechat_cases(), ids=lambda c: c.name)
def test_wechat_bad_input_is_refused_or_stored_as_a_visitor_would_expect(
    assistant, log, case
):
    url = f"{assistant.url}/webhooks/wechat/webhook"
    assert check_wechat(url, WECHAT_TOKEN, log, case, abs(hash(case.name))) == []


@pytest.mark.parametrize("case", socketio_cases(), ids=lambda c: c.name)
def test_socketio_bad_input_is_refused_or_stored_as_a_visitor_would_expect(
    assistant, log, case
):
    assert check_socketio(assistant.url, log, case) == []


@pytest.mark.parametrize("case", frame_cases(), ids=lambda c: c.name)
def test_broken_websocket_frames_are_dropped_and_store_nothing(assistant, log, case):
    assert check_frame(assistant.url, log, case) == []


def test_a_flood_on_one_socket_is_answered_in_full_and_others_still_answered(
    assistant, log
):
    assert check_flood(assistant.url, log) == []


def test_the_server_is_still_healthy_after_the_bad_input(assistant):
    assert requests.get(f"{assistant.url}/", timeout=5).ok
    reply = assistant.say("fuzz-after", "does tuina hurt")
    assert reply and reply[0]["text"]
