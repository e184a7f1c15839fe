"""Staff review real conversations; a released model loads without losing them."""

from __future__ import annotations

import csv
import subprocess
import sys

from scripts.servers import ROOT
from staff.release import reload_server
from tests.e2e.conversation import sender

MODEL = ROOT / "models" / "clinic.tar.gz"


def test_review_exports_what_the_assistant_did_not_understand(assistant, tmp_path):
    visitor = sender()
    for message in [
        "What is tuina?",  # in the training data: left out
        "blorp zzkx qwertyuiop",  # gibberish: falls back
        "blorp zzkx qwertyuiop",
        "my number is 13812345678 blorp flum",
        "what will the weather be like in paris tomorrow",  # off-topic
    ]:
        assistant.say(visitor, message)
    out = tmp_path / "review.csv"
    subprocess.run(  # noqa: S603 (the project's own script)
        [sys.executable, "-m", "staff.review", "--db",
         f"sqlite:///{assistant.tracker_db}", "--out", str(out)],
        cwd=ROOT, check=True, capture_output=True, text=True,
    )  # fmt: skip
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    with out.open(encoding="utf-8-sig", newline="") as file:
        rows = {row["message"]: row for row in csv.DictReader(file)}
    assert "What is tuina?" not in rows
    assert rows["blorp zzkx qwertyuiop"]["times_asked"] == "2"
    assert rows["blorp zzkx qwertyuiop"]["channel"] == "rest"
    assert rows["blorp zzkx qwertyuiop"]["label"] == ""
    assert "13812345678" not in out.read_text(encoding="utf-8-sig")
    # (A phone number alone is usually a booking-form answer, understood: masking is
    # tested in tests/staff/test_review_import.py.)
    weather = rows["what will the weather be like in paris tomorrow"]
    assert weather["why"] in ("taken for off-topic", "not understood (fallback)")
    assert float(weather["confidence"]) >= 0


def test_review_reload_of_a_released_model_keeps_the_conversation(assistant):
    visitor = sender()
    assistant.say(visitor, "what is cupping")
    assert reload_server(assistant.url, assistant.token, MODEL)
    replies = assistant.say(visitor, "拔罐疼吗")
    assert replies
    tracker = assistant.tracker(visitor)
    texts = [e.get("text") for e in tracker["events"] if e["event"] == "user"]
    assert texts == ["what is cupping", "拔罐疼吗"]
