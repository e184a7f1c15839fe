"""Action server responses are checked as Rasa does (schema once); refusals retried."""

from __future__ import annotations

import asyncio

import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction
from rasa.utils.endpoints import EndpointConfig

from rasa_patches import action_server


@pytest.fixture
def action() -> RemoteAction:
    return RemoteAction("validate_booking_form", EndpointConfig("http://127.0.0.1:1"))


def test_rasa_uses_the_patched_check(action):
    assert RemoteAction._validate_action_result is action_server.validate_action_result


def test_valid_responses_pass(action):
    result = {
        "events": [{"event": "slot", "name": "clinic", "value": "minhang"}],
        "responses": [{"response": "utter_ask_booking_form_phone"}],
    }
    assert action._validate_action_result(result) is True
    assert action._validate_action_result({"events": [], "responses": []}) is True


def test_invalid_responses_raise_rasas_error(action):
    with pytest.raises(ValidationError) as raised:
        action._validate_action_result({"events": [{"event": "no_such_event"}]})
    assert "Failed to validate Action server response" in raised.value.message
    with pytest.raises(ValidationError):
        action._validate_action_result({"responses": "not a list"})


def test_the_schema_is_not_checked_again_on_each_response(action, monkeypatch):
    def fail(*_: object) -> None:
        raise AssertionError("check_schema called for a response")

    monkeypatch.setattr(type(action_server._VALIDATOR), "check_schema", fail)
    assert action._validate_action_result({"events": [], "responses": []}) is True


async def test_a_refused_action_server_call_is_sent_again_until_it_listens():
    from aiohttp import web

    from scripts.servers import free_port

    port = free_port()
    app = web.Application()

    async def webhook(_: web.Request) -> web.Response:
        return web.json_response({"events": [], "responses": []})

    app.router.add_post("/webhook", webhook)
    runner = web.AppRunner(app)
    await runner.setup()

    async def listen_later() -> None:
        await asyncio.sleep(0.6)  # the action server is restarting
        await web.TCPSite(runner, "127.0.0.1", port).start()

    starting = asyncio.create_task(listen_later())
    try:
        endpoint = EndpointConfig(f"http://127.0.0.1:{port}/webhook")
        assert await endpoint.request(json={}, method="post") == {
            "events": [],
            "responses": [],
        }
    finally:
        await starting
        await runner.cleanup()


async def test_an_action_server_that_stays_down_still_fails(monkeypatch):
    import aiohttp

    from scripts.servers import free_port

    monkeypatch.setattr(action_server, "REFUSED_RETRY_SECONDS", 0.3)
    endpoint = EndpointConfig(f"http://127.0.0.1:{free_port()}/webhook")
    with pytest.raises(aiohttp.ClientConnectorError):
        await endpoint.request(json={}, method="post")
