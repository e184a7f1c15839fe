"""The staff console in headless Chromium, beside the real assistant servers.

The assistant (Rasa server with the widget, action server, relay: tests/browser's
fixtures) and the console run on free loopback ports on the same outbox and tracker
store; accounts are made for each role before the console starts.
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, List

import pytest
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.remote.webelement import WebElement

from booking.outbox import Outbox
from console.accounts import save_account
from console.db import ConsoleStore
from scripts.servers import (
    ROOT,
    Assistant,
    ServerError,
    running_console,
)
from tests.browser.conftest import (  # noqa: F401 - fixtures shared with tests/browser
    PHONE,
    assistant,
    driver,
    wait_until,
    widget,
)

SCREENSHOTS = ROOT / "results" / "console"
HTMX = ROOT / "console" / "static" / "dist" / "htmx.min.js"
PASSWORDS = {
    "rita": ("reception", "reception password 1"),
    "eddie": ("editor", "editor password 12"),
    "ada": ("admin", "admin password 123"),
    "luke": ("reception", "lockable password 1"),
}


@dataclass
class Console:
    """The running console: its address and the files it works on."""

    url: str
    outbox: Path
    log: Path


@pytest.fixture(scope="session")
def console(
    assistant: Assistant,  # noqa: F811 - the fixture imported above
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Console]:
    """`python -m console` on the assistant's outbox and tracker store."""
    if not HTMX.exists():
        pytest.fail(f"{HTMX} is missing: run `make console-assets` first.")
    with Outbox(assistant.outbox) as outbox:
        store = ConsoleStore(outbox)
        for name, (role, password) in PASSWORDS.items():
            save_account(store, name, role, password)
    work = tmp_path_factory.mktemp("console")
    try:
        with running_console(
            assistant.tracker_db,
            assistant.outbox,
            work,
            "browser tests",
            # The Live queue's replies and hand-backs go to this Rasa server.
            {"HANDOVER_RASA_URL": assistant.url, "HANDOVER_TOKEN": assistant.token},
        ) as url:
            yield Console(url, assistant.outbox, work / "console.log")
    except ServerError as error:
        pytest.fail(str(error))


class Page:
    """The console in the browser, as a member of staff uses it."""

    def __init__(self, browser: WebDriver, url: str) -> None:
        self.driver, self.url = browser, url

    def go(self, path: str) -> Page:
        """Opens a page of the console."""
        self.driver.get(self.url + path)
        return self

    def find(self, css: str) -> WebElement:
        """The first element matching `css`."""
        return self.driver.find_element(By.CSS_SELECTOR, css)

    def find_all(self, css: str) -> List[WebElement]:
        """Every element matching `css`."""
        return self.driver.find_elements(By.CSS_SELECTOR, css)

    def text(self, css: str = "main") -> str:
        """The visible text of the first element matching `css`."""
        return self.find(css).text

    def sign_in(self, name: str, password: str | None = None) -> Page:
        """Fills in and sends the sign-in form."""
        self.go("/login")
        self.find("input[name=name]").send_keys(name)
        self.find("input[name=password]").send_keys(password or PASSWORDS[name][1])
        self.click_and_wait("#sign-in")
        return self

    def new_count(self) -> int:
        """The header's count of new requests (no badge: none)."""
        badges = self.find_all("#new-count")
        return int(badges[0].text) if badges else 0

    def click_and_wait(self, css: str) -> None:
        """Clicks a button or link and waits for the next page to replace this one."""
        element = self.find(css)
        element.click()
        wait_until(lambda: _gone(element), what=f"the page after {css}")

    def csrf(self) -> str:
        """The session's CSRF token, as htmx sends it."""
        headers = self.find("body").get_attribute("hx-headers")
        return re.search(r'"X-CSRF-Token": "([^"]+)"', headers).group(1)

    def post(self, path: str, fields: dict) -> None:
        """Submits a form built in the page (what a forged or scripted POST does)."""
        self.driver.execute_script(
            """
            const form = document.createElement("form");
            form.method = "post"; form.action = arguments[0];
            for (const [name, value] of Object.entries(arguments[1])) {
              const input = document.createElement("input");
              input.type = "hidden"; input.name = name; input.value = value;
              form.appendChild(input);
            }
            document.body.appendChild(form); form.submit();
            """,
            path,
            fields,
        )

    @contextmanager
    def on_a_phone(self) -> Iterator[Page]:
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

    def screenshot(self, name: str) -> Path:
        """Saves results/console/<name>.png (docs/ has copies, see console.md)."""
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        self.driver.save_screenshot(str(path))
        return path


def _gone(element: WebElement) -> bool:
    try:
        element.is_enabled()
    except WebDriverException:  # stale, or (after a viewport change) unknown to it
        return True
    return False


@pytest.fixture
def page(driver: WebDriver, console: Console) -> Page:  # noqa: F811 - imported fixture
    """The console in a fresh browser (nobody signed in)."""
    return Page(driver, console.url)
