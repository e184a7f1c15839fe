"""The console's HTTP behaviour: a real `python -m console` on a small seeded store.

No browser and no Rasa server: the roles' 403s on every page, CSRF refusals, the
security headers, the sign-in cookie and form, masking for editors.
"""

import re

import pytest
import requests

from booking.outbox import Outbox
from console.accounts import save_account
from console.db import ConsoleStore
from scripts.seed_console import seed_conversations, seed_requests
from scripts.servers import running_console

PASSWORD = "a long test password"  # noqa: S105 - throwaway accounts
ROLES = {"rita": "reception", "eddie": "editor", "ada": "admin"}
PAGES = [
    "/requests",
    "/requests/1",
    "/conversations",
    "/dashboard",
    "/audit",
    "/privacy",
    "/live",
]
ALLOWED = {
    "reception": {"/requests", "/requests/1", "/conversations", "/dashboard", "/live"},
    "editor": {"/requests", "/requests/1", "/conversations", "/dashboard"},
    "admin": set(PAGES),
}


@pytest.fixture(scope="module")
def console(tmp_path_factory):
    work = tmp_path_factory.mktemp("console-app")
    seed_conversations(f"sqlite:///{work / 'tracker.db'}", 30)
    with Outbox(work / "bookings.db") as outbox:
        seed_requests(outbox, 5)
        store = ConsoleStore(outbox)
        for name, role in ROLES.items():
            save_account(store, name, role, PASSWORD)
    outbox = work / "bookings.db"
    with running_console(work / "tracker.db", outbox, work, "unit tests") as url:
        yield url, work / "console.log", outbox


def form_token(page: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', page).group(1)


def signed_in(base: str, name: str) -> requests.Session:
    session = requests.Session()
    token = form_token(session.get(f"{base}/login", timeout=10).text)
    reply = session.post(
        f"{base}/login",
        timeout=10,
        data={"csrf": token, "name": name, "password": PASSWORD},
    )
    assert reply.url.endswith("/requests"), reply.text[:500]
    return session


@pytest.mark.parametrize("name", sorted(ROLES))
def test_every_page_is_refused_server_side_to_a_role_that_may_not_see_it(console, name):
    base, *_ = console
    session = signed_in(base, name)
    for page in PAGES:
        status = session.get(base + page, timeout=10).status_code
        assert status == (200 if page in ALLOWED[ROLES[name]] else 403), page


def test_pages_need_a_session(console):
    base, *_ = console
    for page in PAGES:
        reply = requests.get(base + page, timeout=10, allow_redirects=False)
        assert reply.status_code == 303
        assert reply.headers["location"].startswith("/login?next=")


def test_security_headers_are_on_every_response(console):
    base, *_ = console
    for reply in (
        requests.get(f"{base}/login", timeout=10),
        signed_in(base, "rita").get(f"{base}/requests", timeout=10),
    ):
        policy = reply.headers["content-security-policy"]
        assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
        assert "unsafe-inline" not in policy
        assert reply.headers["x-content-type-options"] == "nosniff"
        assert reply.headers["referrer-policy"] == "no-referrer"
        assert reply.headers["cache-control"] == "no-store"
        assert "<script>" not in reply.text and " style=" not in reply.text


def test_the_session_cookie_is_httponly_and_samesite_strict(console):
    base, *_ = console
    session = requests.Session()
    token = form_token(session.get(f"{base}/login", timeout=10).text)
    reply = session.post(
        f"{base}/login",
        timeout=10,
        allow_redirects=False,
        data={"csrf": token, "name": "rita", "password": PASSWORD},
    )
    cookie = reply.headers["set-cookie"]
    assert "console_session=" in cookie
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie


def test_a_post_without_or_with_a_wrong_csrf_token_is_refused(console):
    base, *_ = console
    session = signed_in(base, "rita")
    for fields in ({}, {"csrf": "forged"}):
        reply = session.post(
            f"{base}/requests/1/status",
            timeout=10,
            data={**fields, "from": "new", "to": "called"},
        )
        assert reply.status_code == 403
    page = session.get(f"{base}/requests/1", timeout=10).text
    reply = session.post(
        f"{base}/requests/1/status",
        timeout=10,
        headers={"X-CSRF-Token": form_token(page)},
        data={"from": "new", "to": "called"},
    )
    assert reply.status_code == 200 and "Called" in reply.text


def test_a_status_move_the_workflow_does_not_allow_is_refused(console):
    base, *_ = console
    session = signed_in(base, "rita")
    token = form_token(session.get(f"{base}/requests/2", timeout=10).text)
    reply = session.post(
        f"{base}/requests/2/status",
        timeout=10,
        data={"csrf": token, "from": "new", "to": "confirmed"},
    )
    assert reply.status_code == 400


def test_an_editor_sees_phones_masked_and_may_not_work_or_export(console):
    base, *_ = console
    editor = signed_in(base, "eddie")
    page = editor.get(f"{base}/requests", timeout=10).text
    assert "tel:" not in page and "****" in page and "Test Visitor" not in page
    token = form_token(editor.get(f"{base}/requests/3", timeout=10).text)
    for path in ("/requests/3/status", "/privacy/export", "/privacy/delete"):
        reply = editor.post(
            base + path,
            timeout=10,
            data={
                "csrf": token,
                "from": "new",
                "to": "called",
                "reference": "BS-XXXXXXXX",
            },
        )
        assert reply.status_code == 403, path
    reception = signed_in(base, "rita").get(f"{base}/requests", timeout=10).text
    assert "tel:+86139" in reception


def test_sign_in_needs_the_forms_token_and_redirects_only_locally(console):
    base, *_ = console
    reply = requests.post(
        f"{base}/login", timeout=10, data={"name": "rita", "password": PASSWORD}
    )
    assert reply.status_code == 403
    session = requests.Session()
    token = form_token(session.get(f"{base}/login", timeout=10).text)
    reply = session.post(
        f"{base}/login?next=//evil.example/",
        timeout=10,
        allow_redirects=False,
        data={"csrf": token, "name": "rita", "password": PASSWORD},
    )
    assert reply.headers["location"] == "/requests"


def test_the_log_holds_no_phone_number(console):
    base, log, _ = console
    signed_in(base, "rita").get(f"{base}/requests", timeout=10)
    assert "+86139" not in log.read_text()


def test_a_failed_delivery_is_sent_again_from_the_request_page(console):
    base, _, outbox_path = console
    with Outbox(outbox_path) as outbox:
        outbox.mark_failed(4, "HTTP 500 from the booking system")
    session = signed_in(base, "rita")
    page = session.get(f"{base}/requests/4", timeout=10).text
    assert 'id="retry"' in page and "HTTP 500" in page
    reply = session.post(
        f"{base}/requests/4/retry", timeout=10, data={"csrf": form_token(page)}
    )
    assert "Queued to be sent again" in reply.text
    with Outbox(outbox_path) as outbox:
        (request,) = [r for r in outbox.requests() if r.id == 4]
    assert request.status == "pending"
