"""Measures the trained model on held-out examples and checks it against the bar.

    python -m staff.evaluate --model models/clinic.tar.gz tests/heldout [more ...]

Held-out files use Rasa's NLU YAML format; FAQ examples are labelled `faq/<key>`. A
message counts as answered correctly when the predicted intent (and, for `faq`, the
selected response key) is its label. Off-topic (`out_of_scope`) messages also count as
handled when they fall back, since both replies decline and offer the topics. Answers to
the booking form (`inform`: "minhang", "周六上午", a name) count as handled unless taken
for something that interrupts the form (a question, cancel, hand-over, emergency, a no):
the form reads the value from the text whatever else the intent is, and also reads a
bare treatment, clinic, time or number taken for a FAQ (actions/booking.py).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import sys
from collections import defaultdict
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Dict, List, Sequence, Tuple

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

from actions.booking import DIGRESSIONS, STOPS, STRUCTURED_SLOTS, is_bare_answer
from components.language import detect_language

FALLBACK = "nlu_fallback"
OFF_TOPIC = "out_of_scope"
FORM_ANSWER = "inform"
EMERGENCY = "emergency"
# What keeps the booking form from reading an answer.
INTERRUPTIONS = DIGRESSIONS | STOPS | {"deny"}
BAR = {
    "overall": 0.95,
    "language": 0.93,
    "off_topic_recall": 0.90,
    "wrong_fallbacks": 0.03,
    "red_flag_recall": 1.0,
}
# The hard set (tests/heldout_hard: voice transcripts, pinyin, stories, negation, red
# flags said indirectly, off-topic near-misses) has the bar of issue 12.
HARD_BAR = {
    "overall": 0.97,
    "language": 0.96,
    "off_topic_recall": 0.95,
    "wrong_fallbacks": 0.02,
    "red_flag_recall": 1.0,
}
BARS = {"held-out": BAR, "hard": HARD_BAR}


@dataclass
class Prediction:
    """One held-out message, its label and what the model took it for."""

    text: str
    label: str
    predicted: str
    confidence: float
    language: str
    intent_confidence: float

    @property
    def correct(self) -> bool:
        """Whether the assistant would give the right reply."""
        if self.label == OFF_TOPIC:
            return self.predicted in (OFF_TOPIC, FALLBACK, ARTICLE_ANSWERS["abstain"])
        if self.label == FORM_ANSWER:
            intent = self.predicted.split("/")[0]
            return intent not in INTERRUPTIONS or (
                intent in DIGRESSIONS
                and any(is_bare_answer(self.text, slot) for slot in STRUCTURED_SLOTS)
            )
        return self.predicted == self.label


def load_examples(paths: Sequence[str]) -> List[Tuple[str, str]]:
    """Returns (text, label) pairs from Rasa NLU YAML files or directories of them."""
    from rasa.shared.nlu.training_data.loading import load_data

    examples = []
    for path in paths:
        for example in load_data(path).intent_examples:
            label = example.get("intent_response_key") or example.get("intent")
            examples.append((example.get("text"), label))
    return examples


# What the articles' retriever answers instead (components/article_retriever.py): a
# passage, or "the articles don't say". Neither is a FAQ label, so a held-out question
# it takes from its FAQ answer counts as a mistake here; off-topic ones it declines.
ARTICLE_ANSWERS = {"passage": "articles/passage", "abstain": "articles/abstain"}


def predicted_label(parse: Dict) -> Tuple[str, float]:
    """Returns the label the assistant acts on and its confidence."""
    verdict = (parse.get("response_selector") or {}).get("article") or {}
    if verdict.get("answer") in ARTICLE_ANSWERS:
        return ARTICLE_ANSWERS[verdict["answer"]], float(verdict.get("score") or 0.0)
    intent = parse["intent"]["name"]
    confidence = parse["intent"].get("confidence") or 0.0
    selector = parse.get("response_selector", {}).get(intent)
    if selector:
        response = selector["response"]
        return response["intent_response_key"], response.get("confidence") or 0.0
    return intent, confidence


async def predict(model: str, examples: List[Tuple[str, str]]) -> List[Prediction]:
    """Parses every example with the trained model."""
    from rasa.core.agent import Agent

    agent = Agent.load(model)
    predictions = []
    for text, label in examples:
        parse = await agent.parse_message(text)
        predicted, confidence = predicted_label(parse)
        language = detect_language(text) or "en"
        intent_confidence = parse["intent"].get("confidence") or 0.0
        predictions.append(
            Prediction(text, label, predicted, confidence, language, intent_confidence)
        )
    return predictions


def accuracy(predictions: Sequence[Prediction]) -> float:
    """Share of predictions that lead to the right reply."""
    return (
        sum(p.correct for p in predictions) / len(predictions) if predictions else 0.0
    )


def summarise(predictions: List[Prediction]) -> Dict:
    """Computes the figures the bar is about, plus per-key and per-language detail."""
    by_language = defaultdict(list)
    by_label = defaultdict(list)
    for prediction in predictions:
        by_language[prediction.language].append(prediction)
        by_label[prediction.label].append(prediction)
    off_topic = by_label.get(OFF_TOPIC, [])
    in_scope = [p for p in predictions if p.label not in (OFF_TOPIC, FORM_ANSWER)]
    return {
        "examples": len(predictions),
        "overall": accuracy(predictions),
        "languages": {lang: accuracy(ps) for lang, ps in sorted(by_language.items())},
        "language_counts": {lang: len(ps) for lang, ps in sorted(by_language.items())},
        "off_topic_recall": accuracy(off_topic),
        "red_flag_recall": accuracy(by_label.get(EMERGENCY, [])),
        "red_flags": len(by_label.get(EMERGENCY, [])),
        "wrong_fallbacks": (
            sum(p.predicted == FALLBACK for p in in_scope) / len(in_scope)
            if in_scope
            else 0.0
        ),
        "per_label": {
            label: {"accuracy": accuracy(ps), "examples": len(ps)}
            for label, ps in sorted(by_label.items())
        },
        "errors": [asdict(p) for p in predictions if not p.correct],
        "predictions": [asdict(p) for p in predictions],
    }


def failures_against_bar(summary: Dict, bar: Dict[str, float] = BAR) -> List[str]:
    """Lists every figure that misses the bar."""
    failures = []
    if summary["overall"] < bar["overall"]:
        failures.append(
            f"overall accuracy {summary['overall']:.1%} < {bar['overall']:.0%}"
        )
    for language, value in summary["languages"].items():
        if value < bar["language"]:
            failures.append(f"{language} accuracy {value:.1%} < {bar['language']:.0%}")
    if summary["off_topic_recall"] < bar["off_topic_recall"]:
        failures.append(
            f"off-topic recall {summary['off_topic_recall']:.1%} "
            f"< {bar['off_topic_recall']:.0%}"
        )
    if summary["red_flags"] and summary["red_flag_recall"] < bar["red_flag_recall"]:
        failures.append(
            f"red flags answered {summary['red_flag_recall']:.1%} "
            f"< {bar['red_flag_recall']:.0%}"
        )
    if summary["wrong_fallbacks"] > bar["wrong_fallbacks"]:
        failures.append(
            f"wrong fallbacks {summary['wrong_fallbacks']:.1%} "
            f"> {bar['wrong_fallbacks']:.0%}"
        )
    return failures


def print_report(summary: Dict) -> None:
    """Prints the figures for people."""
    print(f"\nHeld-out examples: {summary['examples']}")
    print(f"Overall accuracy:   {summary['overall']:.1%}")
    for language, value in summary["languages"].items():
        count = summary["language_counts"][language]
        print(f"  {language} accuracy:      {value:.1%}  ({count} examples)")
    print(f"Off-topic recall:   {summary['off_topic_recall']:.1%}")
    if summary["red_flags"]:
        recall = summary["red_flag_recall"]
        print(f"Red flags answered: {recall:.1%}  ({summary['red_flags']} examples)")
    print(f"Wrong fallbacks:    {summary['wrong_fallbacks']:.1%} of in-scope messages")
    print("\nPer key / intent:")
    for label, figures in summary["per_label"].items():
        print(f"  {label:34} {figures['accuracy']:6.1%}  ({figures['examples']})")
    if summary["errors"]:
        print("\nWrong answers (text -> taken for, confidence):")
        for error in summary["errors"]:
            print(
                f"  [{error['label']}] {error['text']!r} -> "
                f"{error['predicted']} ({error['confidence']:.2f})"
            )


def quiet_logs() -> None:
    """Keeps Rasa's per-message debug logs (structlog and logging) off the report."""
    import structlog

    logging.disable(logging.WARNING)
    structlog.configure(
        wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING)
    )


def main() -> int:
    """Runs the evaluation; exits 1 when the model misses the bar."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "paths", nargs="+", help="held-out NLU YAML files or directories"
    )
    parser.add_argument("--model", default="models/clinic.tar.gz")
    parser.add_argument("--out", default="results/evaluation.json")
    parser.add_argument("--no-bar", action="store_true", help="report without checking")
    parser.add_argument(
        "--bar", choices=sorted(BARS), default="held-out", help="which bar to check"
    )
    args = parser.parse_args()
    quiet_logs()

    predictions = asyncio.run(predict(args.model, load_examples(args.paths)))
    summary = summarise(predictions)
    print_report(summary)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(summary, ensure_ascii=False, indent=2))

    failures = [] if args.no_bar else failures_against_bar(summary, BARS[args.bar])
    for failure in failures:
        print(f"BELOW THE BAR: {failure}")
    if not failures:
        print("\nAll figures meet the bar." if not args.no_bar else "")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
