"""editing/topic_checks.py: make validate's checks on a topic before it is saved."""

from __future__ import annotations

from pathlib import Path

from editing.faq import find_topic
from editing.topic_checks import answer_bytes, topic_problems, wechat_preview


def test_an_unchanged_topic_has_no_problems(project: Path) -> None:
    assert topic_problems(project, find_topic(project, "tuina_what")) == []


def test_each_problem_make_validate_would_report_is_shown(project: Path) -> None:
    topic = find_topic(project, "tuina_what")
    topic.answers["zh"] = "推" * 700
    topic.answers["en"] = ""
    topic.examples["zh"] = topic.examples["zh"][:3]
    topic.examples["en"].append("Does tuina hurt?")
    messages = " | ".join(p.message for p in topic_problems(project, topic))
    assert "2100 bytes" in messages and "WeChat" in messages
    assert "3 Chinese examples" in messages
    assert "also under 'faq/does_it_hurt'" in messages
    assert answer_bytes(topic)["zh"] == 2100
    # The files themselves are untouched by checking.
    assert find_topic(project, "tuina_what").answers["zh"].startswith("推拿是中医")


def test_the_wechat_preview_numbers_the_buttons(project: Path) -> None:
    preview = wechat_preview(find_topic(project, "tuina_what"), "zh")
    assert preview.endswith("1. 推拿过程是怎样的？\n2. 推拿会疼吗？\n3. 预约推拿")
