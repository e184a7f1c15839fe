"""`make validate`'s FAQ checks on a topic as it is being edited, before it is saved.

The edited topic is written into a scratch copy of the data (the other files linked,
not copied), and staff/checks.py's own checks run on it: a missing language, too few
examples, an example already under another topic, an answer over one WeChat message.
Only the problems about this topic are returned.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Dict, List

from channels.wechat_text import collect
from editing.faq import Topic, topic_text
from staff.checks import (
    MAX_ANSWER_BYTES,
    Problem,
    check_answer_length,
    check_duplicates,
    check_example_counts,
    check_faq_answers,
    load_project,
)

FAQ_CHECKS = (check_faq_answers, check_example_counts, check_answer_length)


def topic_problems(project: Path, topic: Topic) -> List[Problem]:
    """The problems `make validate` would report about `topic` once saved."""
    edited, text = topic_text(project, topic)
    with tempfile.TemporaryDirectory(prefix="topic-check-") as scratch:
        root = Path(scratch)
        for path in [
            project / "domain.yml",
            *sorted((project / "data").rglob("*.yml")),
        ]:
            target = root / path.relative_to(project)
            target.parent.mkdir(parents=True, exist_ok=True)
            if path == edited:
                target.write_text(text, encoding="utf-8")
            else:
                target.symlink_to(path)
        if not (root / edited.relative_to(project)).exists():  # a new file
            (root / edited.relative_to(project)).write_text(text, encoding="utf-8")
        data = load_project(root)
        if data.problems:
            return data.problems
        problems = [p for check in FAQ_CHECKS for p in check(data)]
        problems += list(check_duplicates(data))
    mine = (f"'{topic.label}'", f"'{topic.response}'", f"'{topic.key}'")
    return sorted(
        (p for p in problems if any(name in p.message for name in mine)),
        key=lambda p: (p.level != "error", p.line),
    )


def answer_bytes(topic: Topic) -> Dict[str, int]:
    """Each answer's size in bytes, as WeChat counts them."""
    return {
        language: len(text.encode("utf-8")) for language, text in topic.answers.items()
    }


def wechat_preview(topic: Topic, language: str) -> str:
    """The answer as the WeChat channel sends it: text and numbered options."""
    buttons = [
        {"title": b.title, "payload": b.payload} for b in topic.buttons[language]
    ]
    text, _ = collect([{"text": topic.answers[language], "buttons": buttons}])
    return text


__all__ = ["MAX_ANSWER_BYTES", "answer_bytes", "topic_problems", "wechat_preview"]
