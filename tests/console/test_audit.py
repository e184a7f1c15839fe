from console.audit import SIGN_IN, STATUS_CHANGE, AuditLog
from console.db import ConsoleStore


def test_entries_record_who_what_and_when_newest_first(store):
    log = AuditLog(store)
    log.record("wang", SIGN_IN, address="127.0.0.1")
    log.record("wang", STATUS_CHANGE, "BS-7K2Q9MXA", "new -> called")
    entries = log.entries()
    assert [(e.actor, e.action, e.target) for e in entries] == [
        ("wang", STATUS_CHANGE, "BS-7K2Q9MXA"),
        ("wang", SIGN_IN, ""),
    ]
    assert entries[0].detail == "new -> called"
    assert entries[1].address == "127.0.0.1"
    assert entries[0].at >= entries[1].at


def test_the_log_survives_reopening_the_database(store):
    AuditLog(store).record("li", SIGN_IN)
    reopened = ConsoleStore(store.outbox)
    assert [e.actor for e in AuditLog(reopened).entries()] == ["li"]


def test_over_long_fields_are_cut(store):
    log = AuditLog(store)
    log.record("x" * 2000, SIGN_IN, detail="y" * 2000)
    (entry,) = log.entries()
    assert len(entry.actor) == 500
    assert len(entry.detail) == 500


def test_entries_page_by_limit_and_offset(store):
    log = AuditLog(store)
    for i in range(5):
        log.record(f"user{i}", SIGN_IN)
    assert [e.actor for e in log.entries(limit=2, offset=1)] == ["user3", "user2"]
