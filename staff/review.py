"""Exports the visitor messages the assistant could not answer, for staff to label.

    python -m staff.review [--endpoints endpoints.yml] [--out reviews/review.csv]

Reads the conversations from the tracker store `endpoints.yml` names (SQLite
`tracker.db` by default; any SQLAlchemy dialect Rasa supports), and writes a CSV (UTF-8
with a byte-order mark, so Excel shows Chinese) of the messages that fell back, were
taken for off-topic, or were answered with low confidence: message (phone numbers
masked), what the assistant took it for, confidence, time, channel, how often it was
asked, who answered it (the assistant, or a person of reception during a hand-over).
Messages already in the training data, and button clicks, are left out. Staff write
the right FAQ key or intent in the `label` column; `make import-review` reads it.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import sys
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Dict, Iterable, List, Tuple
from zoneinfo import ZoneInfo

from actions.parsing import find_phone_candidate, mask_phone
from staff.checks import ROOT, load_project, normalise
from stores.conversations import tracker_store_url, user_events

FALLBACK = "nlu_fallback"
OFF_TOPIC = "out_of_scope"
# Below this, the answer given was a guess worth a look (the fallbacks are at 0.5 for
# the intent and 0.2 for the FAQ answer, see config.yml).
LOW_CONFIDENCE = 0.6
CLINIC_TIME = ZoneInfo("Asia/Shanghai")
COLUMNS = [
    "message", "label", "taken_for", "confidence", "why", "times_asked",
    "first_time", "last_time", "channel", "conversation", "answered_by",
]  # fmt: skip
# A message sent while a person had the conversation (handover/conversation.py) was
# answered by them, not by the assistant: the row says who.
HANDOVER_START, HANDOVER_END = "action_start_handover", "utter_handover_back"


@dataclass
class Review:
    """One message to review (repeats of it counted)."""

    message: str
    taken_for: str
    confidence: float
    why: str
    first_time: float
    last_time: float
    channel: str
    conversation: str
    times_asked: int = 1
    answered_by: str = "assistant"


def mask_phones(text: str) -> str:
    """`text` with every phone-number-like run of digits masked."""
    for _ in range(10):  # a message holds a few numbers at most
        candidate = find_phone_candidate(text)
        if not candidate:
            break
        text = text.replace(candidate, mask_phone(candidate))
    return text


def taken_for(parse: Dict) -> Tuple[str, float]:
    """What the assistant acted on and how sure it was (for a fallback: its guess)."""
    intent = parse.get("intent") or {}
    name, confidence = intent.get("name") or "", intent.get("confidence") or 0.0
    if name == FALLBACK:
        guesses = [i for i in parse.get("intent_ranking", []) if i["name"] != FALLBACK]
        if guesses:
            name, confidence = guesses[0]["name"], guesses[0].get("confidence") or 0.0
            label, sure = _selected(parse, name)
            return f"{FALLBACK} (best guess {label or name})", sure or confidence
        return FALLBACK, confidence
    label, sure = _selected(parse, name)
    return (label, sure) if label else (name, confidence)


def _selected(parse: Dict, intent: str) -> Tuple[str | None, float | None]:
    selector = (parse.get("response_selector") or {}).get(intent)
    if not selector:
        return None, None
    response = selector.get("response") or {}
    return response.get("intent_response_key"), response.get("confidence") or 0.0


def why_reviewed(parse: Dict, threshold: float) -> str | None:
    """Why a message needs a look (fallback, off-topic, low confidence), or None."""
    name = (parse.get("intent") or {}).get("name")
    if name == FALLBACK:
        return "not understood (fallback)"
    if name == OFF_TOPIC:
        return "taken for off-topic"
    _, confidence = taken_for(parse)
    if confidence < threshold:
        return "low confidence"
    return None


def collect(
    events: Iterable[Tuple[str, Dict]], known: set, threshold: float = LOW_CONFIDENCE
) -> List[Review]:
    """The messages to review, one row per distinct message, most asked first."""
    reviews: Dict[str, Review] = {}
    # Per conversation during a hand-over: the person answering ("" before a reply).
    with_person: Dict[str, str] = {}
    for sender_id, event in events:
        kind = event.get("event")
        if kind == "action":
            if event.get("name") == HANDOVER_START:
                with_person[sender_id] = ""
            elif event.get("name") == HANDOVER_END:
                with_person.pop(sender_id, None)
            continue
        if kind == "bot":
            if sender_id in with_person:
                staff = (event.get("metadata") or {}).get("staff") or ""
                with_person[sender_id] = str(staff)
            continue
        text = (event.get("text") or "").strip()
        parse = event.get("parse_data") or {}
        if not text or text.startswith("/") or normalise(text) in known:
            continue
        why = why_reviewed(parse, threshold)
        if why is None:
            continue
        message = mask_phones(" ".join(text.split()))
        key = normalise(message)
        time = event.get("timestamp") or 0.0
        if key in reviews:
            review = reviews[key]
            review.times_asked += 1
            review.last_time = max(review.last_time, time)
            continue
        label, confidence = taken_for(parse)
        conversation = hashlib.sha256(sender_id.encode()).hexdigest()[:8]
        answered_by = "assistant"
        if sender_id in with_person:
            answered_by = f"person {with_person[sender_id]}".strip()
        reviews[key] = Review(
            message, label, confidence, why, time, time,
            event.get("input_channel") or "", conversation, 1, answered_by,
        )  # fmt: skip
    return sorted(reviews.values(), key=lambda r: (-r.times_asked, r.first_time))


def _local(timestamp: float) -> str:
    moment = datetime.fromtimestamp(timestamp, tz=timezone.utc)
    return moment.astimezone(CLINIC_TIME).strftime("%Y-%m-%d %H:%M")


def write_csv(reviews: List[Review], out: Path) -> None:
    """Writes the rows for a spreadsheet: UTF-8 with BOM, an empty `label` column."""
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8-sig", newline="") as file:
        writer = csv.DictWriter(file, fieldnames=COLUMNS)
        writer.writeheader()
        for review in reviews:
            writer.writerow(
                {
                    "message": review.message,
                    "label": "",
                    "taken_for": review.taken_for,
                    "confidence": f"{review.confidence:.2f}",
                    "why": review.why,
                    "times_asked": review.times_asked,
                    "first_time": _local(review.first_time),
                    "last_time": _local(review.last_time),
                    "channel": review.channel,
                    "conversation": review.conversation,
                    "answered_by": review.answered_by,
                }
            )


def main() -> int:
    """Reads the tracker store and writes the CSV."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--endpoints", type=Path, default=ROOT / "endpoints.yml")
    parser.add_argument("--db", help="a SQLAlchemy URL instead of endpoints.yml's")
    parser.add_argument("--out", type=Path, default=ROOT / "reviews" / "review.csv")
    parser.add_argument("--threshold", type=float, default=LOW_CONFIDENCE)
    args = parser.parse_args()
    url = args.db or tracker_store_url(args.endpoints)
    known = {
        normalise(str(example.value))
        for examples in load_project(ROOT).examples.values()
        for example in examples
    }
    reviews = collect(user_events(url), known, args.threshold)
    write_csv(reviews, args.out)
    print(
        f"{len(reviews)} messages to review written to {args.out}. Open it in a "
        "spreadsheet, write the FAQ key or intent in the 'label' column (leave it "
        "empty to skip a row), save as CSV, then: make import-review FILE="
        f"{args.out}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
