"""Editing answers, filing missed questions, checking and releasing, in Chromium.

The real Rasa server, action server and relay (tests/browser's fixtures) answer the
visitor over REST; a console of its own edits a temporary copy of the project's data
(EDITING_PROJECT_DIR, a git repository made at start) and keeps its models in a
temporary folder (EDITING_MODELS_DIR, the live model a copy of models/clinic.tar.gz),
and puts models live on that Rasa server. The tests run in order and share the
console: two trainings in all (one good candidate carrying the Chinese answer and the
filed question, one made worse on purpose), about 3 minutes each.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Iterator, List

import pytest
from selenium.webdriver.support.select import Select

from booking.outbox import Outbox
from console.accounts import save_account
from console.db import ConsoleStore
from editing.faq import find_topic
from scripts.servers import ROOT, Assistant, ServerError, running_console
from staff.checks import load_project, normalise
from tests.browser.conftest import wait_until
from tests.console.browser.conftest import PASSWORDS, SCREENSHOTS, Page

VISITOR = "visitor-editing-1"
QUESTION = "推拿是什么？"
NEW_ANSWER = (
    "推拿是中医的一种按摩疗法，以经络理论为基础，帮助气血运行更加和谐。（控制台修改）"
)
# Taken for off-topic today; the addresses answer it (parking would not be: the
# articles leave it open, components/unanswered.py).
MISSED = "can u share the map"
# Long enough to train a candidate, evaluate it and the live model on this machine.
CHECK_TIMEOUT = 900
# Topics whose examples are replaced by near-copies of another's: a worse model.
WORSENED = {
    "tuina_what_to_expect": "medical_vs_spa",
    "back_pain_treatment": "tcm_back_pain_causes",
}


@dataclass
class EditingConsole:
    """The console on a copy of the data, and where that copy is."""

    url: str
    project: Path
    models: Path
    times: Dict[str, float]


@pytest.fixture(scope="module")
def editing(
    assistant: Assistant, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[EditingConsole]:
    """`python -m console` editing a temporary copy of the data, releasing to Rasa."""
    work = tmp_path_factory.mktemp("editing")
    project, models = work / "project", work / "models"
    project.mkdir()
    for name in ("domain.yml", "config.yml"):
        shutil.copy2(ROOT / name, project / name)
    shutil.copytree(ROOT / "data", project / "data")
    models.mkdir()
    shutil.copy2(ROOT / "models" / "clinic.tar.gz", models / "clinic.tar.gz")
    with Outbox(assistant.outbox) as outbox:
        store = ConsoleStore(outbox)
        for name, (role, password) in PASSWORDS.items():
            save_account(store, name, role, password)
    settings = {
        "EDITING_PROJECT_DIR": str(project),
        "EDITING_MODELS_DIR": str(models),
        "EDITING_RASA_URLS": assistant.url,
        "RASA_AUTH_TOKEN": assistant.token,
        "HANDOVER_RASA_URL": assistant.url,
    }
    times: Dict[str, float] = {}
    try:
        with running_console(
            assistant.tracker_db, assistant.outbox, work, "editing tests", settings
        ) as url:
            yield EditingConsole(url, project, models, times)
    except ServerError as error:
        pytest.fail(str(error))
    finally:
        if times:
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            (SCREENSHOTS / "check-times.json").write_text(json.dumps(times, indent=2))


@pytest.fixture
def page(driver, editing: EditingConsole) -> Page:
    """The editing console in a fresh browser (nobody signed in)."""
    return Page(driver, editing.url)


def _answer(assistant: Assistant, text: str) -> str:
    return " ".join(m.get("text", "") for m in assistant.say(VISITOR, text))


def _type(page: Page, css: str, text: str) -> None:
    box = page.find(css)
    box.clear()
    box.send_keys(text)


def _set(page: Page, css: str, text: str) -> None:
    # A long paste: the value at once, then the input event typing would fire.
    page.driver.execute_script(
        "const box = document.querySelector(arguments[0]); box.value = arguments[1];"
        "box.dispatchEvent(new Event('input', {bubbles: true}));",
        css,
        text,
    )


def _check_changes(page: Page, editing: EditingConsole, name: str) -> str:
    """Clicks Check changes, waits for the verdict; returns data-passes."""
    page.go("/release")
    started = time.monotonic()
    page.click_and_wait("#check-changes")
    wait_until(lambda: page.find_all("#progress-bar"), what="the progress bar")
    if name == "good":
        wait_until(
            lambda: int(page.find("#progress-bar").get_attribute("value")) > 5,
            timeout=CHECK_TIMEOUT,
            what="the progress to move",
        )
        page.screenshot("console-release-progress-desktop")
    verdict = wait_until(
        lambda: page.find_all("#verdict"), timeout=CHECK_TIMEOUT, what="the verdict"
    )[0]
    editing.times[name] = round(time.monotonic() - started, 1)
    return verdict.get_attribute("data-passes")


def test_editor_fixes_an_over_long_chinese_answer_and_files_a_missed_question(
    page: Page, editing: EditingConsole, assistant: Assistant
) -> None:
    """Live checks refuse an answer over one WeChat message; the fix is saved."""
    assert "推拿是中医（TCM）的一种按摩疗法" in _answer(assistant, QUESTION)
    # The missed question, twice in near-identical words: one group of two.
    for text in (MISSED, "Can u share the map?"):
        assistant.say(f"visitor-missed-{len(text)}", text)
    page.sign_in("eddie").go("/answers")
    assert page.find_all("#topic-tuina_what")
    page.screenshot("console-answers-desktop")
    with page.on_a_phone():
        page.screenshot("console-answers-phone")
    page.go("/answers/tuina_what")
    before = (editing.project / "data/faq/tuina.yml").read_text(encoding="utf-8")
    _set(page, "#answer-zh", "推" * 700)
    wait_until(lambda: "2100 / 2048" in page.text("#bytes-zh"), what="the byte counter")
    problems = [p.text for p in page.find_all(".problem")]
    assert any("2100 bytes" in p and "WeChat" in p for p in problems), problems
    page.driver.execute_script(
        "document.querySelector('#checks').scrollIntoView({block: 'center'})"
    )
    page.screenshot("console-answer-error-desktop")
    with page.on_a_phone():
        page.driver.execute_script(
            "document.querySelector('#problems').scrollIntoView({block: 'start'})"
        )
        page.screenshot("console-answer-error-phone")
    page.click_and_wait("#save-topic")
    assert page.find_all("#not-saved")
    assert (editing.project / "data/faq/tuina.yml").read_text(
        encoding="utf-8"
    ) == before

    _type(page, "#answer-zh", NEW_ANSWER)
    wait_until(lambda: page.find_all("#no-problems"), what="no problems")
    page.click_and_wait("#save-topic")
    assert page.find_all("#saved")
    after = (editing.project / "data/faq/tuina.yml").read_text(encoding="utf-8")
    changed = [
        (old, new)
        for old, new in zip(before.splitlines(), after.splitlines(), strict=True)
        if old != new
    ]
    assert len(changed) == 1 and NEW_ANSWER in changed[0][1]
    assert len(before.splitlines()) == len(after.splitlines())

    page.go("/review")
    row = next(r for r in page.find_all(".missed-group") if MISSED in r.text.lower())
    assert row.find_element("css selector", ".times").text == "2"
    page.screenshot("console-review-desktop")
    with page.on_a_phone():
        page.screenshot("console-review-phone")
    Select(row.find_element("css selector", "select.target")).select_by_value(
        "locations"
    )
    button = row.find_element("css selector", "button.file")
    button.click()
    wait_until(lambda: page.find_all("#filed"), what="the filed note")
    assert MISSED not in page.text("#missed").lower()
    locations = find_topic(editing.project, "locations")
    assert MISSED in [e.lower() for e in locations.examples["en"]]


def test_editor_checks_changes_but_cannot_put_them_live(
    page: Page, editing: EditingConsole
) -> None:
    """The candidate trains in the background, passes the bar; editors get 403."""
    page.sign_in("eddie")
    assert _check_changes(page, editing, "good") == "yes", page.text("#verdict")
    # The budget is 3 minutes on an idle machine (docs/console.md, "Measured"); CI
    # shares it with other work, so only a runaway check fails here.
    assert editing.times["good"] <= 600, editing.times
    page.screenshot("console-release-verdict-desktop")
    with page.on_a_phone():
        page.screenshot("console-release-verdict-phone")
    assert not page.find_all("#put-live")
    verdicts = list((editing.models / "candidates").glob("*.verdict.json"))
    assert len(verdicts) == 1 and not json.loads(verdicts[0].read_text())["failures"]
    name = next((editing.models / "candidates").glob("*.tar.gz")).name
    page.post("/release/live", {"csrf": page.csrf(), "candidate": name})
    wait_until(
        lambda: page.text("h1") in ("Not allowed", "无权访问"), what="the 403 page"
    )


def test_admin_puts_it_live_and_the_visitor_gets_the_new_answer_at_once(
    page: Page, editing: EditingConsole, assistant: Assistant
) -> None:
    """PUT /model on the running server: the same conversation, the new answer."""
    page.sign_in("ada").go("/release")
    page.click_and_wait("#put-live")
    assert page.find_all("#released")
    assert NEW_ANSWER in _answer(assistant, QUESTION)
    tracker = assistant.tracker(VISITOR)
    texts = [e.get("text") for e in tracker["events"] if e["event"] == "user"]
    assert texts.count(QUESTION) == 2  # one conversation, before and after
    reply = _answer(assistant, MISSED)
    locations = find_topic(editing.project, "locations")
    assert locations.answers["en"].split("\n")[0] in reply, reply


def _worse_examples(editing: EditingConsole, source: str) -> Dict[str, List[str]]:
    known = {
        normalise(str(e.value))
        for examples in load_project(editing.project).examples.values()
        for e in examples
    }
    topic = find_topic(editing.project, source)
    worse: Dict[str, List[str]] = {}
    for language, filler in (("en", " please"), ("zh", "呢")):
        near = [e + filler for e in topic.examples[language]]
        worse[language] = [e for e in near if normalise(e) not in known]
    return worse


def test_a_candidate_made_worse_on_purpose_is_refused(
    page: Page, editing: EditingConsole, assistant: Assistant
) -> None:
    """Topics' examples moved under others: below the bar, Put live refused."""
    page.sign_in("eddie")
    for target, source in WORSENED.items():
        examples = _worse_examples(editing, source)
        page.go(f"/answers/{target}")
        _set(page, "#examples-en", "\n".join(examples["en"]))
        _set(page, "#examples-zh", "\n".join(examples["zh"]))
        page.click_and_wait("#save-topic")
        assert page.find_all("#saved"), page.text()
    page.driver.delete_all_cookies()
    page.sign_in("ada")
    assert _check_changes(page, editing, "worse") == "no"
    assert page.find_all(".failure")
    assert page.find("#put-live").get_attribute("disabled") is not None
    page.screenshot("console-release-refused-desktop")
    name = page.find("input[name=candidate]").get_attribute("value")
    page.post("/release/live", {"csrf": page.csrf(), "candidate": name})
    wait_until(lambda: page.find_all("#refused"), what="the refusal")
    assert "below the bar" in page.text("#refused")
    # Still the answer put live before.
    assert NEW_ANSWER in _answer(assistant, QUESTION)


def test_history_shows_each_change_with_its_author_and_undoes_one(
    page: Page, editing: EditingConsole
) -> None:
    """Every save and filing is a commit by its author; undo reverts one."""
    page.sign_in("eddie").go("/history")
    rows = [r.text for r in page.find_all(".change")]
    assert any("eddie" in r and "Changed faq/tuina_what" in r for r in rows), rows
    assert any("eddie" in r and "under faq/locations" in r for r in rows), rows
    page.screenshot("console-history-desktop")
    with page.on_a_phone():
        page.screenshot("console-history-phone")
    for target in WORSENED:
        link = next(
            a
            for a in page.find_all("#changes a.message")
            if a.text == f"Changed faq/{target}"
        )
        link.click()
        wait_until(lambda: page.find_all("#undo"), what="the change")
        assert page.find_all("#diff .del") and page.find_all("#diff .add")
        page.screenshot("console-change-desktop")
        page.click_and_wait("#undo")
        assert page.text("#change-message") == f"Undo: Changed faq/{target}"
        assert "eddie" in page.text("#change-author")
        assert not page.find_all("#undo-problems")
        page.go("/history")
    original = {t: find_topic(ROOT, t).examples for t in WORSENED}
    assert {t: find_topic(editing.project, t).examples for t in WORSENED} == original


def test_roll_back_restores_the_old_answer(
    page: Page, editing: EditingConsole, assistant: Assistant
) -> None:
    """Roll back puts the model from before the release live again."""
    page.sign_in("ada").go("/release")
    page.click_and_wait("#roll-back")
    assert page.find_all("#rolled-back")
    assert "推拿是中医（TCM）的一种按摩疗法" in _answer(assistant, QUESTION)


def test_the_files_the_console_wrote_pass_make_validate(
    editing: EditingConsole,
) -> None:
    """`python -m staff.validate` (what make validate runs) on the edited copy."""
    checked = subprocess.run(  # noqa: S603 - our own code
        [sys.executable, "-m", "staff.validate", str(editing.project)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert checked.returncode == 0, checked.stderr[-2000:]
