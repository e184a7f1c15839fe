"""The review CSV, its import back into the training data, the report and release."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest

from staff import import_review, release, report
from staff.checks import ROOT, load_project, run_checks
from staff.review import collect, mask_phones, write_csv


@pytest.fixture()
def project(tmp_path) -> Path:
    for name in ("data", "actions", "channels", "handover"):
        shutil.copytree(ROOT / name, tmp_path / name)
    shutil.copy(ROOT / "domain.yml", tmp_path / "domain.yml")
    return tmp_path


def user(text, intent, confidence, key=None, key_confidence=None, time=1.7e9):
    parse = {
        "intent": {"name": intent, "confidence": confidence},
        "intent_ranking": [{"name": intent, "confidence": confidence}],
    }
    if key:
        parse["response_selector"] = {
            intent: {
                "response": {"intent_response_key": key, "confidence": key_confidence}
            }
        }
    return {
        "text": text,
        "parse_data": parse,
        "timestamp": time,
        "input_channel": "rest",
    }


def test_phone_numbers_are_masked():
    assert mask_phones("call me on 13812345678 please") == (
        "call me on 138****5678 please"
    )


def test_review_keeps_fallbacks_and_unsure_answers_once_each():
    events = [
        ("a", user("do you sell gift cards", "nlu_fallback", 0.5)),
        ("b", user("do you sell gift cards?", "nlu_fallback", 0.5, time=1.8e9)),
        ("a", user("is the weather nice", "out_of_scope", 0.9)),
        ("a", user("tuina for my knee", "faq", 0.9, "faq/tuina_what", 0.3)),
        ("a", user("what is tuina", "faq", 0.9, "faq/tuina_what", 0.3)),  # trained
        ("a", user("does it hurt", "faq", 0.99, "faq/does_it_hurt", 0.95)),  # sure
        ("a", user('/book_appointment{"service": "tuina"}', "book_appointment", 0.2)),
    ]
    rows = collect(events, known={"whatistuina"})
    assert [(r.message, r.times_asked, r.why) for r in rows] == [
        ("do you sell gift cards", 2, "not understood (fallback)"),
        ("is the weather nice", 1, "taken for off-topic"),
        ("tuina for my knee", 1, "low confidence"),
    ]
    assert rows[2].taken_for == "faq/tuina_what"


def test_messages_a_person_answered_say_who(tmp_path):
    events = [
        ("a", user("do you sell gift cards", "nlu_fallback", 0.5)),
        ("a", {"event": "action", "name": "action_start_handover"}),
        ("a", user("is anyone there", "nlu_fallback", 0.5)),
        ("a", {"event": "bot", "text": "Hi", "metadata": {"from_person": True,
                                                          "staff": "rita"}}),
        ("a", user("can I park nearby", "out_of_scope", 0.9)),
        ("a", {"event": "action", "name": "utter_handover_back"}),
        ("a", user("is the weather nice", "out_of_scope", 0.9)),
    ]  # fmt: skip
    rows = {r.message: r.answered_by for r in collect(events, set())}
    assert rows == {
        "do you sell gift cards": "assistant",
        "is anyone there": "person",
        "can I park nearby": "person rita",
        "is the weather nice": "assistant",
    }
    write_csv(collect(events, set()), tmp_path / "review.csv")
    with (tmp_path / "review.csv").open(encoding="utf-8-sig", newline="") as file:
        assert [row["answered_by"] for row in csv.DictReader(file)][2] == "person rita"


def label_rows(review: Path, labels: list[str]) -> None:
    with review.open(encoding="utf-8-sig", newline="") as file:
        rows = list(csv.DictReader(file))
    for row, label in zip(rows, labels, strict=False):
        row["label"] = label
    with review.open("w", encoding="utf-8-sig", newline="") as file:
        writer = csv.DictWriter(file, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def test_import_round_trip_passes_the_checks(project, tmp_path):
    events = [
        ("a", user("do you do tuina on knees", "nlu_fallback", 0.5)),
        ("a", user("我的膝盖可以推拿吗", "nlu_fallback", 0.5)),
        ("a", user("any parking near the clinic", "out_of_scope", 0.9)),
    ]
    review = tmp_path / "review.csv"
    write_csv(collect(events, set()), review)
    assert review.read_bytes().startswith(b"\xef\xbb\xbf")  # Excel reads it as UTF-8
    label_rows(review, ["tuina_what", "faq/tuina_what", ""])

    before = len(load_project(project).examples["faq/tuina_what"])
    plan = import_review.plan(import_review.read_labelled(review), project)
    assert import_review.apply(plan) == 2
    examples = [str(e.value) for e in load_project(project).examples["faq/tuina_what"]]
    assert len(examples) == before + 2
    assert examples[-2:] == ["do you do tuina on knees", "我的膝盖可以推拿吗"]
    assert [p for p in run_checks(project) if p.level == "error"] == []
    # Importing the same file again adds nothing.
    again = import_review.plan(import_review.read_labelled(review), project)
    assert import_review.apply(again) == 0


def test_unknown_label_is_refused_with_a_suggestion(project, tmp_path):
    review = tmp_path / "review.csv"
    review.write_text("message,label\nknee tuina?,tuina_wat\n", encoding="utf-8")
    with pytest.raises(import_review.LabelError, match="Did you mean 'tuina_what'"):
        import_review.plan(import_review.read_labelled(review), project)


def test_report_shows_the_change_against_the_previous_one(tmp_path):
    predictions = [
        {"text": "t1", "label": "faq/a", "predicted": "faq/a", "confidence": 0.9,
         "language": "en", "intent_confidence": 0.9},
        {"text": "t2", "label": "faq/a", "predicted": "faq/b", "confidence": 0.4,
         "language": "zh", "intent_confidence": 0.9},
        {"text": "t3", "label": "faq/b", "predicted": "faq/b", "confidence": 0.8,
         "language": "zh", "intent_confidence": 0.9},
    ]  # fmt: skip
    summary = {
        "examples": 3, "overall": 2 / 3, "languages": {"en": 1.0, "zh": 0.5},
        "language_counts": {"en": 1, "zh": 2}, "off_topic_recall": 1.0,
        "wrong_fallbacks": 0.0, "errors": [predictions[1]],
        "predictions": predictions,
    }  # fmt: skip
    evaluation = tmp_path / "evaluation.json"
    evaluation.write_text(json.dumps(summary))
    out = tmp_path / "reports"
    first = report.build(evaluation, out).read_text()
    assert "t2" in first and "Below the bar" in first
    summary["overall"] = 1.0
    evaluation.write_text(json.dumps(summary))
    page = report.build(evaluation, out).read_text()
    assert "+33.3 points" in page
    assert (out / "confusion.png").stat().st_size > 1000
    figures = report.per_label_figures(
        [{**p, "correct": p["label"] == p["predicted"]} for p in predictions]
    )
    assert figures["faq/a"]["recall"] == 0.5
    assert figures["faq/b"]["precision"] == 0.5


def test_release_refuses_a_model_below_the_bar(tmp_path, monkeypatch):
    live = tmp_path / "clinic.tar.gz"
    live.write_text("live model")
    candidate = tmp_path / "candidate.tar.gz"
    candidate.write_text("new model")
    monkeypatch.setattr(release, "LIVE", live)
    steps = []

    def below_the_bar(command):
        steps.append(command[2])
        return 1 if command[2] == "staff.evaluate" else 0

    with pytest.raises(release.ReleaseRefusedError, match="below the bar"):
        release.release(candidate, "http://127.0.0.1:9", step=below_the_bar)
    assert steps == ["staff.validate", "staff.evaluate"]
    assert live.read_text() == "live model"


def test_release_keeps_the_previous_model(tmp_path, monkeypatch):
    live, previous = tmp_path / "clinic.tar.gz", tmp_path / "previous"
    live.write_text("live model")
    candidate = tmp_path / "candidate.tar.gz"
    candidate.write_text("new model")
    monkeypatch.setattr(release, "ROOT", tmp_path)
    release.put_live(candidate, live, previous)
    assert live.read_text() == "new model"
    assert [p.read_text() for p in previous.iterdir()] == ["live model"]
