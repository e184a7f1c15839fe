"""The editing pages over HTTP: a real `python -m console` on a copy of the data.

No browser, no Rasa server, no training: who may open and post what (403s on the
server), a save refused with make validate's error and the file untouched, a save
committed as its author, undo, the review page without stored conversations.
"""

import html
import re
import shutil
import subprocess
import sys

import pytest
import requests

from booking.outbox import Outbox
from console.accounts import save_account
from console.db import ConsoleStore
from scripts.servers import ROOT, running_console
from tests.console.test_app import PASSWORD, form_token

ROLES = {"rita": "reception", "eddie": "editor", "ada": "admin"}
PAGES = ["/answers", "/answers/tuina_what", "/answers/new", "/review", "/history"]


@pytest.fixture(scope="module")
def console(tmp_path_factory):
    work = tmp_path_factory.mktemp("console-editing")
    project = work / "project"
    project.mkdir()
    for name in ("domain.yml", "config.yml"):
        shutil.copy2(ROOT / name, project / name)
    shutil.copytree(ROOT / "data", project / "data")
    with Outbox(work / "bookings.db") as outbox:
        store = ConsoleStore(outbox)
        for name, role in ROLES.items():
            save_account(store, name, role, PASSWORD)
    settings = {
        "EDITING_PROJECT_DIR": str(project),
        "EDITING_MODELS_DIR": str(work / "models"),
        "EDITING_RASA_URLS": "http://127.0.0.1:9",
    }
    with running_console(
        work / "tracker.db", work / "bookings.db", work, "unit tests", settings
    ) as url:
        yield url, project


def signed_in(base: str, name: str) -> tuple:
    session = requests.Session()
    token = form_token(session.get(f"{base}/login", timeout=10).text)
    session.post(
        f"{base}/login",
        timeout=10,
        data={"csrf": token, "name": name, "password": PASSWORD},
    )
    page = session.get(f"{base}/dashboard", timeout=10).text
    return session, re.search(r'"X-CSRF-Token": "([^"]+)"', page).group(1)


def _form(page: str) -> dict:
    fields = {}
    for match in re.finditer(r"<(input|textarea)[^>]*name=\"([^\"]+)\"[^>]*>", page):
        tag, name = match.groups()
        if tag == "textarea":
            end = page.index("</textarea>", match.end())
            fields[name] = page[match.end() : end]
        else:
            value = re.search(r'value="([^"]*)"', match.group(0))
            fields[name] = value.group(1) if value else ""
    for match in re.finditer(r'<select name="([^"]+)">(.*?)</select>', page, re.S):
        chosen = re.search(r'<option value="([^"]*)" selected', match.group(2))
        fields[match.group(1)] = chosen.group(1) if chosen else ""

    return {k: html.unescape(v) for k, v in fields.items()}


@pytest.mark.parametrize("name", sorted(ROLES))
def test_only_editors_and_admins_open_the_editing_pages(console, name):
    base, _ = console
    session, _ = signed_in(base, name)
    for page in [*PAGES, "/release"]:
        status = session.get(base + page, timeout=10).status_code
        assert status == (403 if name == "rita" else 200), page


def test_an_editor_may_not_put_live_or_roll_back(console):
    base, _ = console
    session, csrf = signed_in(base, "eddie")
    for action in ("/release/live", "/release/rollback"):
        reply = session.post(base + action, data={"csrf": csrf}, timeout=10)
        assert reply.status_code == 403, action


def test_an_admin_is_refused_an_unchecked_candidate(console):
    base, _ = console
    session, csrf = signed_in(base, "ada")
    reply = session.post(
        base + "/release/live",
        data={"csrf": csrf, "candidate": "../clinic.tar.gz"},
        timeout=10,
    )
    assert reply.status_code == 409 and 'id="refused"' in reply.text


def test_an_over_long_answer_is_not_saved_and_a_good_one_is_committed(console):
    base, project = console
    session, csrf = signed_in(base, "eddie")
    form = _form(session.get(f"{base}/answers/contact", timeout=10).text)
    path = project / "data" / "faq" / "clinic.yml"
    before = path.read_text(encoding="utf-8")
    checked = session.post(
        f"{base}/answers/check",
        data={**form, "answer_zh": "请" * 700},
        headers={"X-CSRF-Token": csrf},
        timeout=30,
    )
    assert "2100 / 2048" in checked.text and "WeChat" in checked.text
    refused = session.post(
        f"{base}/answers/save", data={**form, "answer_zh": "请" * 700}, timeout=30
    )
    assert 'id="not-saved"' in refused.text
    assert path.read_text(encoding="utf-8") == before
    saved = session.post(
        f"{base}/answers/save", data={**form, "answer_zh": "请致电前台。"}, timeout=30
    )
    assert saved.url.endswith("/answers/contact?saved=1")
    history = session.get(f"{base}/history", timeout=10).text
    assert re.search(r'class="author">eddie<.*?Changed faq/contact', history, re.S)
    commit = re.search(r'href="/history/([0-9a-f]{40})"', history).group(1)
    diff = session.get(f"{base}/history/{commit}", timeout=10).text
    assert diff.count('class="del"') == 1 and diff.count('class="add"') == 1
    undone = session.post(
        f"{base}/history/{commit}/undo", data={"csrf": csrf}, timeout=30
    )
    assert "Undo: Changed faq/contact" in undone.text
    assert 'id="undo-problems"' not in undone.text
    assert path.read_text(encoding="utf-8") == before


def test_the_review_page_works_before_any_conversation(console):
    base, _ = console
    session, _ = signed_in(base, "eddie")
    page = session.get(f"{base}/review", timeout=10)
    assert page.status_code == 200 and "0 groups" in page.text


def test_a_new_topic_is_added_in_both_languages(console):
    base, project = console
    session, _ = signed_in(base, "eddie")
    form = _form(session.get(f"{base}/answers/new", timeout=10).text)
    form.update(
        key="parking",
        file="data/faq/practical.yml",
        answer_en="There is paid parking near both clinics.",
        answer_zh="两家诊所附近都有收费停车场。",
        examples_en="\n".join(f"where do i park, question {n}" for n in range(20)),
        examples_zh="\n".join(f"停车场在哪里，第{n}个问题" for n in range(12)),
    )
    saved = session.post(f"{base}/answers/save", data=form, timeout=30)
    assert saved.url.endswith("/answers/parking?saved=1")
    text = (project / "data/faq/practical.yml").read_text(encoding="utf-8")
    assert "  - intent: faq/parking\n" in text and "  utter_faq/parking:\n" in text
    again = session.post(f"{base}/answers/save", data=form, timeout=30)
    assert 'id="key-error"' in again.text  # the name is taken now


def test_make_validate_passes_on_the_files_the_console_wrote(console):
    base, project = console
    session, _ = signed_in(base, "eddie")
    form = _form(session.get(f"{base}/answers/does_it_hurt", timeout=10).text)
    form["answer_zh"] = "推拿整体上应该是舒适的。如果疼，请告诉治疗师。"
    session.post(f"{base}/answers/save", data=form, timeout=30)
    checked = subprocess.run(  # noqa: S603 - our own code
        [sys.executable, "-m", "staff.validate", str(project)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert checked.returncode == 0, checked.stderr[-2000:]
