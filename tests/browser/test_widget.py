"""The chat widget in real headless Chromium against the real servers."""

from __future__ import annotations

import functools
import http.server
import threading
import time

from selenium.common.exceptions import NoAlertPresentException
from selenium.webdriver.common.keys import Keys

from tests.browser.conftest import DESKTOP, PHONE, Widget, wait_until
from tests.e2e.conversation import matches, text_of, variation


def test_english_page_greets_in_english_and_answers_a_faq(widget, responses):
    widget.load("/webchat/").open()
    [greeting] = widget.wait_bot(1)
    assert greeting == text_of(responses["utter_greet"], "en")
    assert widget.find(".bsc-launcher").get_attribute("aria-expanded") == "true"
    assert widget.driver.switch_to.active_element == widget.find(".bsc-input")

    [answer] = widget.say("does tuina hurt?")
    assert answer == text_of(responses["utter_faq/does_it_hurt"], "en")
    widget.screenshot("widget-desktop")


def test_chinese_page_greets_in_chinese_and_answers_a_chinese_question(
    widget, responses
):
    widget.load("/webchat/?lang=zh").open()
    [greeting] = widget.wait_bot(1)
    assert greeting == text_of(responses["utter_greet"], "zh")
    assert widget.find(".bsc-launcher").get_attribute("textContent") == "在线咨询"

    [answer] = widget.say("推拿会疼吗")
    assert answer == text_of(responses["utter_faq/does_it_hurt"], "zh")


def test_replies_follow_the_language_the_visitor_writes_in(widget, responses):
    widget.load("/webchat/").open()
    widget.wait_bot(1)
    [answer] = widget.say("什么是推拿")
    assert answer == text_of(responses["utter_faq/tuina_what"], "zh")


def test_language_switch_changes_the_widget_and_the_replies(widget, responses):
    widget.load("/webchat/").open()
    widget.wait_bot(1)
    switch = widget.find('.bsc-lang button[data-lang="zh"]')
    assert switch.get_attribute("aria-pressed") == "false"
    switch.click()
    [confirmation] = widget.replies_after(1)
    assert confirmation == text_of(responses["utter_language_switched"], "zh")
    assert switch.get_attribute("aria-pressed") == "true"
    assert widget.find(".bsc-input").get_attribute("placeholder") == "请输入您的问题…"
    assert widget.find(".bsc-launcher").get_attribute("textContent") == "在线咨询"


def test_quick_reply_sends_its_payload_shows_its_title_and_links_work(
    widget, responses
):
    widget.load("/webchat/").open()
    widget.wait_bot(1)
    buttons = widget.find_all(".bsc-replies button")
    titles = [b.text for b in buttons]
    assert titles == [
        b["title"] for b in variation(responses, "utter_greet", "en")["buttons"]
    ]
    where = next(b for b in buttons if b.text == "Where are your clinics?")
    where.click()
    replies = widget.replies_after(1)
    assert widget.user_texts() == ["Where are your clinics?"]
    assert matches("\n\n".join(replies), responses, "utter_faq/locations", "en")
    # Used buttons are disabled; the answer's own buttons work, and addresses and
    # phone numbers are links.
    assert all(not b.is_enabled() for b in buttons)
    phones = next(
        b for b in widget.find_all(".bsc-replies button") if b.text == "Phone numbers"
    )
    phones.click()
    widget.replies_after(len(replies) + 1)
    assert widget.user_texts() == ["Where are your clinics?", "Phone numbers"]
    links = {
        a.text: a.get_attribute("href") for a in widget.find_all(".bsc-bot .bsc-text a")
    }
    assert links["760 South Xizang Road"].startswith("https://uri.amap.com/search?")
    assert links["211 Cheng Jia Qiao Zhi Road"].startswith("https://uri.amap.com/")
    tel = [href for href in links.values() if href.startswith("tel:")]
    assert "tel:+862163455101" in tel and "tel:+862164616550" in tel
    # Every link in the log is http(s) or tel: and opens safely.
    for a in widget.find_all(".bsc-log a"):
        href = a.get_attribute("href")
        assert href.startswith(("https://", "http://", "tel:"))
        if not href.startswith("tel:"):
            assert a.get_attribute("rel") == "noopener noreferrer"


def test_booking_conversation_reaches_the_summary(widget, responses):
    widget.load("/webchat/").open()
    widget.wait_bot(1)
    assert matches(
        widget.say("book tuina at minhang tomorrow at 3pm")[-1],
        responses,
        "utter_data_consent_booking",
        "en",
    )
    widget.screenshot("widget-booking-consent")
    assert matches(widget.say("yes")[-1], responses, "utter_ask_visitor_name", "en")
    assert matches(widget.say("Anna Li")[-1], responses, "utter_ask_phone", "en")
    assert matches(widget.say("13812345601")[-1], responses, "utter_ask_note", "en")
    summary = widget.say("no")
    assert matches(summary[-1], responses, "utter_booking_summary", "en")
    text = "\n".join(summary)
    assert "Minhang" in text and "Anna Li" in text and "3:00 pm" in text
    widget.screenshot("widget-booking-summary")


def test_reload_keeps_the_history_the_open_panel_and_the_conversation_id(
    widget, assistant, responses
):
    widget.load("/webchat/").open()
    widget.wait_bot(1)
    widget.say("does tuina hurt?")
    session_id = widget.session_id()
    assert len(session_id) == 32 and int(session_id, 16) >= 0
    history = (widget.user_texts(), widget.bot_texts())

    widget.driver.refresh()
    widget.wait_online()
    assert widget.find(".bsc-panel").is_displayed()  # it remembered it was open
    assert widget.session_id() == session_id
    assert (widget.user_texts(), widget.bot_texts()) == history
    assert len(widget.bot_texts()) == 2  # no second greeting

    # Another page of the site, the same conversation, on the server too.
    widget.load("/webchat/?lang=en")
    widget.wait_online()
    [answer] = widget.say("where are your clinics?")
    assert matches(answer, responses, "utter_faq/locations", "en")
    tracker = assistant.tracker(session_id)
    said = [e.get("text") for e in tracker["events"] if e["event"] == "user"]
    assert said == [
        '/greet{"language": "en"}',
        "does tuina hurt?",
        "where are your clinics?",
    ]


def test_markup_in_a_message_is_shown_as_text_and_runs_nothing(widget):
    widget.load("/webchat/").open()
    widget.wait_bot(1)
    attack = '<img src=x onerror="window.__pwned=1;alert(1)">'
    widget.say(attack)
    assert widget.user_texts() == [attack]
    assert widget.find_all(".bsc-root img") == []
    assert widget.driver.execute_script("return window.__pwned") is None
    try:
        widget.driver.switch_to.alert  # noqa: B018 - raises when there is none
        raise AssertionError("an alert was opened")
    except NoAlertPresentException:
        pass
    # Still as text after a reload (the transcript comes back from storage).
    widget.driver.refresh()
    widget.wait_online()
    assert widget.user_texts() == [attack]
    assert widget.find_all(".bsc-root img") == []


def test_enter_confirming_an_ime_composition_does_not_send(widget):
    widget.load("/webchat/?lang=zh").open()
    widget.wait_bot(1)
    box = widget.find(".bsc-input")
    box.click()
    cdp = widget.driver.execute_cdp_cmd
    # A pinyin input method composing "tuina" (Chrome's own IME path: the page sees
    # compositionstart, then keydown Enter with isComposing), then choosing 推拿.
    cdp(
        "Input.imeSetComposition",
        {"text": "tuina", "selectionStart": 5, "selectionEnd": 5},
    )
    enter = {"key": "Enter", "code": "Enter", "windowsVirtualKeyCode": 13}
    cdp("Input.dispatchKeyEvent", {"type": "keyDown", **enter})
    cdp("Input.dispatchKeyEvent", {"type": "keyUp", **enter})
    cdp("Input.insertText", {"text": "推拿"})
    # Safari reports the confirming Enter as keyCode 229 without isComposing.
    widget.driver.execute_script(
        """arguments[0].dispatchEvent(new KeyboardEvent('keydown', {
            key: 'Enter', keyCode: 229, bubbles: true, cancelable: true}));""",
        box,
    )
    time.sleep(1)
    assert widget.user_texts() == []
    assert box.get_attribute("value") == "推拿"
    # The visitor finishes the sentence; a real Enter sends it.
    box.send_keys("会疼吗", Keys.ENTER)
    wait_until(lambda: widget.user_texts() == ["推拿会疼吗"], what="the message")
    assert box.get_attribute("value") == ""


def test_keyboard_only_visitor_opens_chats_and_closes(widget):
    widget.load("/webchat/")
    launcher = widget.find(".bsc-launcher")
    widget.driver.execute_script("arguments[0].focus()", launcher)
    launcher.send_keys(Keys.ENTER)
    widget.wait_online()
    widget.wait_bot(1)
    box = widget.driver.switch_to.active_element
    assert box == widget.find(".bsc-input")
    assert widget.find(".bsc-panel").get_attribute("role") == "dialog"
    assert widget.find(".bsc-log").get_attribute("aria-live") == "polite"
    assert widget.find('label[for="bsc-input"]').get_attribute("textContent")
    box.send_keys(Keys.ESCAPE)
    assert not widget.find(".bsc-panel").is_displayed()
    assert widget.driver.switch_to.active_element == widget.find(".bsc-launcher")
    # Closed is remembered too.
    widget.driver.refresh()
    wait_until(lambda: widget.find(".bsc-launcher").is_displayed(), what="launcher")
    assert not widget.find(".bsc-panel").is_displayed()


def test_phone_sized_screen_gets_a_full_screen_panel(widget):
    with widget.on_a_phone():
        widget.load("/webchat/?lang=zh").open()
        widget.wait_bot(1)
        widget.say("诊所在哪里")
        rect = widget.find(".bsc-panel").rect
        viewport = widget.driver.execute_script(
            "return [window.innerWidth, window.innerHeight]"
        )
        assert viewport == list(PHONE)
        assert (rect["x"], rect["y"]) == (0, 0)
        assert (rect["width"], rect["height"]) == PHONE
        widget.screenshot("widget-phone")
    assert widget.driver.get_window_size()["width"] == DESKTOP[0]


def test_server_outage_shows_reconnecting_keeps_the_text_then_works(
    widget: Widget, assistant, responses
):
    widget.load("/webchat/").open()
    widget.wait_bot(1)
    status = widget.find(".bsc-status")
    assistant.stop_rasa()
    try:
        wait_until(
            lambda: status.is_displayed() and "Reconnecting" in status.text,
            what="the reconnecting notice",
        )
        box = widget.find(".bsc-input")
        box.send_keys("does tuina hurt?", Keys.ENTER)
        time.sleep(0.5)
        assert box.get_attribute("value") == "does tuina hurt?"
        assert widget.user_texts() == []
        assert widget.find(".bsc-send").get_attribute("aria-disabled") == "true"
    finally:
        assistant.start_rasa()
    widget.wait_online()
    assert not status.is_displayed()
    box.send_keys(Keys.ENTER)
    [answer] = widget.replies_after(1)
    assert answer == text_of(responses["utter_faq/does_it_hurt"], "en")
    assert box.get_attribute("value") == ""


def test_snippet_on_another_sites_page_connects_across_origins(
    driver, assistant, tmp_path, responses
):
    # The clinic's own site: another origin (host and port) than the assistant's.
    (tmp_path / "index.html").write_text(
        '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"></head>'
        "<body><h1>诊所</h1>"
        f'<script src="{assistant.url}/webchat/widget.js" '
        f'data-server="{assistant.url}" defer></script></body></html>',
        encoding="utf-8",
    )
    handler = functools.partial(
        http.server.SimpleHTTPRequestHandler, directory=str(tmp_path)
    )
    site = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=site.serve_forever, daemon=True).start()
    try:
        widget = Widget(driver, f"http://localhost:{site.server_address[1]}")
        widget.load("/index.html").open()
        [greeting] = widget.wait_bot(1)
        assert greeting == text_of(responses["utter_greet"], "zh")
    finally:
        site.shutdown()
        site.server_close()


def _pending(widget: Widget) -> list:
    return widget.driver.execute_script(
        "return JSON.parse(localStorage.getItem('bodysoul-chat')).pending"
    )


def _leave_pending(widget: Widget, item: dict) -> None:
    # As if the page went away after sending, before the acknowledgement came.
    widget.driver.execute_script(
        "var s = JSON.parse(localStorage.getItem('bodysoul-chat'));"
        "s.pending = [arguments[0]];"
        "localStorage.setItem('bodysoul-chat', JSON.stringify(s));",
        item,
    )


def test_an_unacknowledged_message_is_sent_again_with_its_id_and_answered_once(
    widget: Widget, assistant, responses
):
    widget.load("/webchat/").open()
    widget.wait_bot(1)
    widget.say("where are your clinics?")
    assert _pending(widget) == []  # acknowledged
    session_id = widget.session_id()
    item = {"id": "a1" * 16, "message": "does tuina hurt?"}

    _leave_pending(widget, item)
    widget.driver.refresh()
    widget.wait_online()
    [answer] = widget.replies_after(2)
    assert answer == text_of(responses["utter_faq/does_it_hurt"], "en")
    wait_until(lambda: _pending(widget) == [], what="the acknowledgement")

    # The acknowledgement was lost again: the repeat is answered from the record.
    _leave_pending(widget, item)
    widget.driver.refresh()
    widget.wait_online()
    wait_until(lambda: _pending(widget) == [], what="the second acknowledgement")
    time.sleep(1)
    assert widget.bot_texts()[2:] == [answer]  # not shown twice
    tracker = assistant.tracker(session_id)
    ids = [e.get("message_id") for e in tracker["events"] if e["event"] == "user"]
    assert ids.count(item["id"]) == 1
    assert len(ids) == 3 and len(set(ids)) == 3  # greeting, clinics, tuina: one each
