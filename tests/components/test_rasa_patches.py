"""The action-response check keeps Rasa's behaviour without re-checking the schema."""

from __future__ import annotations

import asyncio

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

    monkeypatch.setattr(rasa_patches, "REFUSED_RETRY_SECONDS", 0.3)
    endpoint = EndpointConfig(f"http://127.0.0.1:{free_port()}/webhook")
    with pytest.raises(aiohttp.ClientConnectorError):
        await endpoint.request(json={}, method="post")


# -- event classes by type name ------------------------------------------------------


def test_every_event_type_resolves_to_rasas_class():
    from rasa.shared.core.events import Event
    from rasa.shared.utils.common import all_subclasses

    for cls in all_subclasses(Event):
        assert Event.resolve_by_type(cls.type_name) is rasa_patches._RESOLVE_BY_TYPE(
            cls.type_name
        )


def test_unknown_types_keep_rasas_answers():
    from rasa.shared.core.events import Event, UserUttered

    with pytest.raises(ValueError, match="Unknown event name"):
        Event.resolve_by_type("no_such_event")
    assert Event.resolve_by_type("topic") is None
    assert Event.resolve_by_type("no_such_event", default=UserUttered) is UserUttered
    assert "no_such_event" not in rasa_patches._EVENT_TYPES


def test_a_type_found_once_is_not_searched_again(monkeypatch):
    from rasa.shared.core.events import Event

    Event.resolve_by_type("action")  # remembered from now on
    monkeypatch.setattr(rasa_patches, "_RESOLVE_BY_TYPE", _fail)
    event = Event.from_parameters({"event": "action", "name": "action_listen"})
    assert event.action_name == "action_listen"


def _fail(*_: object) -> None:
    raise AssertionError("searched Event's subclasses again")


# -- a message's combined sparse features ---------------------------------------------


def test_sparse_features_are_combined_once_until_more_arrive(monkeypatch):
    import numpy as np
    import scipy.sparse
    from rasa.shared.nlu.constants import TEXT
    from rasa.shared.nlu.training_data.features import Features
    from rasa.shared.nlu.training_data.message import Message

    def features(origin: str, columns: int) -> Features:
        matrix = scipy.sparse.coo_matrix(np.ones((1, columns)))
        return Features(matrix, "sentence", TEXT, origin)

    message = Message({TEXT: "tuina"}, features=[features("words", 3)])
    combined = []
    original = rasa_patches._GET_SPARSE_FEATURES
    monkeypatch.setattr(
        rasa_patches,
        "_GET_SPARSE_FEATURES",
        lambda *args: combined.append(1) or original(*args),
    )
    first = message.get_sparse_features(TEXT)
    assert message.get_sparse_features(TEXT) is first and len(combined) == 1
    message.add_features(features("chars", 4))
    _, sentence = message.get_sparse_features(TEXT)
    assert sentence.features.shape == (1, 7) and len(combined) == 2
    assert message.get_sparse_features(TEXT, ["words"])[1].features.shape == (1, 3)


# -- a tracker's dialogue states ------------------------------------------------------


def test_states_are_built_once_per_event_and_handed_out_as_copies(monkeypatch):
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import ActionExecuted, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    domain = Domain.from_dict({"intents": ["greet", "faq"], "actions": ["utter_hi"]})
    tracker = DialogueStateTracker("visitor", domain.slots)
    tracker.update(ActionExecuted("action_listen"))
    tracker.update(UserUttered("hi", {"name": "greet"}))
    built = []
    original = rasa_patches._PAST_STATES
    monkeypatch.setattr(
        rasa_patches, "_PAST_STATES", lambda *a: built.append(1) or original(*a)
    )

    first = tracker.past_states(domain)
    assert first == original(tracker, domain)
    del first[-1]["user"]["intent"]  # as RulePolicy does to match on the text
    assert tracker.past_states(domain) == original(tracker, domain)
    assert len(built) == 1
    tracker.past_states(domain, ignore_rule_only_turns=True)  # other arguments
    assert len(built) == 2

    tracker.update(ActionExecuted("utter_hi"))
    assert tracker.past_states(domain) == original(tracker, domain)
    assert len(built) == 3
