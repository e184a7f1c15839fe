"""Booking and call-back conversations through the real servers, to the fake clinic."""

from __future__ import annotations

import time

from tests.e2e.conversation import matches, sender


class Visitor:
    """One conversation with the running assistant."""

    def __init__(self, assistant, responses, language: str) -> None:
        self.assistant, self.responses, self.language = assistant, responses, language
        self.id = sender()

    def says(self, text: str, *expected: str) -> list:
        """Sends `text`; checks the replies are the `expected` responses, in order."""
        replies = [r["text"] for r in self.assistant.say(self.id, text)]
        assert len(replies) == len(expected), (text, replies)
        for reply, name in zip(replies, expected, strict=True):
            assert matches(reply, self.responses, name, self.language), (name, reply)
        return replies


def accepted(booking_system, phone: str, wait: float = 10) -> list:
    """Bookings the fake clinic accepted for `phone`, waiting up to `wait` seconds."""
    deadline = time.monotonic() + wait
    while True:
        found = [b for b in booking_system.bookings if b["request"]["phone"] == phone]
        if found or time.monotonic() > deadline:
            return found
        time.sleep(0.1)


def test_english_booking_in_one_message_with_a_correction_reaches_the_clinic_once(
    assistant, responses, booking_system
):
    visitor = Visitor(assistant, responses, "en")
    visitor.says("book tuina at minhang tomorrow at 3pm", "utter_data_consent_booking")
    visitor.says("yes", "utter_ask_visitor_name")
    visitor.says("Anna Li", "utter_ask_phone")
    visitor.says("１３８ 1234-5601", "utter_ask_note")
    summary = visitor.says("no", "utter_booking_summary")[0]
    assert "Minhang clinic" in summary and "+8613812345601" in summary
    assert "3:00 pm" in summary
    corrected = visitor.says("change the time to 4pm", "utter_booking_summary")[0]
    assert "4:00 pm" in corrected and "3:00 pm" not in corrected
    done = visitor.says("yes", "utter_booking_submitted")[0]
    assert "(+86 21) 6461 6550" in done

    [booking] = accepted(booking_system, "+8613812345601")
    request = booking["request"]
    assert request["service"] == "tuina"
    assert request["clinic"] == "minhang"
    assert request["name"] == "Anna Li"
    assert request["preferred_time_normalised"].endswith("T16:00+08:00")
    assert request["consent"]["language"] == "en" and request["consent"]["given_at"]
    assert booking["reference"] in done

    # A second "yes" is an ordinary yes: the request is not sent again.
    visitor.says("yes", "utter_anything_else")
    time.sleep(2)
    assert len(accepted(booking_system, "+8613812345601", wait=0)) == 1


def test_chinese_booking_re_asks_wrong_answers_and_cancels_without_sending(
    assistant, responses, booking_system
):
    visitor = Visitor(assistant, responses, "zh")
    visitor.says("我想预约", "utter_ask_service")
    visitor.says("针灸", "utter_ask_clinic")
    visitor.says("闵行", "utter_ask_preferred_time")
    visitor.says("昨天下午", "utter_past_preferred_time", "utter_ask_preferred_time")
    visitor.says("周六上午", "utter_data_consent_booking")
    visitor.says("同意", "utter_ask_visitor_name")
    visitor.says("我叫王芳", "utter_ask_phone")
    visitor.says("12345", "utter_invalid_phone_too_short", "utter_ask_phone")
    visitor.says("13912345602", "utter_ask_note")
    summary = visitor.says("没有", "utter_booking_summary")[0]
    assert "针灸" in summary and "王芳" in summary and "上午" in summary
    visitor.says("取消", "utter_request_cancelled")
    time.sleep(2)
    assert accepted(booking_system, "+8613912345602", wait=0) == []


def test_a_question_in_the_middle_of_a_booking_is_answered_and_the_form_resumes(
    assistant, responses
):
    visitor = Visitor(assistant, responses, "en")
    visitor.says("i want to book acupuncture", "utter_ask_clinic")
    visitor.says("does acupuncture hurt?", "utter_faq/does_it_hurt", "utter_ask_clinic")
    visitor.says("downtown", "utter_ask_preferred_time")


def test_a_call_back_request_reaches_the_clinic_like_a_booking(
    assistant, responses, booking_system
):
    visitor = Visitor(assistant, responses, "en")
    visitor.says("can i talk to a real person", "utter_handoff", "utter_offer_callback")
    visitor.says("yes please", "utter_data_consent_callback")
    visitor.says("I agree", "utter_ask_callback_form_visitor_name")
    visitor.says("Sam Green", "utter_ask_callback_form_phone")
    visitor.says("+44 20 7946 0958", "utter_callback_summary")
    visitor.says("yes", "utter_callback_submitted")
    [callback] = accepted(booking_system, "+442079460958")
    assert callback["kind"] == "callback"
    assert callback["request"]["name"] == "Sam Green"


def test_no_phone_number_or_name_reaches_the_logs_in_full(assistant):
    # Runs after the conversations above, on the same servers.
    logs = "".join(
        path.read_text(errors="replace")
        for path in assistant.outbox.parent.glob("*.log")
    )
    assert "booking request" in logs  # the relay and the actions did log
    for secret in ["13812345601", "13912345602", "2079460958", "Anna Li", "王芳"]:
        assert secret not in logs
