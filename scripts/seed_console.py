"""Seeds a tracker store and an outbox with made-up conversations and requests.

    python scripts/seed_console.py --dir /tmp/seeded [--conversations N] [--requests N]

For the console's speed figures (scripts/bench_console.py) and its tests: events shaped
as Rasa 3.6 stores them (its own `events` table), visitor messages in English and
Chinese on the widget, REST and WeChat channels, some falling back, asking for a person
or booking, spread over the last `days` days; requests through `Outbox.submit`. Fake
names and numbers only (+86 139 0000 xxxx).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path
from typing import Any, Dict, List, Tuple

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from booking.outbox import Outbox  # noqa: E402 - after the path is set

CHANNELS = ["socketio", "socketio", "rest", "wechat"]
TOPICS = [
    "does_it_hurt",
    "tuina_what",
    "locations",
    "prices",
    "opening_hours",
    "medical_vs_spa",
    "acupuncture",
    "back_pain_treatment",
]
TEXTS = {
    "en": [
        "does tuina hurt?",
        "where are your clinics",
        "how much is a massage",
        "what is medical massage",
        "can you help my back pain",
    ],
    "zh": [
        "推拿会疼吗",
        "你们诊所在哪里",
        "按摩多少钱",
        "什么是医疗按摩",
        "腰疼能治吗",
    ],
}
CLINICS = ["downtown", "minhang"]
Event = Tuple[str, float, str | None, str | None, Dict[str, Any]]


def user_event(
    text: str,
    when: float,
    channel: str,
    language: str,
    intent: str,
    confidence: float,
    topic: str = "",
) -> Event:
    """A `user` event as Rasa stores it (intent, ranking, language entity, selector)."""
    parse = {
        "text": text,
        "intent": {"name": intent, "confidence": confidence},
        "entities": [
            {"entity": "language", "value": language, "extractor": "LanguageDetector"}
        ],
        "intent_ranking": [{"name": intent, "confidence": confidence}],
    }
    if topic:
        parse["response_selector"] = {
            "faq": {
                "response": {
                    "intent_response_key": f"faq/{topic}",
                    "confidence": confidence,
                }
            }
        }
    data = {
        "event": "user",
        "timestamp": when,
        "text": text,
        "parse_data": parse,
        "input_channel": channel,
        "message_id": f"m{when}",
        "metadata": {},
    }
    return ("user", when, intent, None, data)


def bot_event(text: str, when: float, response: str) -> Event:
    """A `bot` event as Rasa stores it."""
    data = {
        "event": "bot",
        "timestamp": when,
        "text": text,
        "data": {},
        "metadata": {"utter_action": response},
    }
    return ("bot", when, None, None, data)


def action_event(name: str, when: float) -> Event:
    """An `action` event as Rasa stores it."""
    data = {"event": "action", "timestamp": when, "name": name, "confidence": 1.0}
    return ("action", when, None, name, data)


def conversation(rng: random.Random, start: float) -> List[Event]:
    """One made-up conversation: a few questions, sometimes a fallback or a booking."""
    channel = rng.choice(CHANNELS)
    language = rng.choice(["en", "en", "zh"])
    events: List[Event] = [action_event("action_session_start", start)]
    when = start
    for _ in range(rng.randint(2, 6)):
        when += rng.uniform(5, 90)
        roll = rng.random()
        if roll < 0.1:
            events.append(
                user_event("asdf qwer", when, channel, language, "nlu_fallback", 0.31)
            )
            events.append(
                bot_event(
                    "Sorry, I did not get that.", when + 0.3, "utter_nlu_fallback"
                )
            )
        elif roll < 0.15:
            events.append(
                user_event(
                    "can I talk to a person",
                    when,
                    channel,
                    language,
                    "human_handoff",
                    0.93,
                )
            )
            events.append(bot_event("Of course.", when + 0.3, "utter_handoff"))
        else:
            topic = rng.choice(TOPICS)
            text = rng.choice(TEXTS[language])
            events.append(
                user_event(
                    text, when, channel, language, "faq", rng.uniform(0.6, 0.99), topic
                )
            )
            events.append(action_event("utter_faq", when + 0.2))
            events.append(bot_event("An answer.", when + 0.3, f"utter_faq/{topic}"))
        events.append(action_event("action_listen", when + 0.4))
    if rng.random() < 0.2:
        when += 60
        events.append(
            user_event(
                "I want to book", when, channel, language, "book_appointment", 0.97
            )
        )
        events.append(
            bot_event("Your request is sent.", when + 0.5, "utter_booking_submitted")
        )
    return events


def create_events_table(engine: sa.engine.Engine) -> None:
    """Rasa's own `events` table (its SQL tracker store's model), if missing."""
    from rasa.core.tracker_store import SQLTrackerStore

    SQLTrackerStore.SQLEvent.__table__.create(engine, checkfirst=True)


def seed_conversations(url: str, count: int, days: int = 60, seed: int = 1) -> int:
    """Adds `count` conversations to the tracker store at `url`; returns the events."""
    rng = random.Random(seed)  # noqa: S311 - made-up data, not secrets
    engine = sa.create_engine(url)
    create_events_table(engine)
    now = time.time()
    rows = []
    for number in range(count):
        start = now - rng.uniform(0, days * 86400)
        sender = f"seed-{seed}-{number:06d}"
        for type_name, when, intent, action, data in conversation(rng, start):
            rows.append(
                {
                    "sender_id": sender,
                    "type_name": type_name,
                    "timestamp": when,
                    "intent_name": intent,
                    "action_name": action,
                    "data": json.dumps(data),
                }
            )
    rows.sort(key=lambda row: row["timestamp"])
    with engine.begin() as connection:
        connection.execute(
            sa.text(
                "INSERT INTO events (sender_id, type_name, timestamp, intent_name, "
                "action_name, data) VALUES (:sender_id, :type_name, :timestamp, "
                ":intent_name, :action_name, :data)"
            ),
            rows,
        )
    engine.dispose()
    return len(rows)


def seed_requests(outbox: Outbox, count: int, days: int = 60, seed: int = 1) -> None:
    """Adds `count` booking and call-back requests to the outbox."""
    from datetime import datetime, timedelta, timezone

    rng = random.Random(seed)  # noqa: S311 - made-up data, not secrets
    now = datetime.now(timezone.utc)
    for number in range(count):
        kind = "booking" if rng.random() < 0.8 else "callback"
        payload = {
            "service": rng.choice(["tuina", "medical_massage", "acupuncture"]),
            "clinic": rng.choice(CLINICS),
            "preferred_time": "next Tuesday afternoon",
            "name": f"Test Visitor {number}",
            "phone": f"+86139{number:08d}",
            "language": rng.choice(["en", "zh"]),
        }
        created = now - timedelta(seconds=rng.uniform(0, days * 86400))
        outbox.submit(kind, f"seed-{seed}-{number:06d}", payload, now=created)


def main() -> int:
    """Seeds DIR/tracker.db and DIR/bookings.db."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dir", type=Path, required=True)
    parser.add_argument("--conversations", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=2_000)
    args = parser.parse_args()
    args.dir.mkdir(parents=True, exist_ok=True)
    events = seed_conversations(
        f"sqlite:///{args.dir / 'tracker.db'}", args.conversations
    )
    with Outbox(args.dir / "bookings.db") as outbox:
        seed_requests(outbox, args.requests)
    print(
        f"{args.dir}: {args.conversations} conversations ({events} events), "
        f"{args.requests} requests."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
