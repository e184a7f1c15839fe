"""The hand-over table (handover/store.py) on SQLite and (marked) PostgreSQL."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Iterator

import pytest

from booking.outbox import Outbox
from handover.store import ENDED, LIVE, WAITING, HandoverStore
from tests.conftest import new_database

T0 = datetime(2026, 12, 5, 6, 0, tzinfo=timezone.utc)


@pytest.fixture(
    params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[HandoverStore]:
    if request.param == "sqlite":
        with Outbox(tmp_path / "outbox.db") as outbox:
            yield HandoverStore(outbox)
        return
    server = request.getfixturevalue("postgres_server")
    with new_database(server, "handover") as url, Outbox(url) as outbox:
        yield HandoverStore(outbox)


def test_a_request_waits_in_the_queue_once(store):
    assert store.open("v1", "webchat", "zh", "asked", T0)
    assert not store.open("v1", "webchat", "zh", "asked", T0)
    (waiting,) = store.queue()
    assert (waiting.sender_id, waiting.status, waiting.language) == (
        "v1",
        WAITING,
        "zh",
    )
    assert waiting.started_at == T0


def test_one_person_claims_a_conversation_and_others_see_who(store):
    store.open("v1", "webchat", "en", "asked", T0)
    assert store.claim("v1", "rita", T0)
    assert not store.claim("v1", "luke", T0)
    assert store.claim("v1", "rita", T0)  # taking it again is harmless
    handover = store.get("v1")
    assert (handover.status, handover.claimed_by) == (LIVE, "rita")


def test_the_queue_lists_waiting_ones_first(store):
    store.open("old", "webchat", "en", "asked", T0)
    store.open("new", "wechat", "zh", "not_understood", T0 + timedelta(minutes=1))
    store.claim("old", "rita", T0)
    assert [h.sender_id for h in store.queue()] == ["new", "old"]


def test_a_hand_over_ends_once_and_can_be_asked_for_again(store):
    store.open("v1", "webchat", "en", "asked", T0)
    store.claim("v1", "rita", T0)
    assert store.end("v1", T0 + timedelta(minutes=2))
    assert not store.end("v1", T0 + timedelta(minutes=3))
    assert store.get("v1").status == ENDED
    assert store.queue() == []
    assert store.open("v1", "webchat", "en", "asked", T0 + timedelta(minutes=5))
    again = store.get("v1")
    assert (again.status, again.claimed_by, again.ended_at) == (WAITING, "", None)


def test_staff_messages_count_up_so_servers_know_to_deliver(store):
    store.open("v1", "webchat", "en", "asked", T0)
    before = store.get("v1").staff_seq
    store.staff_said("v1", T0 + timedelta(seconds=5))
    after = store.get("v1")
    assert after.staff_seq == before + 1
    assert after.last_activity == T0 + timedelta(seconds=5)


def test_ended_hand_overs_stay_in_view_briefly_for_their_last_words(store):
    store.open("v1", "webchat", "en", "asked", T0)
    store.end("v1", T0 + timedelta(minutes=1))
    assert [h.sender_id for h in store.changed_since(T0)] == ["v1"]
    assert store.changed_since(T0 + timedelta(minutes=2)) == []


def test_ended_hand_overs_are_forgotten_after_a_while(store):
    store.open("old", "webchat", "en", "asked", T0)
    store.end("old", T0)
    store.open("open", "webchat", "en", "asked", T0)
    assert store.forget_ended(T0 + timedelta(days=1)) == 1
    assert store.get("old") is None and store.get("open") is not None


def test_idle_hand_overs_are_found_by_their_last_message(store):
    store.open("quiet", "webchat", "en", "asked", T0)
    store.open("busy", "webchat", "en", "asked", T0)
    store.visitor_said("busy", T0 + timedelta(minutes=9))
    idle = store.idle(T0 + timedelta(minutes=5))
    assert [h.sender_id for h in idle] == ["quiet"]


def test_typing_is_recorded_only_during_a_hand_over(store):
    store.open("v1", "webchat", "en", "asked", T0)
    store.visitor_typing("v1", T0 + timedelta(seconds=3))
    assert store.get("v1").visitor_typing_at == T0 + timedelta(seconds=3)
    store.end("v1", T0 + timedelta(seconds=4))
    store.visitor_typing("v1", T0 + timedelta(seconds=9))
    assert store.get("v1").visitor_typing_at == T0 + timedelta(seconds=3)


def test_presence_is_who_had_the_live_page_open_lately(store):
    store.seen("rita", T0)
    store.seen("luke", T0 - timedelta(minutes=5))
    assert store.online(T0 - timedelta(seconds=60)) == ["rita"]
    store.gone("rita")
    assert store.online(T0 - timedelta(seconds=60)) == []
