"""The staff console in a real browser, against the real servers, relay and console."""

from __future__ import annotations

import re
import uuid

import requests

from tests.browser.conftest import wait_until
from tests.console.browser.conftest import PASSWORDS, Page

BOOKING_PHONE = "13812345602"
SHOWN_PHONE = "+86 138 1234 5602"
MASKED_PHONE = "+86 138****5602"


def book_through_the_widget(widget) -> str:
    """A visitor books through the widget; returns the reference they are given."""
    widget.load("/webchat/").open()
    widget.wait_bot(1)
    widget.say("book tuina at minhang tomorrow at 3pm")
    widget.say("yes")
    widget.say("Mei Chen")
    widget.say(BOOKING_PHONE)
    widget.say("no")
    confirmation = "\n".join(widget.say("yes"))
    return re.search(r"BS-[0-9A-Z]{8}", confirmation).group()


def row_of(page: Page, reference: str):
    """The request's row in the requests list, reloading until it is there."""

    def shown():
        page.go("/requests")
        rows = page.find_all(f"tr[data-reference='{reference}']")
        return rows[0] if rows else None

    return wait_until(shown, timeout=10, what=f"{reference} in Requests")


def test_a_widget_booking_appears_in_requests_and_is_worked_to_confirmed(widget, page):
    reference = book_through_the_widget(widget)
    page.sign_in("rita")
    new_before = page.new_count()
    assert new_before >= 1
    row = row_of(page, reference)
    phone = row.find_element("css selector", ".phone a")
    assert phone.text == SHOWN_PHONE
    assert phone.get_attribute("href") == "tel:+8613812345602"
    assert "Mei Chen" in row.text and "New" in row.text
    page.screenshot("console-requests-desktop")
    with page.on_a_phone():
        page.screenshot("console-requests-phone")
    page.click_and_wait(f"tr[data-reference='{reference}'] a.ref")
    wait_until(lambda: page.find_all("#to-called"), what="the request's page")
    page.find("textarea[name=note]").send_keys("Rang, she will come at 3")
    page.click_and_wait("#to-called")
    wait_until(lambda: page.text("#status") == "Called", what="Called")
    page.click_and_wait("#to-confirmed")
    wait_until(lambda: page.text("#status") == "Confirmed", what="Confirmed")
    history = page.text("#history")
    assert "New → Called" in history and "Called → Confirmed" in history
    assert "rita" in history and "Rang, she will come at 3" in history
    assert not page.find_all("#to-called")  # nothing after confirmed
    page.screenshot("console-request-desktop")
    with page.on_a_phone():
        page.screenshot("console-request-phone")
    assert (
        int(page.text("#new-count") or 0) == new_before - 1 if new_before > 1 else True
    )


def test_an_editor_sees_the_phone_masked_and_is_refused_the_export(widget, page):
    reference = book_through_the_widget(widget)
    page.sign_in("eddie")
    row = row_of(page, reference)
    assert row.find_element("css selector", ".phone").text == MASKED_PHONE
    assert not row.find_elements("css selector", ".phone a")  # no tel: link
    assert "Mei Chen" not in row.text
    row.find_element("css selector", "a.ref").click()
    wait_until(lambda: page.find_all("#phone"), what="the request's page")
    assert page.text("#phone") == MASKED_PHONE
    assert not page.find_all("#to-called")  # editors do not work requests
    page.go("/privacy")
    assert page.text("#error-title") == "Not allowed"
    page.post("/privacy/export", {"csrf": page.csrf(), "reference": reference})
    wait_until(lambda: page.find_all("#error-title"), what="the refusal")
    assert page.text("#error-title") == "Not allowed"
    assert reference not in page.driver.page_source


def test_five_wrong_passwords_lock_the_account(page, console):
    for attempt in range(5):
        page.sign_in("luke", f"wrong guess {attempt}")
        expected = "locked" if attempt == 4 else "Wrong account name or password"
        assert expected in page.text("#login-message")
    page.sign_in("luke")  # the right password, too late
    assert "locked" in page.text("#login-message")
    page.screenshot("console-login-desktop")
    with page.on_a_phone():
        page.screenshot("console-login-phone")
    page.sign_in("ada")
    page.go("/audit")
    log = page.text("#audit")
    assert "account locked" in log and "sign-in failed" in log
    page.screenshot("console-audit-desktop")
    with page.on_a_phone():
        page.screenshot("console-audit-phone")


def test_a_post_without_the_csrf_token_is_refused(widget, page, console):
    reference = book_through_the_widget(widget)
    page.sign_in("rita")
    row_of(page, reference).find_element("css selector", "a.ref").click()
    wait_until(lambda: page.find_all("#to-called"), what="the request's page")
    request_path = page.driver.current_url.replace(console.url, "")
    page.post(f"{request_path}/status", {"from": "new", "to": "called"})
    wait_until(lambda: page.find_all("#error-message"), what="the refusal")
    assert "did not come from the console" in page.text("#error-message")
    page.post(
        f"{request_path}/status", {"csrf": "forged", "from": "new", "to": "called"}
    )
    wait_until(lambda: page.find_all("#error-message"), what="the refusal")
    page.go(request_path)
    assert page.text("#status") == "New"
    # Nor is a sign-in form posted from elsewhere (no token of its own).
    reply = requests.post(
        f"{console.url}/login",
        data={"name": "rita", "password": PASSWORDS["rita"][1]},
        timeout=10,
    )
    assert reply.status_code == 403


def test_the_dashboard_shows_the_days_messages(assistant, page):
    page.sign_in("rita")
    page.go("/dashboard")
    before = int(page.text("#today-messages"))
    sender = f"dashboard-{uuid.uuid4().hex[:8]}"
    assistant.say(sender, "does tuina hurt?")
    assistant.say(sender, "where are your clinics?")
    page.go("/dashboard")
    assert int(page.text("#today-messages")) >= before + 2
    assert page.find_all("#chart-channel rect") and page.find_all("#chart-topics rect")
    assert "rest" in page.text("main")  # the channel's legend
    page.screenshot("console-dashboard-desktop")
    with page.on_a_phone():
        page.screenshot("console-dashboard-phone")


def test_conversations_show_what_was_understood_and_mask_for_editors(assistant, page):
    sender = f"transcript-{uuid.uuid4().hex[:8]}"
    assistant.say(sender, "does tuina hurt?")
    assistant.say(sender, "my number is 13912345678")
    page.sign_in("rita")
    page.go(f"/conversations?q={sender}")
    wait_until(lambda: page.find_all(f"tr[data-sender='{sender}']"), what="the row")
    page.screenshot("console-conversations-desktop")
    with page.on_a_phone():
        page.screenshot("console-conversations-phone")
    page.find(f"tr[data-sender='{sender}'] a").click()
    wait_until(lambda: page.find_all("#transcript"), what="the transcript")
    transcript = page.text("#transcript")
    assert "does tuina hurt?" in transcript and "13912345678" in transcript
    intents = [e.text for e in page.find_all(".intent")]
    assert "faq/does_it_hurt" in intents
    assert all(e.text.endswith("% sure") for e in page.find_all(".confidence"))
    page.screenshot("console-transcript-desktop")
    with page.on_a_phone():
        page.screenshot("console-transcript-phone")
    page.click_and_wait("#sign-out")
    page.sign_in("eddie")
    page.go(f"/conversations/view?id={sender}")
    assert "13912345678" not in page.text("#transcript")
    assert "139****5678" in page.text("#transcript")


def test_both_languages_and_the_choice_is_remembered(page):
    page.sign_in("rita")
    page.go("/requests")
    assert page.text("nav a[href='/requests']").startswith("Requests")
    page.click_and_wait("#lang-zh")
    wait_until(lambda: page.text("h1") == "预约请求", what="the Chinese page")
    page.go("/conversations")
    assert page.text("h1") == "对话记录"
    page.go("/dashboard")
    assert "今日访客消息" in page.text("main")
    page.click_and_wait("#lang-en")
    wait_until(lambda: page.text("h1") == "Dashboard", what="the English page")


def test_an_admin_exports_and_deletes_a_visitors_data_after_confirming(
    widget, page, console
):
    reference = book_through_the_widget(widget)
    page.sign_in("ada")
    page.go("/privacy")
    page.find("#whose-reference").send_keys(reference)
    page.click_and_wait("#find")
    wait_until(lambda: page.find_all("#found"), what="what was found")
    assert reference in page.text("#found") and MASKED_PHONE.replace(
        "+86 ", "+86 "
    ) in page.text("#found")
    page.screenshot("console-privacy-desktop")
    with page.on_a_phone():
        page.screenshot("console-privacy-phone")
    page.click_and_wait("#delete")
    wait_until(lambda: page.find_all("#confirm-delete"), what="the confirmation")
    page.click_and_wait("#confirm-delete")
    wait_until(lambda: page.find_all("#deleted"), what="the deletion")
    page.go("/requests")
    assert not page.find_all(f"tr[data-reference='{reference}']")
    page.go("/audit")
    assert "delete" in page.text("#audit")
