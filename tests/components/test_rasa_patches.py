"""The action-response check keeps Rasa's behaviour without re-checking the schema."""

from __future__ import annotations

import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction
from rasa.utils.endpoints import EndpointConfig

from components import rasa_patches


@pytest.fixture
def action() -> RemoteAction:
    return RemoteAction("validate_booking_form", EndpointConfig("http://127.0.0.1:1"))


def test_rasa_uses_the_patched_check(action):
    assert RemoteAction._validate_action_result is rasa_patches.validate_action_result


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

    monkeypatch.setattr(type(rasa_patches._VALIDATOR), "check_schema", fail)
    assert action._validate_action_result({"events": [], "responses": []}) is True
