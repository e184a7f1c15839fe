"""The privacy notice: the widget's line and link, and the page /webchat/privacy."""

from __future__ import annotations

import re

import pytest
import requests
from selenium.webdriver.common.by import By

from privacy.notice import (
    WIDGET_NOTICE,
    WIDGET_NOTICE_LINK,
    NoticeFacts,
    notice_facts,
)
from privacy.settings import NOTICE_VERSION
from tests.browser.conftest import PHONE, SCREENSHOTS, Widget, wait_until


@pytest.fixture(scope="module")
def facts() -> NoticeFacts:
    """What the servers state: they run with this process's environment."""
    return notice_facts()


def notice_line(widget: Widget) -> str:
    return widget.find(".bsc-notice").text


def open_link_in_new_tab(widget: Widget, css: str) -> str:
    """Clicks the link, switches to the tab it opened, and returns the page's text."""
    driver = widget.driver
    before = set(driver.window_handles)
    widget.find(css).click()
    [tab] = wait_until(lambda: set(driver.window_handles) - before, what="the new tab")
    driver.switch_to.window(tab)
    return wait_until(
        lambda: driver.find_element(By.TAG_NAME, "main").text, what="the notice"
    )


# -- the widget ----------------------------------------------------------------------


def test_widget_shows_the_notice_and_its_link_before_the_first_message(
    widget, assistant, facts
):
    widget.load("/webchat/").open()
    widget.wait_bot(1)  # the greeting: the notice is still there
    notice = widget.find(".bsc-notice")
    assert notice.is_displayed()
    expected = WIDGET_NOTICE["en"].format(days=facts.conversation_days)
    assert notice_line(widget) == f"{expected} {WIDGET_NOTICE_LINK['en']}"
    link = widget.find(".bsc-notice a")
    assert link.text == "Privacy notice"
    assert link.get_attribute("href") == f"{assistant.url}/webchat/privacy"
    assert link.get_attribute("target") == "_blank"
    assert "noopener" in link.get_attribute("rel").split()
    # Between the conversation and the input, and the footer link not yet shown.
    assert notice.location["y"] < widget.find(".bsc-input").location["y"]
    assert not widget.find(".bsc-footer").is_displayed()
    widget.screenshot("widget-privacy-notice")

    # The first message: the line goes, a small link stays below the input.
    widget.say("does tuina hurt?")
    assert not notice.is_displayed()
    footer = widget.find(".bsc-footer a")
    assert footer.is_displayed() and footer.text == "Privacy"
    assert footer.get_attribute("href") == f"{assistant.url}/webchat/privacy"
    assert footer.location["y"] > widget.find(".bsc-input").location["y"]
    widget.screenshot("widget-privacy-after-first-message")
    # Remembered across a reload.
    widget.driver.refresh()
    widget.wait_online()
    assert not widget.find(".bsc-notice").is_displayed()
    assert widget.find(".bsc-footer a").is_displayed()

    text = open_link_in_new_tab(widget, ".bsc-footer a")
    assert "Privacy notice" in text
    assert f"for {facts.conversation_days} days" in text


def test_chinese_widget_shows_the_notice_in_chinese_on_a_phone(
    widget, assistant, facts
):
    with widget.on_a_phone():
        widget.load("/webchat/?lang=zh").open()
        widget.wait_bot(1)
        expected = WIDGET_NOTICE["zh"].format(days=facts.conversation_days)
        assert notice_line(widget) == f"{expected} {WIDGET_NOTICE_LINK['zh']}"
        link = widget.find(".bsc-notice a")
        assert link.text == "隐私声明"
        assert link.get_attribute("href") == f"{assistant.url}/webchat/privacy?lang=zh"
        # It fits the phone's width, above the input, and does not crowd the log out.
        notice = widget.find(".bsc-notice").rect
        assert notice["x"] >= 0 and notice["x"] + notice["width"] <= PHONE[0]
        assert notice["height"] < 80
        assert widget.find(".bsc-log").rect["height"] > PHONE[1] / 2
        widget.screenshot("widget-privacy-notice-phone")

    text = open_link_in_new_tab(widget, ".bsc-notice a")
    assert "隐私声明" in text
    assert f"{facts.conversation_days} 天后自动删除" in text


def test_notice_follows_the_language_buttons(widget, assistant, facts):
    widget.load("/webchat/").open()
    widget.wait_bot(1)
    widget.find('.bsc-lang button[data-lang="zh"]').click()
    wait_until(lambda: "隐私声明" in notice_line(widget), what="the Chinese notice")
    chinese = WIDGET_NOTICE["zh"].format(days=facts.conversation_days)
    assert notice_line(widget).startswith(chinese)
    assert widget.find(".bsc-notice a").get_attribute("href").endswith("?lang=zh")
    widget.find('.bsc-lang button[data-lang="en"]').click()
    wait_until(lambda: "Privacy notice" in notice_line(widget), what="English again")
    href = widget.find(".bsc-notice a").get_attribute("href")
    assert href == f"{assistant.url}/webchat/privacy"
    # The footer link follows too, once the visitor has written.
    widget.say("hello")
    widget.find('.bsc-lang button[data-lang="zh"]').click()
    footer = widget.find(".bsc-footer a")
    wait_until(lambda: footer.text == "隐私", what="the Chinese footer link")
    assert footer.get_attribute("href").endswith("/webchat/privacy?lang=zh")


def test_served_widget_states_the_configured_days(assistant, facts):
    script = requests.get(f"{assistant.url}/webchat/widget.js", timeout=10).text
    mark = f"/* CONVERSATION_RETENTION_DAYS */ {facts.conversation_days};"
    assert mark in script


# -- the page --------------------------------------------------------------------------


def test_privacy_page_is_html_without_script_in_the_asked_language(assistant):
    url = f"{assistant.url}/webchat/privacy"
    page = requests.get(url, timeout=10)
    assert page.status_code == 200
    assert page.headers["Content-Type"] == "text/html; charset=utf-8"
    assert page.headers["Cache-Control"] == "no-cache"
    assert page.headers["Referrer-Policy"] == "no-referrer"
    assert page.headers["X-Content-Type-Options"] == "nosniff"
    csp = page.headers["Content-Security-Policy"]
    assert "default-src 'none'" in csp and "script-src" not in csp
    assert '<html lang="en">' in page.text and "<script" not in page.text
    assert page.headers["Content-Language"] == "en"

    chinese = requests.get(url, params={"lang": "zh"}, timeout=10)
    assert '<html lang="zh-CN">' in chinese.text
    # No parameter: the browser's language; a parameter wins over it.
    browser_zh = {"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.8"}
    browser_chinese = requests.get(url, headers=browser_zh, timeout=10)
    assert '<html lang="zh-CN">' in browser_chinese.text
    asked_en = requests.get(url, params={"lang": "en"}, headers=browser_zh, timeout=10)
    assert '<html lang="en">' in asked_en.text
    assert "Accept-Language" in page.headers["Vary"]

    head = requests.head(url, timeout=10)
    assert head.status_code == 200 and head.content == b""
    again = requests.get(
        url, headers={"If-None-Match": page.headers["ETag"]}, timeout=10
    )
    assert again.status_code == 304


def test_privacy_page_in_the_browser_in_english_and_chinese(driver, assistant, facts):
    driver.get(f"{assistant.url}/webchat/privacy")
    english = driver.find_element(By.TAG_NAME, "body").text
    assert driver.find_element(By.TAG_NAME, "h1").text.startswith("Privacy notice")
    for phrase in [
        "Body & Soul Medical Clinics, Shanghai",
        f"for {facts.conversation_days} days, then deleted automatically",
        f"{facts.booking_days} days after they reach the clinic",
        "only after you agree in the chat",
        "Personal Information Protection Law (PIPL)",
        '"delete my data"',
        f"Notice version {NOTICE_VERSION}",
    ]:
        assert phrase in english, phrase
    page_screenshot(driver, "privacy-page-en")

    driver.find_element(By.LINK_TEXT, "中文").click()
    wait_until(
        lambda: (
            driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "zh-CN"
        ),
        what="the Chinese page",
    )
    chinese = driver.find_element(By.TAG_NAME, "body").text
    for phrase in [
        "隐私声明",
        "上海 Body & Soul 医疗诊所",
        f"{facts.conversation_days} 天后自动删除",
        f"送达诊所 {facts.booking_days} 天后",
        "《个人信息保护法》",
        "「删除我的信息」",
        f"声明版本 {NOTICE_VERSION}",
    ]:
        assert phrase in chinese, phrase
    assert not re.search(r"\bdays\b", chinese)
    page_screenshot(driver, "privacy-page-zh")


def page_screenshot(driver, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    driver.save_screenshot(str(SCREENSHOTS / f"{name}.png"))
