"""Booking requests: reading and checking the form's answers, the summary, sending."""

from __future__ import annotations

import logging
import re
from abc import abstractmethod
from datetime import datetime, timezone
from functools import lru_cache
from typing import Any, Dict, List, Text
from zoneinfo import ZoneInfo

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import ActiveLoop, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.consent import has_consent
from actions.parsing import (
    CLINICS,
    PRACTITIONERS,
    SERVICES,
    find_phone_candidate,
    parse_clinic,
    parse_name,
    parse_phone,
    parse_practitioner,
    parse_service,
)
from actions.preferred_time import PreferredTime, parse_preferred_time
from booking.outbox import Outbox, Submission
from booking.settings import booking_settings
from privacy.consent import consent_record, parse_consent

logger = logging.getLogger(__name__)

SHANGHAI = ZoneInfo("Asia/Shanghai")
# Messages that are not answers to the form: the form lets them through to the rules
# (answer the question, cancel, hand over) and then asks again.
DIGRESSIONS = {
    "faq",
    "cancel",
    "human_handoff",
    "emergency",
    "bot_challenge",
    "switch_language",
    "delete_my_data",
}
# Never read as an answer, whatever the message contains.
STOPS = {"cancel", "emergency", "delete_my_data"}
# A question, not an answer: "is minhang easier to reach?", "推拿疼吗".
_QUESTION = re.compile(
    r"[?？]|\b(what|how|why|where|which|who|does|do|is|are|can|could|will|should)\b"
    r"|吗|呢|什么|怎么|为什么|哪|几|多少|是否|会不会|能不能|可不可以",
    re.IGNORECASE,
)
# Answers only to their own question: anything may be a name or a note.
FREE_TEXT_SLOTS = {"visitor_name", "note"}
# Personal details: taken only after the visitor agreed to send them (data_consent).
PERSONAL_SLOTS = {"visitor_name", "phone", "note"}
# Slots a single message may fill or correct whatever was asked.
STRUCTURED_SLOTS = {
    "service": parse_service,
    "clinic": parse_clinic,
    "preferred_time": lambda text: parse_preferred_time(text, now()).value,
    "phone": find_phone_candidate,
}
# "my name is ...", "change the name to ...", "名字改成..." at the summary.
_NAME_CORRECTION = re.compile(
    r"(?:\bname\s+(?:is|to|should\s+be)|我叫|名字(?:改成|改为|是|应该是))\s*(?P<name>.+)",
    re.IGNORECASE,
)
# Why a phone number was refused, as the visitor is told.
PHONE_PROBLEMS = {
    "not_a_number": "utter_invalid_phone_not_a_number",
    "too_short": "utter_invalid_phone_too_short",
    "too_long": "utter_invalid_phone_too_long",
    "invalid_mobile": "utter_invalid_phone_invalid_mobile",
    "invalid_landline": "utter_invalid_phone_invalid_landline",
    "invalid_international": "utter_invalid_phone_invalid_international",
}
REQUEST_SLOTS = [
    "service",
    "clinic",
    "preferred_time",
    "preferred_time_parsed",
    "visitor_name",
    "phone",
    "note",
    "practitioner",
    "request_confirmed",
    "data_consent",
    "consent_given_at",
]


def is_bare_answer(text: str, slot: str) -> bool:
    """Whether `text` gives a value for `slot` without asking anything.

    A bare "tuina", "闵行" or "call me on 138..." reads like a FAQ or a hand-over
    request to the classifier; as the answer to the question just asked it is an
    answer. A message that asks something is a question for the rules to answer.
    """
    parse = STRUCTURED_SLOTS.get(slot)
    return parse is not None and bool(parse(text)) and not _QUESTION.search(text)


def now() -> datetime:
    """The current time in Shanghai (the clinic's time zone)."""
    return datetime.now(SHANGHAI)


def language_of(tracker: Tracker) -> str:
    """The conversation's language: "zh" or "en"."""
    return "zh" if tracker.get_slot("language") == "zh" else "en"


def describe_time(parsed: PreferredTime | None, words: str, language: str) -> str:
    """The preferred time as the summary shows it, in the visitor's language."""
    if parsed is None:
        return words
    if parsed.normalised() == "flexible":
        return "时间灵活" if language == "zh" else "any time"
    parts = []
    if parsed.date:
        if language == "zh":
            weekday = "一二三四五六日"[parsed.date.weekday()]
            parts.append(f"{parsed.date.month}月{parsed.date.day}日（周{weekday}）")
        else:
            parts.append(parsed.date.strftime("%a %-d %b"))
    if parsed.time:
        if language == "zh":
            parts.append(parsed.time.strftime("%H:%M"))
        else:
            parts.append(parsed.time.strftime("%-I:%M %p").lower())
    elif parsed.period:
        parts.append(PERIODS[parsed.period][1 if language == "zh" else 0])
    if not parts:
        return words
    return "".join(parts) if language == "zh" else ", ".join(parts)


PERIODS = {
    "morning": ("morning", "上午"),
    "noon": ("around noon", "中午"),
    "afternoon": ("afternoon", "下午"),
    "evening": ("evening", "晚上"),
}


class ValidateRequestForm(FormValidationAction):
    """Reads and checks the answers of a request form; re-asks with a reason.

    Extraction decides which slots the latest message offers a value for (the answer
    to the question asked, or a detail given unasked: "book tuina at Minhang tomorrow
    at 3pm", "change the time to 4pm"); `validate_<slot>` parses each value and says
    what is wrong. Subclasses name the form.
    """

    @abstractmethod
    def name(self) -> Text:
        """Subclasses name their form (abstract: the action server skips this class)."""

    # -- extraction: does this message offer a value? ---------------------------------

    async def get_extraction_events(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        """Sets each of the form's slots the latest message offers a value for.

        One rule for every slot (instead of an `extract_<slot>` method each): the
        answer to the question asked, details given unasked ("book tuina at Minhang
        tomorrow at 3pm") and corrections at the summary ("change the time to 4pm").
        """
        offered: Dict[Text, Any] = {}
        for slot in self.domain_slots(domain):
            offered.update(self._offered(tracker, slot))
        tracker.slots.update(offered)
        return [SlotSet(slot, value) for slot, value in offered.items()]

    @staticmethod
    def _answers_anyway(text: str, slot: str, requested: str | None) -> bool:
        """Whether a message taken for a question still answers the form.

        "闵行" or "Joe please, bad back" read like FAQ questions to the classifier;
        as the answer to the question just asked (or, at the summary, as a correction:
        "改去闵行") they are answers, unless they ask something themselves.
        """
        if slot == requested and slot in FREE_TEXT_SLOTS:
            return not _QUESTION.search(text)
        answering = slot == requested or requested == "request_confirmed"
        return answering and is_bare_answer(text, slot)

    def _offered(self, tracker: Tracker, slot: str) -> Dict[Text, Any]:
        message = tracker.latest_message or {}
        intent = (message.get("intent") or {}).get("name")
        text = (message.get("text") or "").strip()
        requested = tracker.get_slot("requested_slot")
        if slot == "data_consent":
            return self._consent_offered(text, intent, requested)
        if slot in PERSONAL_SLOTS and tracker.get_slot("data_consent") is not True:
            return {}  # a name or number given before the visitor agreed is not kept
        if slot == "request_confirmed":
            # A yes to the summary confirms; anything else may be a correction.
            if requested != slot or intent in DIGRESSIONS:
                return {}
            return {slot: intent == "affirm" or None}
        if slot == "note" and requested == "note" and intent in ("deny", "affirm"):
            return {slot: ""}  # "no" / "ok, that's all": nothing to add
        if not text or text.startswith("/") or intent in STOPS:
            # Button payloads carry their value as an entity (slot mappings).
            return {}
        if intent in DIGRESSIONS and not self._answers_anyway(text, slot, requested):
            return {}
        if slot == requested:
            return {slot: text}
        if slot == "visitor_name" and requested == "request_confirmed":
            correction = _NAME_CORRECTION.search(text)
            return {slot: correction.group("name")} if correction else {}
        if slot in FREE_TEXT_SLOTS or requested in FREE_TEXT_SLOTS:
            return {}
        parse = STRUCTURED_SLOTS.get(slot)
        return {slot: text} if parse and parse(text) else {}

    @staticmethod
    def _consent_offered(
        text: str, intent: str | None, requested: str | None
    ) -> Dict[Text, Any]:
        """The visitor's yes or no to sending their details; None asks again."""
        if requested != "data_consent" or intent in STOPS:
            return {}
        answer = None if text.startswith("/") else parse_consent(text)
        if answer is None and intent in ("affirm", "deny"):
            answer = intent == "affirm"  # a button, or a yes/no in other words
        if answer is None and intent in DIGRESSIONS:
            return {}  # a question first: the rules answer it, then the form asks again
        return {"data_consent": answer}

    # -- validation: is the value right? --------------------------------------------

    async def validate_data_consent(
        self,
        value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> Dict[Text, Any]:
        """A yes is recorded with its time; a no ends the form (nothing is sent)."""
        if value is True:
            given_at = datetime.now(timezone.utc).isoformat(timespec="seconds")
            return {"data_consent": True, "consent_given_at": given_at}
        if value is False:
            # The form stops here; the submit action says so and forgets everything.
            return {"data_consent": False, "requested_slot": None}
        return {"data_consent": None}

    async def validate_service(
        self,
        value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> Dict[Text, Any]:
        """One of the clinic's treatments, as its key ("tuina")."""
        service = parse_service(str(value or ""))
        if service is None:
            dispatcher.utter_message(response="utter_invalid_service")
        return {"service": service}

    async def validate_clinic(
        self,
        value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> Dict[Text, Any]:
        """Downtown or Minhang."""
        clinic = parse_clinic(str(value or ""))
        if clinic is None:
            dispatcher.utter_message(response="utter_invalid_clinic")
        return {"clinic": clinic}

    async def validate_preferred_time(
        self,
        value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> Dict[Text, Any]:
        """A day and/or time not in the past; a correction keeps what it leaves out."""
        words = str(value or "")
        previous = tracker.get_slot("preferred_time_parsed")
        result = parse_preferred_time(
            words, now(), PreferredTime.from_dict(previous) if previous else None
        )
        if result.problem is None and result.value is not None:
            return {
                "preferred_time": result.value.words,
                "preferred_time_parsed": result.value.as_dict(),
            }
        if result.problem == "past" and result.value is not None:
            when = describe_time(result.value, words, language_of(tracker))
            dispatcher.utter_message(response="utter_past_preferred_time", when=when)
        elif result.problem == "ambiguous":
            dispatcher.utter_message(
                response="utter_ambiguous_preferred_time", words=words
            )
        else:
            dispatcher.utter_message(response="utter_invalid_preferred_time")
        # A failed correction keeps the time given before.
        kept = PreferredTime.from_dict(previous).words if previous else None
        return {"preferred_time": kept}

    async def validate_visitor_name(
        self,
        value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> Dict[Text, Any]:
        """Something that reads as a person's name."""
        name = parse_name(str(value or ""))
        if name is None:
            dispatcher.utter_message(response="utter_invalid_visitor_name")
            return {"visitor_name": None}
        return {"visitor_name": name}

    async def validate_phone(
        self,
        value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> Dict[Text, Any]:
        """A Chinese mobile or landline, or an international number, stored as E.164."""
        result = parse_phone(str(value or ""))
        if result.e164 is None:
            dispatcher.utter_message(response=PHONE_PROBLEMS[result.problem])
        return {"phone": result.e164}

    async def validate_note(
        self,
        value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> Dict[Text, Any]:
        """Anything, kept short; a practitioner named in it is the preference."""
        note = str(value or "").strip()[:300]
        return {
            "note": note,
            "practitioner": parse_practitioner(note) if note else None,
        }

    async def validate_request_confirmed(
        self,
        value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> Dict[Text, Any]:
        """Only a yes confirms."""
        return {"request_confirmed": True if value is True else None}


class ValidateBookingForm(ValidateRequestForm):
    """Checks the booking form's answers."""

    def name(self) -> Text:
        """The action's name."""
        return "validate_booking_form"


class ValidateCallbackForm(ValidateRequestForm):
    """Checks the call-back form's answers (name and phone)."""

    def name(self) -> Text:
        """The action's name."""
        return "validate_callback_form"


def booking_details(tracker: Tracker, language: str) -> Dict[str, str]:
    """What the summary shows, in the visitor's language."""
    zh = language == "zh"
    service = SERVICES.get(tracker.get_slot("service") or "")
    clinic = CLINICS.get(tracker.get_slot("clinic") or "")
    parsed = tracker.get_slot("preferred_time_parsed")
    extras = ""
    practitioner = PRACTITIONERS.get(tracker.get_slot("practitioner") or "")
    if practitioner:
        label = "治疗师" if zh else "Practitioner"
        extras += f"\n- {label}{'：' if zh else ': '}{practitioner[1 if zh else 0]}"
    if tracker.get_slot("note"):
        label = "备注" if zh else "Note"
        extras += f"\n- {label}{'：' if zh else ': '}{tracker.get_slot('note')}"
    return {
        "service": service[1 if zh else 0] if service else "",
        "clinic": (clinic.name_zh if zh else clinic.name_en) if clinic else "",
        "when": describe_time(
            PreferredTime.from_dict(parsed) if parsed else None,
            tracker.get_slot("preferred_time") or "",
            language,
        ),
        "name": tracker.get_slot("visitor_name") or "",
        "phone": tracker.get_slot("phone") or "",
        "extras": extras,
    }


class ActionAskRequestConfirmed(Action):
    """Shows the summary of the request and asks to send it (or what to change)."""

    def name(self) -> Text:
        """The action's name."""
        return "action_ask_request_confirmed"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        """Asks "shall I send it?" with the details, or "what to change?" after a no."""
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        if (
            intent == "deny"
            and tracker.get_slot("requested_slot") == "request_confirmed"
        ):
            dispatcher.utter_message(response="utter_ask_what_to_change")
            return []
        details = booking_details(tracker, language_of(tracker))
        if tracker.active_loop.get("name") == "callback_form":
            dispatcher.utter_message(response="utter_callback_summary", **details)
        else:
            dispatcher.utter_message(response="utter_booking_summary", **details)
        return []


@lru_cache(maxsize=1)
def outbox() -> Outbox:
    """The durable outbox requests are written to (one per action server process)."""
    return Outbox(booking_settings().outbox)


def submit(kind: str, tracker: Tracker, fields: Dict[str, Any]) -> Submission:
    """Writes the request, with its consent record, to the outbox for the relay."""
    if not has_consent(tracker):
        raise ValueError("a request without the visitor's consent must not be kept")
    language = language_of(tracker)
    payload = {
        **fields,
        "language": language,
        "consent": consent_record(tracker.get_slot("consent_given_at"), language),
    }
    submission = outbox().submit(kind, tracker.sender_id, payload)
    logger.info(
        "%s request %s %s",
        kind,
        submission.reference,
        "written to the outbox" if submission.created else "was already in the outbox",
    )
    return submission


def cleared() -> List[EventType]:
    """Forgets the request's details once it is sent or cancelled."""
    return [SlotSet(slot, None) for slot in REQUEST_SLOTS]


def declined(dispatcher: CollectingDispatcher) -> List[EventType]:
    """The visitor said no to sending their details: says nothing was kept, forgets."""
    dispatcher.utter_message(response="utter_consent_declined")
    return cleared()


class ActionSubmitBooking(Action):
    """Sends a confirmed booking request and gives its reference."""

    def name(self) -> Text:
        """The action's name."""
        return "action_submit_booking"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        """Writes the request to the outbox and tells the visitor what happens next."""
        if not has_consent(tracker):
            return declined(dispatcher)
        parsed = tracker.get_slot("preferred_time_parsed")
        submission = submit(
            "booking",
            tracker,
            {
                "service": tracker.get_slot("service"),
                "clinic": tracker.get_slot("clinic"),
                "preferred_time": tracker.get_slot("preferred_time"),
                "preferred_time_normalised": (
                    PreferredTime.from_dict(parsed).normalised() if parsed else None
                ),
                "name": tracker.get_slot("visitor_name"),
                "phone": tracker.get_slot("phone"),
                "practitioner": tracker.get_slot("practitioner"),
                "note": tracker.get_slot("note") or None,
            },
        )
        language = language_of(tracker)
        clinic = CLINICS[tracker.get_slot("clinic")]
        dispatcher.utter_message(
            response="utter_booking_submitted",
            reference=submission.reference,
            clinic=clinic.name_zh if language == "zh" else clinic.name_en,
            clinic_phone=clinic.phone_in(language),
        )
        return cleared()


class ActionCancelRequest(Action):
    """Stops the booking or call-back request in progress; nothing is sent."""

    def name(self) -> Text:
        """The action's name."""
        return "action_cancel_request"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        """Says so, closes the form and forgets what was given."""
        dispatcher.utter_message(response="utter_request_cancelled")
        return [ActiveLoop(None), SlotSet("requested_slot", None), *cleared()]
