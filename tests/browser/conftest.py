"""The real servers and Debian's headless Chromium, driven by Selenium.

Selenium drives /usr/bin/chromedriver and /usr/bin/chromium (installed by
`make chromium`); nothing downloads a browser. Each test gets a fresh browser profile,
so it starts as a new visitor.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator, List, TypeVar

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.remote.webelement import WebElement

from scripts.servers import ROOT, Assistant
from tests.assistant import started_assistant

WIDGET_BUNDLE = ROOT / "webchat" / "dist" / "widget.js"
CHROMIUM, CHROMEDRIVER = Path("/usr/bin/chromium"), Path("/usr/bin/chromedriver")
SCREENSHOTS = ROOT / "results" / "browser"
DESKTOP, PHONE = (1280, 800), (390, 844)
WAIT = 20.0

T = TypeVar("T")


def wait_until(condition: Callable[[], T], timeout: float = WAIT, what: str = "") -> T:
    """Returns the first truthy value of `condition()`, polling until `timeout`."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            value = condition()
        except Exception:  # the page is changing under us: try again
            value = None
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(0.1)


class Widget:
    """The chat widget on a page in the browser, as a visitor sees and uses it."""

    def __init__(self, driver: WebDriver, url: str) -> None:
        self.driver, self.url = driver, url

    def find(self, css: str) -> WebElement:
        """The first element matching `css`."""
        return self.driver.find_element(By.CSS_SELECTOR, css)

    def find_all(self, css: str) -> List[WebElement]:
        """Every element matching `css`."""
        return self.driver.find_elements(By.CSS_SELECTOR, css)

    @contextmanager
    def on_a_phone(self) -> Iterator[Widget]:
        """The page as a phone shows it (PHONE, touch), for the block's duration."""
        self.driver.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride",
            {
                "width": PHONE[0],
                "height": PHONE[1],
                "deviceScaleFactor": 2,
                "mobile": True,
            },
        )
        try:
            yield self
        finally:
            self.driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})

    def load(self, path: str = "/webchat/") -> Widget:
        """Opens a page of the site and waits for the widget to be on it."""
        self.driver.get(self.url + path)
        wait_until(lambda: self.find_all(".bsc-launcher"), what="the launcher")
        return self

    def open(self) -> Widget:
        """Clicks the launcher and waits until the widget is connected."""
        self.find(".bsc-launcher").click()
        wait_until(lambda: self.find(".bsc-panel").is_displayed(), what="the panel")
        return self.wait_online()

    def wait_online(self) -> Widget:
        """Waits until the widget says it is connected."""
        wait_until(
            lambda: self.find(".bsc-root").get_attribute("data-connection") == "online",
            what="the connection",
        )
        return self

    def bot_texts(self) -> List[str]:
        """The text of every bot message, oldest first."""
        return [e.text for e in self.find_all(".bsc-bot .bsc-text")]

    def user_texts(self) -> List[str]:
        """The text of every message the visitor sent, oldest first."""
        return [e.text for e in self.find_all(".bsc-user .bsc-text")]

    def wait_bot(self, count: int) -> List[str]:
        """Waits until there are at least `count` bot messages and returns them all."""
        return wait_until(
            lambda: len(self.bot_texts()) >= count and self.bot_texts(),
            what=f"{count} bot messages",
        )

    def say(self, text: str) -> List[str]:
        """Types `text`, presses Enter, and returns the bot's new messages."""
        before = len(self.bot_texts())
        box = self.find(".bsc-input")
        box.send_keys(text)
        box.send_keys("\n")
        return self.replies_after(before)

    def replies_after(self, before: int) -> List[str]:
        """The bot messages after the first `before`, once they stop arriving."""
        self.wait_bot(before + 1)
        # A reply may come in several messages: wait until no more arrive for a moment.
        count = len(self.bot_texts())
        while True:
            time.sleep(0.5)
            now = len(self.bot_texts())
            if now == count:
                return self.bot_texts()[before:]
            count = now

    def session_id(self) -> str:
        """The conversation id the widget uses."""
        return self.driver.execute_script("return window.BodySoulChat.sessionId")

    def screenshot(self, name: str) -> Path:
        """Saves a screenshot under results/browser/."""
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        self.driver.save_screenshot(str(path))
        return path


@pytest.fixture(scope="session")
def assistant(tmp_path_factory) -> Iterator[Assistant]:
    """The Rasa server (with the webchat channel), action server and booking relay."""
    if not WIDGET_BUNDLE.exists():
        pytest.fail(f"{WIDGET_BUNDLE} is missing: run `make webchat` first.")
    with started_assistant(tmp_path_factory.mktemp("servers")) as running:
        yield running


def chromium_options(profile: str) -> webdriver.ChromeOptions:
    """Headless Debian Chromium, quiet (no network of its own), with a fresh profile."""
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for argument in [
        "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
        "--disable-background-networking", "--disable-component-update",
        "--disable-sync", f"--user-data-dir={profile}",
        f"--window-size={DESKTOP[0]},{DESKTOP[1]}", "--lang=en-US",
    ]:  # fmt: skip
        options.add_argument(argument)
    return options


@pytest.fixture
def driver() -> Iterator[WebDriver]:
    """A new headless Chromium: a new visitor, with nothing stored."""
    if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
        pytest.fail("chromium / chromedriver are missing: run `make chromium`.")
    profile = tempfile.mkdtemp(prefix="chromium-")
    service = Service(str(CHROMEDRIVER), log_output=os.devnull)
    browser = webdriver.Chrome(service=service, options=chromium_options(profile))
    try:
        yield browser
    finally:
        browser.quit()
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture
def widget(driver: WebDriver, assistant: Assistant) -> Widget:
    """The widget on the demo page (not opened yet)."""
    return Widget(driver, assistant.url)
