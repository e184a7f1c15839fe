"""The public endpoints' limits and checks, against the real Rasa server."""

from __future__ import annotations

import json
import uuid

import requests

from tests.hardening.conftest import IP_LIMIT, SENDER_LIMIT


def _post(assistant, body, ip, raw=None):
    return requests.post(
        f"{assistant.url}/webhooks/rest/webhook",
        data=raw if raw is not None else json.dumps(body),
        headers={"X-Forwarded-For": ip, "Content-Type": "application/json"},
        timeout=30,
    )


def _sender() -> str:
    return f"hardening-{uuid.uuid4().hex[:12]}"


def _user_events(assistant, sender):
    return [
        e
        for e in assistant.tracker(sender, timeout=30)["events"]
        if e["event"] == "user"
    ]


def test_oversized_body_gets_413_json(assistant, visitor_ip):
    raw = json.dumps({"sender": _sender(), "message": "x" * 100_000})
    response = _post(assistant, None, visitor_ip, raw=raw)
    assert response.status_code == 413
    assert response.json()["error"] == "payload_too_large"


def test_too_long_message_is_refused_in_english(assistant, visitor_ip):
    sender = _sender()
    response = _post(assistant, {"sender": sender, "message": "a" * 1001}, visitor_ip)
    assert response.status_code == 200
    [reply] = response.json()
    assert "too long" in reply["text"] and "1000" in reply["text"]
    assert _user_events(assistant, sender) == []  # never reached the assistant


def test_too_long_message_is_refused_in_chinese(assistant, visitor_ip):
    response = _post(
        assistant, {"sender": _sender(), "message": "推拿" * 501}, visitor_ip
    )
    assert "太长" in response.json()[0]["text"]


def test_message_at_the_limit_is_answered(assistant, visitor_ip):
    text = ("does tuina hurt? " * 60)[:1000]
    response = _post(assistant, {"sender": _sender(), "message": text}, visitor_ip)
    assert response.status_code == 200
    assert "too long" not in response.json()[0]["text"]


def test_sender_over_the_rate_gets_429_with_a_reply(assistant):
    sender = _sender()
    codes = []
    for i in range(SENDER_LIMIT + 1):
        # A new address each time: only the per-sender limit can be reached.
        response = _post(
            assistant, {"sender": sender, "message": "hello"}, f"203.0.113.{i + 1}"
        )
        codes.append(response.status_code)
    assert codes == [200] * SENDER_LIMIT + [429]
    assert "too quickly" in response.json()["message"]
    assert response.headers["Retry-After"] == "60"


def test_address_over_the_rate_gets_429(assistant, visitor_ip):
    codes = [
        _post(
            assistant, {"sender": _sender(), "message": "x" * 1001}, visitor_ip
        ).status_code
        for _ in range(IP_LIMIT + 1)
    ]
    assert codes == [200] * IP_LIMIT + [429]
    # Another address is not affected.
    other = _post(assistant, {"sender": _sender(), "message": "hi"}, "192.0.2.77")
    assert other.status_code == 200


def test_typed_payload_cannot_set_slots_or_pick_the_intent(assistant, visitor_ip):
    sender = _sender()
    typed = '/inform{"phone": "+8613800138000", "visitor_name": "Mallory"}'
    _post(assistant, {"sender": sender, "message": typed}, visitor_ip)
    [event] = _user_events(assistant, sender)
    assert not event["text"].startswith("/")
    assert event["parse_data"]["intent"].get("confidence", 0) < 1.0
    entities = {e["entity"] for e in event["parse_data"]["entities"]}
    assert not entities & {"phone", "visitor_name"}
    slots = assistant.tracker(sender, timeout=30)["slots"]
    assert slots.get("phone") is None and slots.get("visitor_name") is None


def test_button_payload_still_works(assistant, visitor_ip):
    sender = _sender()
    payload = '/book_appointment{"service": "acupuncture"}'
    _post(assistant, {"sender": sender, "message": payload}, visitor_ip)
    [event] = _user_events(assistant, sender)
    assert event["parse_data"]["intent"]["name"] == "book_appointment"
    assert assistant.tracker(sender, timeout=30)["slots"]["service"] == "acupuncture"


def test_payload_not_offered_by_any_button_loses_its_slash(assistant, visitor_ip):
    sender = _sender()
    _post(assistant, {"sender": sender, "message": "/restart"}, visitor_ip)
    [event] = _user_events(assistant, sender)
    assert event["text"] == "restart"


def test_malformed_requests_get_400_json_without_internals(assistant, visitor_ip):
    bodies = [
        "{not json",
        json.dumps([1, 2]),
        json.dumps({"sender": 5, "message": "hi"}),
        json.dumps({"sender": "a" * 1000, "message": "hi"}),
        json.dumps({"sender": "x", "message": {"$gt": ""}}),
    ]
    for raw in bodies:
        response = _post(assistant, None, visitor_ip, raw=raw)
        assert response.status_code == 400, raw
        assert response.json()["error"] == "bad_request"
        assert "Traceback" not in response.text and ".py" not in response.text


def test_unknown_route_answers_json(assistant):
    response = requests.get(f"{assistant.url}/webhooks/nothing/here", timeout=10)
    assert response.status_code == 404
    assert response.json()["status"] == 404


def test_http_api_needs_the_token(assistant):
    for path in ["/status", "/conversations/someone/tracker", "/domain"]:
        assert requests.get(assistant.url + path, timeout=10).status_code == 401
        wrong = requests.get(
            assistant.url + path, params={"token": "wrong"}, timeout=10
        )
        assert wrong.status_code == 401
    ok = requests.get(
        f"{assistant.url}/status", params={"token": assistant.token}, timeout=10
    )
    assert ok.status_code == 200


def test_action_server_refuses_calls_without_the_token(assistant):
    call = {"next_action": "action_submit_booking", "sender_id": "x", "tracker": {}}
    for headers in [{}, {"Authorization": "Bearer wrong"}]:
        response = requests.post(
            f"{assistant.actions_url}/webhook", json=call, headers=headers, timeout=10
        )
        assert response.status_code == 401
    assert (
        requests.get(f"{assistant.actions_url}/actions", timeout=10).status_code == 401
    )
    assert requests.get(f"{assistant.actions_url}/health", timeout=10).ok


def test_other_sites_get_no_cors_permission(assistant, visitor_ip):
    # A page on another site may not call the REST channel or the API from a browser.
    origin = {"Origin": "https://evil.example", "X-Forwarded-For": visitor_ip}
    for path in ("/webhooks/rest/webhook", "/status", "/conversations/x/tracker"):
        preflight = requests.options(
            assistant.url + path,
            headers={**origin, "Access-Control-Request-Method": "POST"},
            timeout=10,
        )
        assert "access-control-allow-origin" not in preflight.headers, path
    answer = requests.post(
        assistant.url + "/webhooks/rest/webhook",
        json={"sender": uuid.uuid4().hex, "message": "hi"},
        headers=origin,
        timeout=30,
    )
    assert answer.status_code == 200
    assert "access-control-allow-origin" not in answer.headers
