import json
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from console.conversation_index import ConversationIndex, Filters, shanghai_day
from scripts.seed_console import (
    bot_event,
    create_events_table,
    seed_conversations,
    user_event,
)

NOW = 1_764_900_000.0  # 2025-12-05, a fixed day


@pytest.fixture
def url(tmp_path):
    address = f"sqlite:///{tmp_path / 'tracker.db'}"
    engine = sa.create_engine(address)
    create_events_table(engine)
    engine.dispose()
    return address


def add(url, sender, *events):
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        for type_name, when, intent, action, data in events:
            connection.execute(
                sa.text(
                    "INSERT INTO events (sender_id, type_name, timestamp, "
                    "intent_name, action_name, data) VALUES (:s, :t, :w, :i, :a, :d)"
                ),
                {
                    "s": sender,
                    "t": type_name,
                    "w": when,
                    "i": intent,
                    "a": action,
                    "d": json.dumps(data),
                },
            )
    engine.dispose()


def delete(url, statement, **parameters):
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        connection.execute(sa.text(statement), parameters)
    engine.dispose()


def test_an_empty_store_without_an_events_table_indexes_nothing(tmp_path):
    index = ConversationIndex(f"sqlite:///{tmp_path / 'new.db'}")
    assert index.refresh() == 0
    assert index.conversations(Filters()) == ([], 0)


def test_visitor_messages_are_summarised_per_conversation(url):
    add(
        url,
        "alice",
        user_event(
            "does tuina hurt?", NOW, "socketio", "en", "faq", 0.9, "does_it_hurt"
        ),
        bot_event("A little.", NOW + 1, "utter_faq/does_it_hurt"),
        user_event("asdf", NOW + 60, "socketio", "en", "nlu_fallback", 0.2),
    )
    add(url, "bob", user_event("推拿会疼吗", NOW + 5, "wechat", "zh", "faq", 0.8))
    index = ConversationIndex(url)
    assert index.refresh() == 3
    summaries, total = index.conversations(Filters())
    assert total == 2
    alice = next(s for s in summaries if s.sender_id == "alice")
    assert (alice.messages, alice.channel, alice.language) == (2, "socketio", "en")
    assert alice.fell_back and not alice.booked and not alice.handoff
    assert alice.first_message == "does tuina hurt?"
    assert [s.sender_id for s in summaries] == ["alice", "bob"]  # latest first


def test_new_events_are_added_incrementally_and_a_booking_is_noticed(url):
    add(url, "alice", user_event("hi", NOW, "rest", "en", "greet", 0.99))
    index = ConversationIndex(url)
    index.refresh()
    add(
        url,
        "alice",
        user_event("book me", NOW + 10, "rest", "en", "book_appointment", 0.9),
        bot_event("Sent.", NOW + 11, "utter_booking_submitted"),
    )
    assert index.refresh() == 1
    assert index.refresh() == 0
    (alice,), _ = index.conversations(Filters())
    assert alice.messages == 2 and alice.booked


def test_filters_narrow_the_list(url):
    add(url, "a", user_event("where are you", NOW, "socketio", "en", "faq", 0.9))
    add(url, "b", user_event("转人工", NOW, "wechat", "zh", "human_handoff", 0.9))
    add(url, "c", user_event("??", NOW, "rest", "en", "nlu_fallback", 0.3))
    index = ConversationIndex(url)
    index.refresh()

    def senders(**fields):
        return sorted(s.sender_id for s in index.conversations(Filters(**fields))[0])

    assert senders(channel="wechat") == ["b"]
    assert senders(language="en") == ["a", "c"]
    assert senders(handoff=True) == ["b"]
    assert senders(fell_back=True) == ["c"]
    assert senders(query="WHERE") == ["a"]
    assert senders(query="c") == ["c"]  # a conversation id
    assert senders(query="100%") == []  # wildcards are literal
    day = shanghai_day(NOW)
    assert senders(since=day, until=day) == ["a", "b", "c"]
    later = (date.fromisoformat(day) + timedelta(days=1)).isoformat()
    assert senders(since=later) == []


def test_deleted_conversations_leave_the_index_with_their_text(url):
    add(
        url,
        "alice",
        user_event("my number is 13912345678", NOW, "rest", "en", "inform", 0.9),
    )
    add(url, "bob", user_event("hello", NOW, "rest", "en", "greet", 0.9))
    index = ConversationIndex(url)
    index.refresh()
    delete(url, "DELETE FROM events WHERE sender_id = 'alice'")
    index.refresh()
    assert [s.sender_id for s in index.conversations(Filters())[0]] == ["bob"]
    engine = sa.create_engine(url)
    with engine.connect() as connection:
        texts = connection.execute(sa.text("SELECT text FROM console_messages"))
        assert "13912345678" not in " ".join(row[0] for row in texts)
    engine.dispose()


def test_a_partly_purged_conversation_is_recounted(url):
    add(
        url,
        "alice",
        user_event("old", NOW - 100 * 86400, "rest", "en", "greet", 0.9),
        user_event("new", NOW, "rest", "en", "greet", 0.9),
    )
    index = ConversationIndex(url)
    index.refresh()
    delete(url, "DELETE FROM events WHERE timestamp < :cutoff", cutoff=NOW - 86400)
    index.refresh()
    (alice,), _ = index.conversations(Filters())
    assert alice.messages == 1
    assert alice.first_message == "new"


def test_the_dashboard_counts_messages_by_day_channel_language_and_topic(url):
    add(
        url,
        "a",
        user_event("hurt?", NOW, "socketio", "en", "faq", 0.9, "does_it_hurt"),
        user_event("hurt?", NOW + 1, "socketio", "en", "faq", 0.9, "does_it_hurt"),
        user_event("??", NOW + 2, "wechat", "zh", "nlu_fallback", 0.2),
    )
    index = ConversationIndex(url)
    index.refresh()
    day = date.fromisoformat(shanghai_day(NOW))
    figures = index.dashboard(day, day)
    key = day.isoformat()
    assert figures.by_channel[key] == {"socketio": 2, "wechat": 1}
    assert figures.by_language[key] == {"en": 2, "zh": 1}
    assert figures.fallback[key] == (1, 3)
    assert figures.topics[0] == ("faq/does_it_hurt", 2)


def test_ten_thousand_seeded_events_index_and_page(tmp_path):
    address = f"sqlite:///{tmp_path / 'seeded.db'}"
    events = seed_conversations(address, 300)
    index = ConversationIndex(address)
    assert index.refresh() > 0
    summaries, total = index.conversations(Filters(), limit=50)
    assert total == 300 and len(summaries) == 50
    assert events > 300
