"""editing/history.py: commits as the staff member, diffs, undo."""

from __future__ import annotations

from pathlib import Path

import pytest

from editing.faq import find_topic, save_topic
from editing.history import History, HistoryError


@pytest.fixture
def history(project: Path) -> History:
    kept = History(project, "staff.example")
    kept.ensure()
    return kept


def test_a_saved_change_is_a_commit_by_its_author_with_a_readable_diff(
    project: Path, history: History
) -> None:
    topic = find_topic(project, "contact")
    topic.answers["en"] = "Call us."
    commit = history.commit([save_topic(project, topic)], "Changed faq/contact", "wang")
    change = history.changes()[0]
    assert (change.commit, change.author, change.email) == (
        commit,
        "wang",
        "wang@staff.example",
    )
    assert '+    - text: "Call us."' in history.diff(commit)


def test_saving_nothing_new_makes_no_commit(project: Path, history: History) -> None:
    topic = find_topic(project, "contact")
    assert history.commit([save_topic(project, topic)], "nothing", "wang") == ""


def test_undo_reverts_one_change_as_whoever_undid_it(
    project: Path, history: History
) -> None:
    path = project / "data/faq/clinic.yml"
    before = path.read_text(encoding="utf-8")
    topic = find_topic(project, "contact")
    topic.answers["zh"] = "请致电。"
    commit = history.commit([save_topic(project, topic)], "Changed faq/contact", "wang")
    history.undo(commit, "li")
    assert path.read_text(encoding="utf-8") == before
    latest = history.changes()[0]
    assert (latest.author, latest.message) == ("li", "Undo: Changed faq/contact")


def test_only_a_commit_hash_reaches_git(history: History) -> None:
    with pytest.raises(HistoryError):
        history.diff("--output=/tmp/x")
