"""A candidate's verdict: its held-out figures against the bar and the live model.

Both models' evaluations are `staff/evaluate.py` summaries (the same figures
`make evaluate` prints); the bar is staff/evaluate.py's BAR, as `make release` uses.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Dict, List

from staff.evaluate import BAR, failures_against_bar

# A topic counts as better or worse when its accuracy moved by at least this much.
CHANGE = 0.001


@dataclass
class TopicChange:
    """One key or intent whose held-out accuracy moved."""

    label: str
    live: float
    candidate: float
    examples: int


@dataclass
class ChangedAnswer:
    """A held-out message the candidate answers differently from the live model."""

    text: str
    label: str
    live: str
    candidate: str

    @property
    def better(self) -> bool:
        """Whether the candidate's answer is the right one."""
        return self.candidate == self.label


@dataclass
class Verdict:
    """What staff need to decide: passes the bar or not, and what moved."""

    overall: float
    languages: Dict[str, float]
    live_overall: float | None
    live_languages: Dict[str, float]
    failures: List[str]
    better: List[TopicChange] = field(default_factory=list)
    worse: List[TopicChange] = field(default_factory=list)
    changed: List[ChangedAnswer] = field(default_factory=list)

    @property
    def passes(self) -> bool:
        """Whether the candidate may be put live."""
        return not self.failures


def judge(candidate: Dict, live: Dict | None, bar: Dict[str, float] = BAR) -> Verdict:
    """The candidate's evaluation against the bar and the live model's evaluation."""
    verdict = Verdict(
        overall=candidate["overall"],
        languages=candidate["languages"],
        live_overall=live["overall"] if live else None,
        live_languages=live["languages"] if live else {},
        failures=failures_against_bar(candidate, bar),
    )
    if not live:
        return verdict
    for label, figures in candidate["per_label"].items():
        before = live["per_label"].get(label, {}).get("accuracy")
        if before is None:
            continue
        moved = TopicChange(label, before, figures["accuracy"], figures["examples"])
        if figures["accuracy"] > before + CHANGE:
            verdict.better.append(moved)
        elif figures["accuracy"] < before - CHANGE:
            verdict.worse.append(moved)
    verdict.worse.sort(key=lambda t: t.candidate - t.live)
    verdict.better.sort(key=lambda t: t.live - t.candidate)
    answered = {(p["text"], p["label"]): p["predicted"] for p in live["predictions"]}
    for prediction in candidate["predictions"]:
        before = answered.get((prediction["text"], prediction["label"]))
        if before is not None and before != prediction["predicted"]:
            verdict.changed.append(
                ChangedAnswer(
                    prediction["text"],
                    prediction["label"],
                    before,
                    prediction["predicted"],
                )
            )
    return verdict
