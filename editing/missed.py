"""Questions to review: `make review`'s messages, near-identical ones grouped.

The selection is staff/review.py's (fell back, taken for off-topic, low confidence; not
already an example; button clicks left out; phone numbers masked). Messages whose
words are the same apart from case, punctuation, order and filler words ("the", "吗",
...: staff/checks.py's `near_duplicate_key`) are one group with a count. Groups staff
chose to ignore are kept in a small file beside the models, by that key.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, Iterable, List, Set

from console.masking import mask_text
from staff.checks import load_project, near_duplicate_key, normalise
from staff.review import LOW_CONFIDENCE, Review, collect


@dataclass
class Group:
    """Near-identical messages: one row on the review page."""

    key: str
    messages: List[str] = field(default_factory=list)
    count: int = 0
    last_time: float = 0.0
    why: str = ""
    taken_for: str = ""

    @property
    def message(self) -> str:
        """The message shown for the group (the most asked of them)."""
        return self.messages[0]


def group_key(message: str) -> str:
    """What near-identical messages share."""
    return near_duplicate_key(message) or normalise(message)


def known_examples(project: Path) -> Set[str]:
    """Every example in the training data, normalised (these are not reviewed)."""
    return {
        normalise(str(example.value))
        for examples in load_project(project).examples.values()
        for example in examples
    }


def group(reviews: Iterable[Review], ignored: Set[str] = frozenset()) -> List[Group]:
    """Reviews grouped, most asked first, then the most recent."""
    groups: Dict[str, Group] = {}
    for review in reviews:
        key = group_key(review.message)
        if key in ignored:
            continue
        found = groups.setdefault(key, Group(key, why=review.why))
        found.messages.append(mask_text(review.message))
        found.count += review.times_asked
        if review.last_time >= found.last_time:
            found.last_time, found.taken_for = review.last_time, review.taken_for
    for found in groups.values():
        found.messages = list(dict.fromkeys(found.messages))
    return sorted(groups.values(), key=lambda g: (-g.count, -g.last_time))


def missed_questions(
    events: Iterable,
    project: Path,
    ignored: Set[str],
    threshold: float = LOW_CONFIDENCE,
) -> List[Group]:
    """The groups to review from a tracker store's user events."""
    return group(collect(events, known_examples(project), threshold), ignored)


class Ignored:
    """The group keys staff chose to ignore (a JSON list in a file)."""

    def __init__(self, path: Path) -> None:
        """Kept in `path`."""
        self.path = path

    def keys(self) -> Set[str]:
        """Every ignored key."""
        if not self.path.exists():
            return set()
        return set(json.loads(self.path.read_text(encoding="utf-8")))

    def add(self, key: str) -> None:
        """Ignores one more group."""
        keys = self.keys() | {key}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.path.write_text(json.dumps(sorted(keys), ensure_ascii=False))
