from datetime import datetime, timedelta, timezone

from console.accounts import save_account
from console.sessions import Sessions, csrf_matches

IDLE = timedelta(minutes=15)


def sessions(store, key="k" * 32):
    save_account(store, "wang", "reception", "correct horse battery")
    return Sessions(store, key, IDLE)


def test_a_started_session_is_found_from_its_cookie(store):
    manager = sessions(store)
    started = manager.start("wang")
    session = manager.current(started.cookie)
    assert session.name == "wang"
    assert session.csrf == started.csrf


def test_the_database_holds_a_digest_not_the_cookies_token(store):
    manager = sessions(store)
    started = manager.start("wang")
    token = started.cookie.rsplit(".", 1)[0]
    stored = store.outbox.fetch("SELECT token_hash FROM staff_sessions")
    assert token not in stored[0][0]


def test_a_tampered_or_foreign_cookie_is_no_session(store):
    manager = sessions(store)
    started = manager.start("wang")
    token, signature = started.cookie.rsplit(".", 1)
    assert manager.current(token + "x." + signature) is None
    assert manager.current(token) is None
    assert Sessions(store, "another key", IDLE).current(started.cookie) is None
    assert manager.current("") is None
    assert manager.current(None) is None


def test_an_idle_session_ends_and_stays_ended(store):
    manager = sessions(store)
    started = manager.start("wang")
    later = datetime.now(timezone.utc) + IDLE + timedelta(seconds=1)
    assert manager.current(started.cookie, now=later) is None
    assert manager.current(started.cookie) is None


def test_use_within_the_timeout_keeps_the_session_alive(store):
    manager = sessions(store)
    started = manager.start("wang")
    now = datetime.now(timezone.utc)
    for minutes in (10, 20, 30):
        assert manager.current(started.cookie, now=now + timedelta(minutes=minutes))


def test_signing_out_and_a_password_reset_end_sessions(store):
    manager = sessions(store)
    first, second = manager.start("wang"), manager.start("wang")
    manager.end(manager.current(first.cookie))
    assert manager.current(first.cookie) is None
    assert manager.current(second.cookie) is not None
    save_account(store, "wang", "reception", "a brand new password")
    assert manager.current(second.cookie) is None


def test_each_session_has_its_own_csrf_token(store):
    manager = sessions(store)
    assert manager.start("wang").csrf != manager.start("wang").csrf


def test_csrf_tokens_must_match_exactly():
    assert csrf_matches("abc", "abc")
    assert not csrf_matches("abc", "abd")
    assert not csrf_matches("abc", "")
    assert not csrf_matches("abc", None)


def test_the_login_forms_token_must_match_its_signed_cookie(store):
    manager = sessions(store)
    cookie, token = manager.login_token()
    assert manager.login_token_ok(cookie, token)
    assert not manager.login_token_ok(cookie, token + "x")
    assert not manager.login_token_ok(None, token)
    other_cookie, _ = manager.login_token()
    assert not manager.login_token_ok(other_cookie, token)


def test_a_second_sign_in_form_keeps_the_first_forms_token_valid(store):
    manager = sessions(store)
    cookie, token = manager.login_token()
    again, same = manager.login_token(cookie)
    assert same == token
    assert manager.login_token_ok(again, token)
    _, fresh = manager.login_token("forged.cookie")
    assert fresh != token


def test_abandoned_sessions_are_cleared_when_someone_signs_in(store):
    manager = sessions(store)
    manager.start("wang")
    store.outbox.fetch("SELECT 1")  # the row exists
    with store.outbox.transaction() as execute:
        execute("UPDATE staff_sessions SET last_seen = '2000-01-01T00:00:00.000000Z'")
    manager.start("wang")
    assert len(store.outbox.fetch("SELECT token_hash FROM staff_sessions")) == 1
