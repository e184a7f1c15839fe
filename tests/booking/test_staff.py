from __future__ import annotations

import codecs
import csv
import io
import os
import stat
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from actions.parsing import mask_name, mask_phone
from booking.outbox import Outbox
from booking.settings import ROOT
from booking.staff import main
from tests.booking.conftest import Location, outbox_env

T0 = datetime(2025, 3, 1, 6, 0, tzinfo=timezone.utc)  # 14:00 in Shanghai
NAME = "王小明"
PHONE = "+8613812345678"
NOTE = "腰疼，请找李医生"
BOOKING = {
    "service": "tuina",
    "clinic": "minhang",
    "preferred_time": "明天下午3点",
    "preferred_time_normalised": "2025-03-02T15:00:00+08:00",
    "name": NAME,
    "phone": PHONE,
    "practitioner": None,
    "note": NOTE,
    "language": "zh",
}
CALLBACK = {"name": "Anna Li", "phone": "+442071234567", "language": "en", "note": None}


@pytest.fixture
def outbox(outbox_location: Location, monkeypatch: pytest.MonkeyPatch):
    for name in [name for name in os.environ if name.startswith("BOOKING_")]:
        monkeypatch.delenv(name)
    for name, value in outbox_env(outbox_location).items():
        monkeypatch.setenv(name, value)
    with Outbox(outbox_location) as box:
        yield box


def add(outbox: Outbox, kind: str, payload: dict, conversation: str = "c1") -> int:
    reference = outbox.submit(kind, conversation, payload, now=T0).reference
    return outbox.find(reference)[0].id


def test_list_shows_requests_with_names_and_phones_masked(
    outbox: Outbox, capsys: pytest.CaptureFixture
) -> None:
    add(outbox, "booking", BOOKING)
    failed = add(outbox, "callback", CALLBACK)
    outbox.mark_failed(failed, "HTTP 400 Bad Request")

    assert main(["list"]) == 0
    out = capsys.readouterr().out

    assert "Created (Shanghai)" in out and "2025-03-01 14:00" in out
    assert "明天下午3点 (2025-03-02 15:00)" in out
    assert mask_phone(PHONE) in out and mask_name(NAME) in out
    assert mask_phone(CALLBACK["phone"]) in out
    for secret in (NAME, "13812345678", "Anna Li", "2071234567", NOTE):
        assert secret not in out
    assert "HTTP 400 Bad Request" in out
    assert "1 FAILED" in out and "retry REFERENCE" in out


def test_list_by_status_and_when_empty(
    outbox: Outbox, capsys: pytest.CaptureFixture
) -> None:
    assert main(["list"]) == 0
    assert "No requests yet." in capsys.readouterr().out

    add(outbox, "booking", BOOKING)
    failed = add(outbox, "callback", CALLBACK)
    outbox.mark_failed(failed, "HTTP 400")
    (failed_reference,) = [r.reference for r in outbox.requests("failed")]
    (pending_reference,) = [r.reference for r in outbox.requests("pending")]

    assert main(["list", "--status", "failed"]) == 0
    out = capsys.readouterr().out
    assert failed_reference in out and pending_reference not in out
    assert main(["list", "--status", "delivered"]) == 0
    assert "No delivered requests." in capsys.readouterr().out


def test_export_is_masked_by_default(
    outbox: Outbox, capsysbinary: pytest.CaptureFixture
) -> None:
    add(outbox, "booking", BOOKING)

    assert main(["export"]) == 0
    data = capsysbinary.readouterr().out

    assert data.startswith(codecs.BOM_UTF8)
    (record,) = csv.DictReader(io.StringIO(data.decode("utf-8-sig")))
    assert record["name"] == mask_name(NAME)
    assert record["phone"] == mask_phone(PHONE)
    assert record["note"] == ""  # free text may hold anything
    assert record["preferred_time"] == "明天下午3点"
    assert record["created_shanghai"] == "2025-03-01 14:00"
    assert "13812345678" not in data.decode("utf-8-sig")


def test_full_export_to_a_file_opens_in_excel_with_chinese_intact(
    outbox: Outbox, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    add(outbox, "booking", BOOKING)
    add(outbox, "callback", CALLBACK)
    target = tmp_path / "requests.csv"

    assert main(["export", "--full", "--output", str(target)]) == 0

    assert "contains patients' full names" in capsys.readouterr().err
    raw = target.read_bytes()
    assert raw.startswith(codecs.BOM_UTF8)
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    booking = next(r for r in rows if r["kind"] == "booking")
    assert (booking["name"], booking["phone"], booking["note"]) == (NAME, PHONE, NOTE)
    assert booking["service"] == "tuina" and booking["status"] == "pending"
    assert {r["kind"] for r in rows} == {"booking", "callback"}
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_retry_puts_a_failed_request_back_in_the_queue(
    outbox: Outbox, capsys: pytest.CaptureFixture
) -> None:
    request_id = add(outbox, "booking", BOOKING)
    for _ in range(3):
        outbox.schedule_retry(request_id, T0, "HTTP 503")
    outbox.mark_failed(request_id, "HTTP 503")
    (failed,) = outbox.requests()

    # As staff may type it: lower case, no dash.
    assert main(["retry", failed.reference.lower().replace("-", "")]) == 0

    assert f"{failed.reference} is pending again" in capsys.readouterr().out
    (requeued,) = outbox.due(datetime.now(timezone.utc))
    assert (requeued.status, requeued.attempts) == ("pending", 4)

    assert main(["retry", failed.reference]) == 1
    assert "is pending, not failed" in capsys.readouterr().err
    assert main(["retry", "BS-ZZZZZZZZ"]) == 1
    assert "No request has the reference" in capsys.readouterr().err


def test_purge_deletes_old_delivered_requests_only(
    outbox: Outbox, capsys: pytest.CaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    now = datetime.now(timezone.utc)
    old = add(outbox, "booking", BOOKING, "old")
    recent = add(outbox, "booking", BOOKING, "recent")
    add(outbox, "booking", BOOKING, "pending")
    outbox.mark_delivered(old, now - timedelta(days=40))
    outbox.mark_delivered(recent, now - timedelta(days=5))

    monkeypatch.setenv("BOOKING_RETENTION_DAYS", "30")
    assert main(["purge"]) == 0
    assert (
        "Deleted 1 delivered request(s) older than 30 days" in capsys.readouterr().out
    )
    assert len(outbox.requests()) == 2

    assert main(["purge", "--days", "3"]) == 0
    assert [r.status for r in outbox.requests()] == ["pending"]


def test_the_command_runs_as_a_module_with_help_for_staff(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "booking.staff", "--help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0
    for command in ("list", "export", "retry", "purge"):
        assert command in result.stdout
