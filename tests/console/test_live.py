"""The Live queue (console/pages/live.py): presence, one claim per conversation, idle.

A real `python -m console` on a small store; no Rasa server (its replies are not
needed to test who may do what; tests/console/browser/test_live.py has the whole).
"""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta, timezone
from types import SimpleNamespace

import pytest

from booking.outbox import Outbox
from console.accounts import save_account
from console.db import ConsoleStore
from console.pages.live import canned_replies, end_idle, latest_slots
from handover.settings import handover_settings
from handover.store import ENDED, HandoverStore
from scripts.seed_console import seed_conversations
from scripts.servers import free_port, running_console
from tests.console.test_app import PASSWORD, form_token, signed_in

ROLES = {"rita": "reception", "luke": "reception", "eddie": "editor", "ada": "admin"}


@pytest.fixture(scope="module")
def console(tmp_path_factory):
    work = tmp_path_factory.mktemp("console-live")
    outbox_path = work / "bookings.db"
    seed_conversations(f"sqlite:///{work / 'tracker.db'}", 3)
    with Outbox(outbox_path) as outbox:
        store = ConsoleStore(outbox)
        for name, role in ROLES.items():
            save_account(store, name, role, PASSWORD)
    with running_console(
        work / "tracker.db",
        outbox_path,
        work,
        "live tests",
        {
            "HANDOVER_RASA_URL": f"http://127.0.0.1:{free_port()}",  # nobody there
            "HANDOVER_TOKEN": "live tests",
        },
    ) as url:
        yield url, outbox_path


def test_canned_replies_are_in_the_visitors_language():
    english, chinese = canned_replies("en"), canned_replies("zh")
    assert "6345 5101 ext. 223" in english["phones"]
    assert "South Xizang Road" in english["addresses"]
    assert "转 223" in chinese["phones"] and "西藏南路" in chinese["addresses"]


def test_the_booking_form_is_filled_with_the_latest_slot_values():
    events = [
        {"event": "slot", "name": "service", "value": "tuina"},
        {"event": "slot", "name": "clinic", "value": "minhang"},
        {"event": "slot", "name": "service", "value": "cupping"},
        {"event": "slot", "name": "phone", "value": None},
    ]
    values = latest_slots(events)
    assert values["service"] == "cupping" and values["clinic"] == "minhang"
    assert values["phone"] == "" and values["visitor_name"] == ""


def test_the_live_page_counts_as_online_and_signing_out_ends_it(console):
    base, outbox_path = console
    session = signed_in(base, "rita")
    assert session.get(f"{base}/live/queue", timeout=10).status_code == 200
    with Outbox(outbox_path) as outbox:
        store = HandoverStore(outbox)
        since = datetime.now(timezone.utc) - timedelta(seconds=60)
        assert "rita" in store.online(since)
        page = session.get(f"{base}/live", timeout=10).text
        session.post(f"{base}/logout", data={"csrf": form_token(page)}, timeout=10)
        assert "rita" not in store.online(since)


def test_one_person_claims_a_conversation_and_the_others_see_who(console):
    base, outbox_path = console
    with Outbox(outbox_path) as outbox:
        HandoverStore(outbox).open("visitor-1", "webchat", "en", "asked")
    luke, rita = signed_in(base, "luke"), signed_in(base, "rita")
    queue = rita.get(f"{base}/live/queue", timeout=10).text
    assert 'data-sender="visitor-1"' in queue and "Take it" in queue

    page = luke.get(f"{base}/live", timeout=10).text
    taken = luke.post(
        f"{base}/live/claim",
        data={"csrf": form_token(page), "id": "visitor-1"},
        timeout=10,
    )
    assert taken.url.endswith("/live/view?id=visitor-1")
    assert 'id="reply-form"' in taken.text

    page = rita.get(f"{base}/live", timeout=10).text
    late = rita.post(
        f"{base}/live/claim",
        data={"csrf": form_token(page), "id": "visitor-1"},
        timeout=10,
    )
    assert late.url.endswith("/live")
    assert "With luke" in rita.get(f"{base}/live/queue", timeout=10).text
    # Not hers: no reply form, and a forged reply or hand-back does nothing.
    view = rita.get(f"{base}/live/view?id=visitor-1", timeout=10).text
    assert 'id="reply-form"' not in view
    rita.post(
        f"{base}/live/end",
        data={"csrf": form_token(page), "id": "visitor-1"},
        timeout=10,
    )
    with Outbox(outbox_path) as outbox:
        assert HandoverStore(outbox).get("visitor-1").claimed_by == "luke"


def test_an_editor_may_not_take_conversations(console):
    base, _ = console
    eddie = signed_in(base, "eddie")
    assert eddie.get(f"{base}/live", timeout=10).status_code == 403
    page = eddie.get(f"{base}/requests", timeout=10).text
    refused = eddie.post(
        f"{base}/live/claim", data={"csrf": form_token(page), "id": "x"}, timeout=10
    )
    assert refused.status_code == 403


def test_an_idle_hand_over_goes_back_even_when_rasa_is_unreachable(tmp_path):
    with Outbox(tmp_path / "bookings.db") as outbox:
        store = HandoverStore(outbox)
        old = datetime.now(timezone.utc) - timedelta(minutes=30)
        store.open("quiet", "webchat", "en", "asked", old)
        store.open("busy", "webchat", "en", "asked")
        settings = handover_settings({"HANDOVER_RASA_URL": f"http://127.0.0.1:{1}"})
        app = SimpleNamespace(
            ctx=SimpleNamespace(handover=store, handover_settings=settings)
        )
        assert asyncio.run(end_idle(app)) == 1
        assert store.get("quiet").status == ENDED
        assert store.get("busy").status != ENDED
