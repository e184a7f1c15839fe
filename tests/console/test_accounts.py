from datetime import datetime, timedelta, timezone

import pytest

from console.accounts import (
    PERMISSIONS,
    Throttle,
    allowed,
    check_name,
    save_account,
    sign_in,
)

PASSWORD = "correct horse battery"  # noqa: S105 - a test account
LOCK = timedelta(minutes=15)


def test_reception_works_requests_and_sees_personal_data_but_not_the_audit_log():
    assert allowed("reception", "requests.work")
    assert allowed("reception", "personal_data")
    assert not allowed("reception", "audit.view")
    assert not allowed("reception", "privacy.export")


def test_an_editor_sees_pages_masked_and_may_not_work_requests_or_export():
    assert allowed("editor", "requests.view")
    assert allowed("editor", "conversations.view")
    assert not allowed("editor", "personal_data")
    assert not allowed("editor", "requests.work")
    assert not allowed("editor", "privacy.export")
    assert not allowed("editor", "privacy.delete")


def test_an_admin_may_do_everything():
    assert all(allowed("admin", permission) for permission in PERMISSIONS)


def test_unknown_roles_and_permissions_allow_nothing():
    assert not allowed("root", "requests.view")
    assert not allowed("admin", "no.such.thing")


def test_account_names_are_simple_and_lower_case():
    assert check_name(" Wang.Fang ") == "wang.fang"
    for bad in ["", "a", "x" * 41, "wang fang", "<script>", "-lead"]:
        with pytest.raises(ValueError):
            check_name(bad)


def test_short_passwords_and_unknown_roles_are_refused(store):
    with pytest.raises(ValueError, match="at least"):
        save_account(store, "wang", "reception", "short")
    with pytest.raises(ValueError, match="not a role"):
        save_account(store, "wang", "root", PASSWORD)


def test_the_password_is_stored_as_an_argon2id_hash(store):
    assert save_account(store, "wang", "reception", PASSWORD)
    stored = store.account("wang").password_hash
    assert stored.startswith("$argon2id$")
    assert PASSWORD not in stored


def test_the_right_password_signs_in_with_the_role(store):
    save_account(store, "wang", "editor", PASSWORD)
    result = sign_in(store, "Wang", PASSWORD, 5, LOCK)
    assert (result.role, result.refused) == ("editor", None)


def test_a_wrong_password_and_an_unknown_name_are_refused_alike(store):
    save_account(store, "wang", "editor", PASSWORD)
    assert sign_in(store, "wang", "wrong password", 5, LOCK).refused == "wrong"
    assert sign_in(store, "nobody", PASSWORD, 5, LOCK).refused == "wrong"


def test_five_wrong_passwords_lock_the_account_even_against_the_right_one(store):
    save_account(store, "wang", "reception", PASSWORD)
    now = datetime.now(timezone.utc)
    results = [sign_in(store, "wang", f"guess {i}", 5, LOCK, now) for i in range(5)]
    assert [r.just_locked for r in results] == [False] * 4 + [True]
    assert sign_in(store, "wang", PASSWORD, 5, LOCK, now).refused == "locked"
    later = now + LOCK + timedelta(seconds=1)
    assert sign_in(store, "wang", PASSWORD, 5, LOCK, later).role == "reception"


def test_a_right_password_resets_the_count_of_wrong_ones(store):
    save_account(store, "wang", "reception", PASSWORD)
    for i in range(4):
        sign_in(store, "wang", f"guess {i}", 5, LOCK)
    assert sign_in(store, "wang", PASSWORD, 5, LOCK).role == "reception"
    for i in range(4):
        assert sign_in(store, "wang", f"guess {i}", 5, LOCK).refused == "wrong"


def test_resetting_an_account_unlocks_it_and_changes_role_and_password(store):
    save_account(store, "wang", "reception", PASSWORD)
    for i in range(5):
        sign_in(store, "wang", f"guess {i}", 5, LOCK)
    assert not save_account(store, "wang", "admin", "another long password")
    assert sign_in(store, "wang", PASSWORD, 5, LOCK).refused == "wrong"
    assert sign_in(store, "wang", "another long password", 5, LOCK).role == "admin"


def test_the_throttle_blocks_an_address_after_its_limit_within_the_window():
    throttle = Throttle(limit=3, window_seconds=60)
    for moment in (0.0, 1.0, 2.0):
        assert not throttle.blocked("10.0.0.1", moment)
        throttle.failed("10.0.0.1", moment)
    assert throttle.blocked("10.0.0.1", 3.0)
    assert not throttle.blocked("10.0.0.2", 3.0)
    assert not throttle.blocked("10.0.0.1", 61.0)
