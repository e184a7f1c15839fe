"""A visitor's data found by sender, phone or reference; exported in full; deleted."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from handover.store import HandoverStore
from privacy.visitors import delete_visitor, export_visitor, find_visitor
from stores.conversations import connect, sender_events
from tests.booking.conftest import outbox_env
from tests.conftest import ROOT
from tests.privacy.conftest import conversation

PHONE = "+8613812345678"


def request_payload(phone: str = PHONE, name: str = "Anna Li") -> dict:
    return {"service": "tuina", "name": name, "phone": phone, "language": "en"}


@pytest.fixture
async def kept(stores):
    """Two visitors: Anna (two conversations, two requests) and Bob (one of each)."""
    for sender, texts in [
        ("anna-widget", ["book tuina", "Anna Li", "138 1234 5678"]),
        ("anna-wechat", ["my number is 138-1234-5678, call me"]),  # no request
        ("bob", ["book cupping", "Bob", "139 1234 5678"]),
    ]:
        await stores.tracker_store.save(conversation(sender, texts))
    anna = stores.outbox.submit("booking", "anna-widget", request_payload())
    callback = stores.outbox.submit("callback", "anna-widget", {"phone": PHONE})
    bob = stores.outbox.submit(
        "booking", "bob", request_payload("+8613912345678", "Bob")
    )
    return stores, anna, callback, bob


async def test_a_phone_number_finds_every_conversation_and_request_that_gave_it(kept):
    stores, anna, callback, _ = kept
    visitor = find_visitor(stores.outbox, stores.tracker_url, phone="138 1234 5678")
    assert visitor.conversation_ids == {"anna-widget", "anna-wechat"}
    assert [r.reference for r in visitor.requests] == [
        anna.reference,
        callback.reference,
    ]


async def test_a_reference_finds_the_conversation_and_its_other_requests(kept):
    stores, anna, callback, _ = kept
    visitor = find_visitor(stores.outbox, stores.tracker_url, reference=anna.reference)
    assert visitor.conversation_ids == {"anna-widget"}
    assert {r.reference for r in visitor.requests} == {
        anna.reference,
        callback.reference,
    }


async def test_the_export_holds_the_requests_and_every_event_in_full(kept):
    stores, anna, _, _ = kept
    visitor = find_visitor(stores.outbox, stores.tracker_url, phone=PHONE)
    data = json.loads(json.dumps(export_visitor(visitor, stores.tracker_url)))
    assert data["requests"][0]["details"]["phone"] == PHONE
    assert data["requests"][0]["reference"] == anna.reference
    texts = [e.get("text") for e in data["conversations"]["anna-widget"]]
    assert "Anna Li" in texts and "reply to Anna Li" in texts
    assert set(data["conversations"]) == {"anna-widget", "anna-wechat"}
    assert "bob" not in json.dumps(data)


async def test_deleting_removes_the_visitors_events_and_requests_only(kept):
    stores, _, _, bob = kept
    handovers = HandoverStore(stores.outbox)
    for sender in ("anna-widget", "bob"):
        handovers.open(sender, "webchat", "en", "asked")
    visitor = find_visitor(stores.outbox, stores.tracker_url, phone=PHONE)
    deleted = delete_visitor(visitor, stores.outbox, stores.tracker_url)
    # Their hand-over (who had the conversation in the console) goes too.
    assert handovers.get("anna-widget") is None and handovers.get("bob") is not None
    assert deleted["requests"] == 2 and deleted["conversations"] == 2
    with connect(stores.tracker_url) as connection:
        assert sender_events(connection, "anna-widget") == []
        assert sender_events(connection, "anna-wechat") == []
        assert len(sender_events(connection, "bob")) > 3
    assert [r.reference for r in stores.outbox.requests()] == [bob.reference]
    assert await stores.tracker_store.retrieve("anna-widget") is None


async def test_a_wrong_phone_number_is_refused_with_what_to_fix(stores):
    with pytest.raises(ValueError, match="not a phone number"):
        find_visitor(stores.outbox, stores.tracker_url, phone="12")


async def test_staff_delete_and_export_from_the_command_line(kept, tmp_path):
    stores, anna, _, bob = kept
    env = {**os.environ, **outbox_env(stores.outbox_location)}
    out = tmp_path / "anna.json"

    def privacy(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(  # noqa: S603 - the project's own command
            [sys.executable, "-m", "privacy", "--db", stores.tracker_url, *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )

    exported = privacy("export", "--reference", anna.reference, "--output", str(out))
    assert exported.returncode == 0, exported.stderr
    assert oct(out.stat().st_mode & 0o777) == "0o600"
    assert json.loads(out.read_text())["requests"][0]["details"]["name"] == "Anna Li"
    assert PHONE not in exported.stdout  # the terminal shows no personal data

    deleted = privacy("delete", "--phone", "138 1234 5678", "--yes")
    assert deleted.returncode == 0, deleted.stderr
    assert "Deleted 2 request(s)" in deleted.stdout
    assert "13812345678" not in deleted.stdout and "Anna" not in deleted.stdout
    assert [r.reference for r in stores.outbox.requests()] == [bob.reference]

    nobody = privacy("delete")
    assert nobody.returncode == 2 and "--phone" in nobody.stderr
