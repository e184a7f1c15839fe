"""The booking form's validation, summary, submission and cancellation."""

from __future__ import annotations

from datetime import timedelta
from typing import Any, Dict, List

import pytest
from rasa.shared.core.domain import Domain
from rasa_sdk import Tracker
from rasa_sdk.events import ActiveLoop, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import booking
from actions.booking import (
    ActionAskRequestConfirmed,
    ActionCancelRequest,
    ActionSubmitBooking,
    ValidateBookingForm,
    describe_time,
)
from actions.consent import ActionAskDataConsent
from actions.preferred_time import PreferredTime
from booking.outbox import Outbox
from privacy.settings import NOTICE_VERSION
from scripts.servers import ROOT
from tests.conftest import new_database


@pytest.fixture(scope="module")
def domain() -> Dict[str, Any]:
    """The domain as the action server receives it."""
    return Domain.load(str(ROOT / "domain.yml")).as_dict()


@pytest.fixture
def outbox_path(tmp_path, monkeypatch):
    """A fresh outbox file for the actions to write to."""
    path = tmp_path / "bookings.db"
    monkeypatch.setenv("BOOKING_OUTBOX_PATH", str(path))
    booking.outbox.cache_clear()
    yield path
    booking.outbox.cache_clear()


CONSENTED = {"data_consent": True, "consent_given_at": "2026-12-05T08:00:00+00:00"}


@pytest.fixture(
    params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def any_outbox(request, tmp_path, monkeypatch):
    """A fresh outbox for the actions: a SQLite file, or a new PostgreSQL database."""
    booking.outbox.cache_clear()
    if request.param == "sqlite":
        monkeypatch.setenv("BOOKING_OUTBOX_PATH", str(tmp_path / "bookings.db"))
        yield tmp_path / "bookings.db"
    else:
        server = request.getfixturevalue("postgres_server")
        with new_database(server, "outbox") as url:
            monkeypatch.setenv("BOOKING_OUTBOX_URL", url)
            yield url
            booking.outbox().close()
    booking.outbox.cache_clear()


def tracker(
    text: str,
    intent: str = "inform",
    requested: str | None = None,
    loop: str = "booking_form",
    **slots: Any,
) -> Tracker:
    """A conversation whose latest message is `text`, classified as `intent`."""
    message = {"text": text, "intent": {"name": intent, "confidence": 1.0}}
    # By the time the name and phone are asked, the visitor has agreed to send them.
    values = {"language": "en", "requested_slot": requested, **CONSENTED, **slots}
    return Tracker(
        "visitor-1", values, message, [], False, None, {"name": loop}, "action_listen"
    )


async def validate(domain, **kwargs) -> tuple[Dict[str, Any], List[str]]:
    """Runs validate_booking_form; returns the slots it sets and the responses said."""
    dispatcher = CollectingDispatcher()
    events = await ValidateBookingForm().run(dispatcher, tracker(**kwargs), domain)
    slots = {e["name"]: e["value"] for e in events if e["event"] == "slot"}
    return slots, [m["response"] for m in dispatcher.messages]


async def test_everything_in_the_first_message_is_taken_at_once(domain):
    slots, said = await validate(
        domain, text="book tuina at Minhang tomorrow at 3pm", intent="book_appointment"
    )
    assert slots["service"] == "tuina"
    assert slots["clinic"] == "minhang"
    assert slots["preferred_time_parsed"]["time"] == "15:00"
    assert "visitor_name" not in slots and "phone" not in slots
    assert said == []


async def test_a_chinese_first_message_is_read_too(domain):
    slots, _ = await validate(
        domain, text="我想周六上午在闵行做针灸", intent="book_appointment"
    )
    assert (slots["service"], slots["clinic"]) == ("acupuncture", "minhang")
    assert slots["preferred_time_parsed"]["period"] == "morning"


async def test_an_invalid_phone_is_asked_again_with_the_reason(domain):
    slots, said = await validate(domain, text="138 123", requested="phone")
    assert slots["phone"] is None
    assert said == ["utter_invalid_phone_too_short"]


async def test_a_full_width_phone_is_stored_as_e164(domain):
    slots, said = await validate(domain, text="１３８ 1234-5678", requested="phone")
    assert slots["phone"] == "+8613812345678"
    assert said == []


async def test_a_time_in_the_past_is_refused_with_the_time_quoted(domain):
    slots, said = await validate(
        domain, text="yesterday 3pm", requested="preferred_time"
    )
    assert slots["preferred_time"] is None
    assert said == ["utter_past_preferred_time"]


async def test_a_question_in_the_middle_is_left_to_the_rules(domain):
    slots, said = await validate(
        domain, text="does tuina hurt?", intent="faq", requested="clinic"
    )
    assert slots == {} and said == []  # nothing read: the form lets the rules answer


async def test_a_bare_clinic_taken_for_a_faq_still_answers_the_question(domain):
    slots, _ = await validate(domain, text="闵行", intent="faq", requested="clinic")
    assert slots["clinic"] == "minhang"


async def test_cancel_is_never_read_as_an_answer(domain):
    slots, said = await validate(
        domain, text="never mind", intent="cancel", requested="visitor_name"
    )
    assert slots == {} and said == []


async def test_a_name_is_only_read_when_it_was_asked_for(domain):
    slots, _ = await validate(domain, text="Anna Li", requested="visitor_name")
    assert slots["visitor_name"] == "Anna Li"
    slots, _ = await validate(domain, text="Anna Li", requested="clinic")
    assert "visitor_name" not in slots


async def test_no_note_is_an_empty_note_and_a_named_practitioner_is_kept(domain):
    slots, _ = await validate(domain, text="no", intent="deny", requested="note")
    assert slots["note"] == ""
    slots, _ = await validate(
        domain, text="with joe if possible, bad knee", requested="note"
    )
    assert slots["practitioner"] == "joe_teh"
    assert slots["note"] == "with joe if possible, bad knee"


async def test_a_correction_at_the_summary_keeps_the_day(domain):
    # Tomorrow, not today: after 4 pm in Shanghai today's 4 pm is in the past.
    tomorrow = booking.now().date() + timedelta(days=1)
    tomorrow_3pm = PreferredTime("tomorrow 3pm", tomorrow, None, None)
    slots, _ = await validate(
        domain,
        text="change the time to 4pm",
        requested="request_confirmed",
        preferred_time="tomorrow 3pm",
        preferred_time_parsed=tomorrow_3pm.as_dict(),
    )
    assert slots["preferred_time_parsed"]["time"] == "16:00"
    assert slots["preferred_time_parsed"]["date"] == tomorrow_3pm.as_dict()["date"]
    assert slots["request_confirmed"] is None  # asked again, with the new time


async def test_only_a_yes_confirms(domain):
    slots, _ = await validate(
        domain, text="yes", intent="affirm", requested="request_confirmed"
    )
    assert slots["request_confirmed"] is True


def full_booking(**overrides: Any) -> Dict[str, Any]:
    """The slots of a booking ready to send."""
    parsed = PreferredTime("tomorrow 3pm", booking.now().date(), None, "afternoon")
    return {
        "service": "tuina",
        "clinic": "downtown",
        "preferred_time": "tomorrow afternoon",
        "preferred_time_parsed": parsed.as_dict(),
        "visitor_name": "Anna Li",
        "phone": "+8613812345678",
        "note": "",
        "request_confirmed": True,
        **CONSENTED,
        **overrides,
    }


async def test_the_summary_shows_the_details_in_the_visitors_language(domain):
    dispatcher = CollectingDispatcher()
    slots = full_booking(language="zh", request_confirmed=None)
    visitor = tracker("没有", intent="deny", requested="note", **slots)
    await ActionAskRequestConfirmed().run(dispatcher, visitor, domain)
    [message] = dispatcher.messages
    assert message["response"] == "utter_booking_summary"
    assert message["service"] == "推拿" and message["clinic"] == "市区诊所"
    assert message["when"].endswith("下午")


async def test_a_no_at_the_summary_asks_what_to_change(domain):
    dispatcher = CollectingDispatcher()
    visitor = tracker("no", "deny", "request_confirmed", **full_booking())
    await ActionAskRequestConfirmed().run(dispatcher, visitor, domain)
    assert [m["response"] for m in dispatcher.messages] == ["utter_ask_what_to_change"]


async def test_submitting_writes_one_request_and_forgets_the_details(
    domain, outbox_path
):
    first, second = CollectingDispatcher(), CollectingDispatcher()
    visitor = tracker("yes", "affirm", None, **full_booking())
    events = await ActionSubmitBooking().run(first, visitor, domain)
    # The same confirmation again (a resend after a crash) is the same request.
    await ActionSubmitBooking().run(second, visitor, domain)

    [request] = Outbox(outbox_path).requests()
    assert request.payload["phone"] == "+8613812345678"
    assert request.payload["preferred_time"] == "tomorrow afternoon"
    assert first.messages[0]["reference"] == request.reference
    assert second.messages[0]["reference"] == request.reference
    assert first.messages[0]["clinic_phone"] == "(+86 21) 6345 5101 ext. 223 / 225"
    assert SlotSet("phone", None) in events and SlotSet("visitor_name", None) in events


async def test_cancelling_closes_the_form_and_sends_nothing(domain, outbox_path):
    dispatcher = CollectingDispatcher()
    visitor = tracker("算了", "cancel", "phone", **full_booking(language="zh"))
    events = await ActionCancelRequest().run(dispatcher, visitor, domain)
    assert ActiveLoop(None) in events and SlotSet("service", None) in events
    assert [m["response"] for m in dispatcher.messages] == ["utter_request_cancelled"]
    assert Outbox(outbox_path).requests() == []


@pytest.mark.parametrize(
    "parsed, language, shown",
    [
        (PreferredTime("x", None, None, "afternoon"), "en", "afternoon"),
        (PreferredTime("x", None, None, "afternoon"), "zh", "下午"),
        (PreferredTime("any time", None, None, None), "en", "any time"),
        (None, "en", "whenever suits"),
    ],
)
def test_describe_time(parsed, language, shown):
    assert describe_time(parsed, "whenever suits", language) == shown


async def test_a_note_taken_for_a_faq_question_is_still_the_note(domain):
    slots, _ = await validate(
        domain, text="希望是Joe 腰不好", intent="faq", requested="note"
    )
    assert slots["note"] == "希望是Joe 腰不好"
    assert slots["practitioner"] == "joe_teh"


async def test_a_question_instead_of_a_note_is_answered_first(domain):
    slots, _ = await validate(
        domain, text="who is joe?", intent="faq", requested="note"
    )
    assert slots == {}


async def test_ok_to_the_note_question_means_nothing_to_add(domain):
    slots, _ = await validate(domain, text="好的", intent="affirm", requested="note")
    assert slots["note"] == ""


# -- consent before the name and phone (privacy/consent.py) ---------------------------


@pytest.mark.parametrize(
    "text, intent, agreed",
    [
        ("yes", "affirm", True),
        ("/affirm", "affirm", True),
        ("同意", "faq", True),  # a yes whatever the classifier thought
        ("I don't mind", "deny", True),
        ("no", "deny", False),
        ("/deny", "deny", False),
        ("不同意", "affirm", False),
        ("不要", "inform", False),
    ],
)
async def test_consent_is_read_from_a_yes_or_a_no_in_either_language(
    domain, text, intent, agreed
):
    slots, _ = await validate(
        domain, text=text, intent=intent, requested="data_consent", data_consent=None
    )
    assert slots["data_consent"] is agreed
    if agreed:
        assert slots["consent_given_at"].endswith("+00:00")
        assert "requested_slot" not in slots
    else:
        assert slots["requested_slot"] is None  # the form ends here


async def test_a_question_at_the_consent_step_is_answered_first(domain):
    slots, _ = await validate(
        domain,
        text="what will you do with my number?",
        intent="faq",
        requested="data_consent",
        data_consent=None,
    )
    assert slots == {}


async def test_an_unclear_answer_to_consent_asks_again(domain):
    slots, _ = await validate(
        domain, text="hmm", intent="inform", requested="data_consent", data_consent=None
    )
    assert slots == {"data_consent": None}


async def test_a_name_or_number_given_before_consent_is_not_kept(domain):
    slots, _ = await validate(
        domain,
        text="book tuina at minhang tomorrow 3pm, Anna 13812345678",
        intent="book_appointment",
        data_consent=None,
        consent_given_at=None,
    )
    assert slots["service"] == "tuina" and slots["clinic"] == "minhang"
    assert "phone" not in slots and "visitor_name" not in slots


@pytest.mark.parametrize("language", ["en", "zh"])
async def test_without_consent_nothing_is_sent_and_the_visitor_is_told(
    domain, any_outbox, language
):
    dispatcher = CollectingDispatcher()
    visitor = tracker(
        "no",
        "deny",
        None,
        **full_booking(language=language, data_consent=False, consent_given_at=None),
    )
    events = await ActionSubmitBooking().run(dispatcher, visitor, domain)
    assert [m["response"] for m in dispatcher.messages] == ["utter_consent_declined"]
    assert Outbox(any_outbox).requests() == []
    assert (
        SlotSet("service", None) in events and SlotSet("data_consent", None) in events
    )


async def test_the_request_carries_its_consent_record(domain, any_outbox):
    visitor = tracker("好的", "affirm", None, **full_booking(language="zh"))
    await ActionSubmitBooking().run(CollectingDispatcher(), visitor, domain)
    [request] = Outbox(any_outbox).requests()
    assert request.payload["consent"] == {
        "given_at": CONSENTED["consent_given_at"],
        "notice_version": NOTICE_VERSION,
        "language": "zh",
    }


@pytest.mark.parametrize("form", ["booking_form", "callback_form"])
async def test_the_consent_question_names_the_retention(domain, form, monkeypatch):
    monkeypatch.setenv("BOOKING_RETENTION_DAYS", "14")
    dispatcher = CollectingDispatcher()
    visitor = tracker("", requested="data_consent", loop=form)
    await ActionAskDataConsent().run(dispatcher, visitor, domain)
    [message] = dispatcher.messages
    assert (
        message["response"]
        == {
            "booking_form": "utter_data_consent_booking",
            "callback_form": "utter_data_consent_callback",
        }[form]
    )
    assert message["retention_days"] == 14
