"""editing/missed.py: make review's messages grouped, masked, ignorable."""

from __future__ import annotations

from pathlib import Path

from editing.missed import Ignored, group, missed_questions
from staff.review import Review


def _review(message: str, times: int = 1, when: float = 1.0) -> Review:
    return Review(message, "out_of_scope", 0.9, "taken for off-topic", when, when,
                  "rest", "abc", times)  # fmt: skip


def test_near_identical_questions_are_one_group_with_a_count() -> None:
    groups = group(
        [
            _review("where can i park my car"),
            _review("Where can I park my car?", times=2, when=5.0),
            _review("do you do home visits", when=9.0),
        ]
    )
    assert [(g.message, g.count) for g in groups] == [
        ("where can i park my car", 3),
        ("do you do home visits", 1),
    ]
    assert groups[0].messages == ["where can i park my car", "Where can I park my car?"]


def test_equal_counts_show_the_newest_first() -> None:
    groups = group([_review("old question", when=1.0), _review("new one", when=2.0)])
    assert [g.message for g in groups] == ["new one", "old question"]


def test_phone_numbers_are_masked() -> None:
    (found,) = group([_review("call me on 13812345678 about parking")])
    assert "13812345678" not in found.message


def test_ignored_groups_stay_hidden(tmp_path: Path) -> None:
    ignored = Ignored(tmp_path / "ignored.json")
    (found,) = group([_review("tell me a joke")])
    ignored.add(found.key)
    assert group([_review("Tell me a joke!")], ignored.keys()) == []


def test_messages_already_in_the_training_data_are_not_reviewed(project: Path) -> None:
    parse = {"intent": {"name": "out_of_scope", "confidence": 0.99}}
    events = [
        ("a", {"event": "user", "text": "tell me a joke", "parse_data": parse}),
        ("b", {"event": "user", "text": "where can i park", "parse_data": parse}),
    ]
    assert [g.message for g in missed_questions(events, project, set())] == [
        "where can i park"
    ]
