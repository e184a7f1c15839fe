"""Measures the answers from the articles on labelled questions, against the bar.

    python -m staff.evaluate_articles --model models/clinic.tar.gz tests/articles

Each question (format: tests/articles/dev.yml) is labelled with the passages and FAQ
answers that state what it asks, or `not_in_articles`, `off_topic`, `emergency`,
`see_a_doctor` (a diagnosis or a dose; with emergencies, the red flags). What
the assistant does with it is read from the parse result: the retriever's mark
(components/article_retriever.py: a passage, or "the articles don't say"), else the
intent and FAQ answer. Of the questions the articles answer, the share given the
specific fact, given a wrong or unrelated answer, or abstained on; of those they don't
answer, the share told so honestly; red flags; per language. Then the risk-coverage
table: the same figures for other passage thresholds (`answer_at`), decided again
from what the mark recorded, per language, on the `tune` half (every other question
of each kind) that thresholds are chosen on, and the figures of the `report` half.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Dict, Iterable, List, Sequence

import yaml

from components.follow_up import read_mark
from components.language import detect_language
from components.off_topic_detector import MEDICAL_ADVICE

NOT_IN = "not_in_articles"
OFF_TOPIC = "off_topic"
EMERGENCY = "emergency"
SEE_A_DOCTOR = "see_a_doctor"
RED_FLAGS = (EMERGENCY, SEE_A_DOCTOR)
DECLINED = frozenset({"out_of_scope", "nlu_fallback"})
# Fixed answers that are themselves "our articles don't say", with the reception's two
# numbers (data/faq/practical.yml; tests/staff check their words): an honest answer to
# a question on prices, opening hours or insurance the articles do not answer.
HONEST_ANSWERS = frozenset(
    {"faq:faq/prices", "faq:faq/opening_hours", "faq:faq/insurance"}
)
BAR = {
    "specific": 0.90,
    "specific_per_language": 0.85,
    "wrong": 0.02,
    "honest": 0.90,
    "red_flags": 1.0,
}
# The passage on the detail asked, then the FAQ answer (components/
# article_retriever.py, `adds_detail`): the reply states the fact if either does.
ADDED = "+"
THRESHOLDS = [round(0.70 + 0.05 * i, 2) for i in range(15)]


@dataclass
class Question:
    """A labelled question, where it is in the set and what the assistant did."""

    text: str
    answer: List[str] | str
    split: str
    language: str
    did: str = ""  # "passage:<id>", "faq:<key>", "abstain", "declined", "<intent>"
    verdict: Dict[str, Any] | None = None
    intent: str | None = None
    plain: str = ""  # what it would do without the retriever's mark

    @property
    def kind(self) -> str:
        """`answered` (by a passage or a FAQ), `not_in_articles`, `off_topic`, ..."""
        return self.answer if isinstance(self.answer, str) else "answered"


def load_questions(paths: Iterable[str]) -> List[Question]:
    """The questions of the files (or folders of them).

    Every other question of each kind in a file is in the `tune` half.
    """
    questions = []
    files = []
    for path in map(Path, paths):
        files += sorted(path.glob("*.yml")) if path.is_dir() else [path]
    for path in files:
        seen: Counter = Counter()
        for item in yaml.safe_load(path.read_text(encoding="utf-8"))["questions"]:
            answer = item["answer"]
            kind = answer if isinstance(answer, str) else "answered"
            split = "tune" if seen[kind] % 2 == 0 else "report"
            seen[kind] += 1
            language = detect_language(item["text"]) or "en"
            questions.append(Question(item["text"], answer, split, language))
    return questions


def what_it_did(parse: Dict[str, Any], verdict: Dict[str, Any] | None) -> str:
    """What the assistant answers a parsed message with."""
    from staff.evaluate import predicted_label

    answer = (verdict or {}).get("answer")
    if answer == "passage":
        return f"passage:{verdict['passages'][0]['id']}"
    if answer == "abstain":
        return "abstain"
    plain = {k: v for k, v in parse.items() if k != "response_selector"}
    plain["response_selector"] = {
        k: v
        for k, v in (parse.get("response_selector") or {}).items()
        if k != "article"
    }
    label, _ = predicted_label(plain)
    if label in DECLINED:
        # A diagnosis or a dose is declined to a doctor (actions/decline.py).
        return SEE_A_DOCTOR if read_mark(parse, MEDICAL_ADVICE) else "declined"
    if not label.startswith("faq/"):
        return label
    added = (verdict or {}).get("added")
    return f"passage:{added}{ADDED}faq:{label}" if added else f"faq:{label}"


def said(did: str) -> List[str]:
    """The passages and answers a reply gives: `passage:<id>+faq:<key>` gives two."""
    return [part.split(":", 1)[-1] for part in did.split(ADDED)]


def outcome(question: Question, did: str) -> str:
    """`specific`, `wrong` or `abstained`; `honest`, `declined`; `right` or `wrong`."""
    kind = question.kind
    if kind == "answered":
        if did in ("abstain", "declined"):
            return "abstained"
        right = any(text in question.answer for text in said(did))
        return "specific" if right else "wrong"
    if kind == NOT_IN:
        if did in HONEST_ANSWERS:
            return "honest"
        return {"abstain": "honest", "declined": "declined"}.get(did, "wrong")
    if kind == OFF_TOPIC:
        return "right" if did in ("declined", "abstain") else "wrong"
    return "right" if did == kind else "wrong"  # an emergency, or see a doctor


def redecide(question: Question, answer_at: float, replace_below: float) -> str:
    """What the assistant would do with another passage threshold."""
    from components.article_index import Ranked
    from components.article_retriever import Fixed, decide

    verdict = question.verdict
    if not verdict or verdict.get("words_only") or verdict.get("named"):
        # No verdict, the FAQ's whatever the threshold (its words alone decided), or
        # a passage for what the FAQ answer leaves out (no threshold decides that).
        return question.did
    cosine = verdict.get("cosine", 0.0)
    ranked = (
        [Ranked(0, verdict["score"], cosine, verdict["coverage"], 0.0)]
        if verdict.get("best")
        else []
    )
    fixed = None
    if verdict.get("faq"):
        fixed = Fixed(
            verdict["faq"],
            verdict["faq_fits"],
            verdict["faq_coverage"],
            frozenset([0] if verdict.get("faq_covers_best") else []),
            verdict["faq_confidence"],
            typical=verdict.get("faq_typical", 1.0),
        )
    answer, _ = decide(
        question.intent,
        fixed,
        ranked,
        [True] * len(ranked),
        verdict["question"],
        answer_at,
        replace_below,
        left_open=bool(verdict.get("left_open")),
        kept=bool(verdict.get("kept")),
    )
    if answer == "passage":
        return f"passage:{verdict['best']}"
    if answer == "abstain":
        return "abstain"
    if answer == "faq":
        added = verdict.get("added")
        faq = f"faq:{verdict['faq']}"
        return f"passage:{added}{ADDED}{faq}" if added else faq
    return question.plain


def figures(questions: Sequence[Question], dids: Sequence[str]) -> Dict[str, Any]:
    """The bar's figures for the questions, given what the assistant did with each."""
    counts: Dict[str, Counter] = defaultdict(Counter)
    for question, did in zip(questions, dids, strict=True):
        counts[question.kind][outcome(question, did)] += 1
        if ADDED in did:
            # A passage with the FAQ answer, and whether each alone was right.
            counts["added"][question.kind] += 1
            passage, answer = did.split(ADDED, 1)
            counts["added_passage"][outcome(question, passage)] += 1
            counts["added_faq"][outcome(question, answer)] += 1

    def share(kind: str, result: str) -> float | None:
        total = sum(counts[kind].values())
        return counts[kind][result] / total if total else None

    red_flags = sum(sum(counts[kind].values()) for kind in RED_FLAGS)
    right = sum(counts[kind]["right"] for kind in RED_FLAGS)
    red_flags_right = right / red_flags if red_flags else None

    return {
        "answered": sum(counts["answered"].values()),
        "specific": share("answered", "specific"),
        "wrong": share("answered", "wrong"),
        "abstained": share("answered", "abstained"),
        "not_in_articles": sum(counts[NOT_IN].values()),
        "honest": share(NOT_IN, "honest"),
        "off_topic": sum(counts[OFF_TOPIC].values()),
        "off_topic_right": share(OFF_TOPIC, "right"),
        "red_flags": red_flags,
        "red_flags_right": red_flags_right,
        # Replies that quote a passage, then the FAQ answer: how many, and of those to
        # answered questions, how many each text alone was specific for.
        "added": sum(counts["added"].values()),
        "added_answered": counts["added"]["answered"],
        "added_passage_specific": counts["added_passage"]["specific"],
        "added_faq_specific": counts["added_faq"]["specific"],
    }


def summarise(questions: List[Question], replace_below: float) -> Dict[str, Any]:
    """Figures overall, per language and per half, and the risk-coverage table."""
    summary: Dict[str, Any] = {"all": figures(questions, [q.did for q in questions])}
    for language in ("en", "zh"):
        chosen = [q for q in questions if q.language == language]
        summary[language] = figures(chosen, [q.did for q in chosen])
    for split in ("tune", "report"):
        chosen = [q for q in questions if q.split == split]
        summary[split] = figures(chosen, [q.did for q in chosen])
    table = []
    for language in ("en", "zh"):
        tune = [q for q in questions if q.language == language and q.split == "tune"]
        for threshold in THRESHOLDS:
            row = figures(tune, [redecide(q, threshold, replace_below) for q in tune])
            table.append({"language": language, "answer_at": threshold, **row})
    summary["risk_coverage"] = table
    summary["mistakes"] = [
        {"text": q.text, "answer": q.answer, "did": q.did, "outcome": outcome(q, q.did)}
        for q in questions
        if outcome(q, q.did) not in ("specific", "honest", "right")
    ]
    return summary


def failures_against_bar(summary: Dict[str, Any]) -> List[str]:
    """Every figure that misses the bar."""
    failures = []
    overall = summary["all"]
    if (overall["specific"] or 0) < BAR["specific"]:
        failures.append(
            f"specific fact {overall['specific']:.1%} < {BAR['specific']:.0%}"
        )
    for language in ("en", "zh"):
        value = summary[language]["specific"]
        if value is not None and value < BAR["specific_per_language"]:
            bar = BAR["specific_per_language"]
            failures.append(f"{language} specific fact {value:.1%} < {bar:.0%}")
    if (overall["wrong"] or 0) > BAR["wrong"]:
        failures.append(
            f"wrong or unrelated {overall['wrong']:.1%} > {BAR['wrong']:.0%}"
        )
    if overall["honest"] is not None and overall["honest"] < BAR["honest"]:
        failures.append(
            f"honest abstention {overall['honest']:.1%} < {BAR['honest']:.0%}"
        )
    if overall["red_flags"] and overall["red_flags_right"] < BAR["red_flags"]:
        failures.append(f"red flags {overall['red_flags_right']:.1%} < 100%")
    return failures


def _pct(value: float | None) -> str:
    return "   -  " if value is None else f"{value:6.1%}"


def print_report(summary: Dict[str, Any]) -> None:
    """Prints the figures and the table for people."""
    print(
        "\n             answered  specific   wrong  abstained | not in  honest"
        " | red flags"
    )
    for name in ("all", "en", "zh", "tune", "report"):
        f = summary[name]
        print(
            f"  {name:10} {f['answered']:6}   {_pct(f['specific'])} {_pct(f['wrong'])}"
            f"  {_pct(f['abstained'])}  | {f['not_in_articles']:5}"
            f" {_pct(f['honest'])} | {f['red_flags']:3} {_pct(f['red_flags_right'])}"
        )
    f = summary["all"]
    print(
        f"\n  A passage, then the FAQ answer: {f['added']} replies"
        f" ({f['added_answered']} to answered questions; the fact was in the passage"
        f" for {f['added_passage_specific']}, in the FAQ answer for"
        f" {f['added_faq_specific']})"
    )
    print(
        "\nRisk-coverage on the tune half"
        " (answer_at: the fused score from which a passage is quoted):"
    )
    print("  lang  answer_at  specific   wrong  abstained  honest")
    for row in summary["risk_coverage"]:
        print(
            f"  {row['language']:4}  {row['answer_at']:8.2f}  {_pct(row['specific'])} "
            f"{_pct(row['wrong'])}  {_pct(row['abstained'])}   {_pct(row['honest'])}"
        )
    if summary["mistakes"]:
        print("\nMistakes (label -> what it did):")
        for m in summary["mistakes"]:
            print(f"  [{m['outcome']}] {m['text']!r}: {m['answer']} -> {m['did']}")


async def run(model: str, questions: List[Question]) -> None:
    """Parses every question with the trained model and records what it did."""
    from rasa.core.agent import Agent

    agent = Agent.load(model)
    for question in questions:
        parse = await agent.parse_message(question.text)
        question.verdict = read_mark(parse, "article")
        question.intent = (parse.get("intent") or {}).get("name")
        question.did = what_it_did(parse, question.verdict)
        question.plain = what_it_did(parse, None)


def main() -> int:
    """Runs the evaluation; exits 1 when the answers miss the bar."""
    from staff.evaluate import quiet_logs

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+", help="labelled question files (YAML)")
    parser.add_argument("--model", default="models/clinic.tar.gz")
    parser.add_argument("--out", default="results/evaluation-articles.json")
    parser.add_argument("--no-bar", action="store_true", help="report without checking")
    parser.add_argument(
        "--replace-below",
        type=float,
        default=0.6,
        help="as in config.yml, for the table",
    )
    args = parser.parse_args()
    quiet_logs()
    questions = load_questions(args.paths)
    asyncio.run(run(args.model, questions))
    summary = summarise(questions, args.replace_below)
    print_report(summary)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(
        json.dumps(
            {**summary, "questions": [asdict(q) for q in questions]},
            ensure_ascii=False,
            indent=2,
        )
    )
    failures = [] if args.no_bar else failures_against_bar(summary)
    for failure in failures:
        print(f"BELOW THE BAR: {failure}")
    if not failures and not args.no_bar:
        print("\nAll figures meet the bar.")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
