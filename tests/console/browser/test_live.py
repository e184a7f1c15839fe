"""A person takes over, in two real browsers: a visitor's widget, reception's console.

Against the real Rasa server (with channels/handover.py), action server and console.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import uuid
from typing import Iterator

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.remote.webdriver import WebDriver

from tests.browser.conftest import (
    CHROMEDRIVER,
    Widget,
    chromium_options,
    wait_until,
)
from tests.console.browser.conftest import Page

ASK_FOR_A_PERSON = "can I talk to a real person?"
PHONE_NUMBER = "6345 5101"
JOINING = "joining this chat"
BACK = "back with the clinic's assistant"


@pytest.fixture
def visitor(assistant) -> Iterator[Widget]:
    """A second browser: the visitor's, with the widget on the demo page."""
    profile = tempfile.mkdtemp(prefix="chromium-visitor-")
    service = Service(str(CHROMEDRIVER), log_output=os.devnull)
    browser: WebDriver = webdriver.Chrome(
        service=service, options=chromium_options(profile)
    )
    try:
        yield Widget(browser, assistant.url)
    finally:
        browser.quit()
        shutil.rmtree(profile, ignore_errors=True)


def type_only(widget: Widget, text: str) -> None:
    """Sends a message without waiting for a reply (a person may be answering)."""
    box = widget.find(".bsc-input")
    box.send_keys(text)
    box.send_keys("\n")
    wait_until(lambda: text in widget.user_texts(), what=f"{text!r} sent")


def tracker_events(assistant, sender: str) -> list:
    """The conversation's events, from the Rasa server's HTTP API."""
    return assistant.tracker(sender)["events"]


def test_reception_takes_over_in_the_console_and_hands_back(
    assistant, visitor, page: Page
):
    visitor.load("/webchat/").open()
    visitor.wait_bot(1)
    # Nobody has the Live page open: today's answer, reception's numbers.
    assert PHONE_NUMBER in "\n".join(visitor.say(ASK_FOR_A_PERSON))

    page.sign_in("rita").go("/live")
    assert page.find_all("#live-empty")
    sender = visitor.session_id()

    # Someone is online now: a person is joining, and the console alerts.
    replies = "\n".join(visitor.say(ASK_FOR_A_PERSON))
    assert JOINING in replies and PHONE_NUMBER not in replies
    wait_until(
        lambda: page.find_all(f"tr[data-sender='{sender}']"), what="the queue row"
    )
    assert "on" in page.find("#live-alert").get_attribute("class")
    assert sender in page.find("#live-alert").get_attribute("data-waiting")
    # The header counts the waiting visitors on every page.
    page.go("/requests")
    assert page.find("#live-count").text == "1"
    page.go("/live")
    page.screenshot("live-queue-desktop")
    page.click_and_wait(f"tr[data-sender='{sender}'] button.take")
    wait_until(lambda: page.find_all("#reply-form"), what="the reply form")
    # The transcript so far is there.
    assert ASK_FOR_A_PERSON in page.text("#transcript")

    # Staff reply: the visitor sees it in the widget.
    page.find("#reply-text").send_keys("Hello, this is Rita at reception.")
    page.click_and_wait("#reply-send")
    wait_until(
        lambda: "Hello, this is Rita at reception." in visitor.bot_texts(),
        what="the staff reply in the widget",
    )
    # Labelled as from reception, not the assistant.
    assert [e.text for e in visitor.find_all(".bsc-person .bsc-who")] == ["Reception"]

    # Staff see the visitor typing; their reply appears in the console, and the
    # assistant does not answer it.
    before = len(visitor.bot_texts())
    visitor.find(".bsc-input").send_keys("Can I come in")
    wait_until(lambda: page.find_all("#visitor-typing"), what="the typing notice")
    visitor.find(".bsc-input").clear()
    type_only(visitor, "Can I come in at 3pm today?")
    wait_until(
        lambda: "Can I come in at 3pm today?" in page.text("#transcript"),
        what="the visitor's message in the console",
    )
    assert len(visitor.bot_texts()) == before

    # A red flag still gets the emergency answer at once.
    emergency = "\n".join(visitor.say("I have crushing chest pain right now"))
    assert "120" in emergency

    # A canned reply: the clinics' phone numbers.
    page.click_and_wait("#canned-phones")
    wait_until(
        lambda: any(PHONE_NUMBER in text for text in visitor.bot_texts()[before:]),
        what="the canned reply in the widget",
    )
    page.screenshot("live-conversation-desktop")
    visitor.screenshot("widget-handover-desktop")

    # Book for them: the request form, sent to the outbox with who entered it.
    page.click_and_wait("#book-for-them")
    page.find("input[name=service]").send_keys("tuina")
    page.find("input[name=visitor_name]").send_keys("Mei Chen")
    page.find("input[name=phone]").send_keys("13812345603")
    page.find("input[name=consent]").click()
    page.click_and_wait("#book-send")
    assert re.search(r"BS-[0-9A-Z]{8}", page.text(".flash"))

    # Back to the assistant: the visitor is told, and the assistant answers again.
    page.click_and_wait("#hand-back")
    wait_until(
        lambda: any(BACK in text for text in visitor.bot_texts()),
        what="the hand-back in the widget",
    )
    # The hand-back is the assistant's: only staff's two messages carry the label.
    assert len(visitor.find_all(".bsc-person")) == 2
    answer = visitor.say("does tuina hurt?")
    # The answer a new conversation gets, not a fallback.
    fresh = [m["text"] for m in assistant.say(uuid.uuid4().hex, "does tuina hurt?")]
    assert answer[0] == fresh[0]

    # Everything a person said is in the tracker, with who said it.
    person = [
        e
        for e in tracker_events(assistant, sender)
        if e.get("event") == "bot" and (e.get("metadata") or {}).get("from_person")
    ]
    assert person[0]["text"] == "Hello, this is Rita at reception."
    assert {e["metadata"]["staff"] for e in person} == {"rita"}
    # And the console's transcript shows it.
    page.go(f"/conversations/view?id={sender}")
    assert "Reception rita" in wait_until(
        lambda: (
            "Reception rita" in page.text("#transcript") and page.text("#transcript")
        ),
        what="the person's line in the transcript",
    )
