"""channels/wechat_text.py and channels/wechat_store.py without a Rasa server."""

from __future__ import annotations

import asyncio
from typing import Callable

import pytest

from channels.wechat import WeChatSettings, parse_menu
from channels.wechat_store import MemoryStore, RedisStore
from channels.wechat_text import MAX_TEXT_BYTES, collect, pick, split


def test_a_long_answer_is_split_at_2048_bytes_without_breaking_a_character():
    text = "推拿是中医的按摩疗法。" * 400  # 3 bytes a character, no line breaks
    pieces = split(text)
    assert len(pieces) > 1
    assert all(len(piece.encode("utf-8")) <= MAX_TEXT_BYTES for piece in pieces)
    assert "".join(pieces) == text  # every piece decodes: nothing cut in two


def test_split_prefers_line_breaks():
    paragraph = "第一段。" * 100  # 1200 bytes
    pieces = split(paragraph + "\n\n" + paragraph + "\n\n" + paragraph)
    assert pieces == [paragraph, paragraph, paragraph]


def test_a_short_answer_is_one_piece():
    assert split("hello") == ["hello"]


def test_buttons_become_numbered_options_and_a_number_or_title_picks_one():
    messages = [
        {"text": "Book?", "buttons": [{"title": "Yes", "payload": "/affirm"}]},
        {"buttons": [{"title": "不用了", "payload": "/deny"}]},
    ]
    text, options = collect(messages)
    assert text == "Book?\n1. Yes\n\n2. 不用了"
    assert pick("1", options) == "/affirm"
    assert pick("２", options) == "/deny"
    assert pick(" yes ", options) == "/affirm"
    assert pick("3", options) == "3"
    assert pick("maybe", options) == "maybe"


def test_menu_table_and_settings_defaults():
    assert parse_menu("BOOKING=book_appointment, HUMAN=/human_handoff") == {
        "BOOKING": "book_appointment",
        "HUMAN": "human_handoff",
    }
    settings = WeChatSettings.from_credentials({"token": "t", "mode": ""})
    assert settings.mode == "passive" and settings.reply_budget_seconds == 4.0
    assert settings.timestamp_window == 300.0
    with pytest.raises(ValueError):
        WeChatSettings.from_credentials({"token": "t", "mode": "active"})


@pytest.fixture(params=["memory", "redis"])
def new_store(request) -> Callable[[str], MemoryStore]:
    """Makes an empty store of one kind (a Redis one keeps its keys under `prefix`)."""
    if request.param == "redis":
        url = request.getfixturevalue("redis_url")
        return lambda prefix: RedisStore(url, prefix=prefix)
    return lambda prefix: MemoryStore()


def test_only_one_of_many_concurrent_claims_wins(new_store):
    async def claims() -> list:
        store = new_store("t:")
        won = await asyncio.gather(*(store.claim("m1", 60) for _ in range(20)))
        await store.put("reply", {"text": "推拿"}, 60)
        assert await store.get("reply") == {"text": "推拿"}
        await store.close()
        return won

    assert sum(asyncio.run(claims())) == 1


def test_only_the_holder_renews_a_claim_and_an_unrenewed_one_lapses(new_store):
    async def lease() -> None:
        store = new_store("lease:")
        assert await store.claim("m1", 0.3, "server-1")
        assert not await store.renew("m1", "server-2", 5)
        assert await store.renew("m1", "server-1", 1.0)
        await asyncio.sleep(0.5)  # past the first lease: renewed, still held
        assert not await store.claim("m1", 0.3, "server-2")
        await asyncio.sleep(0.7)  # past the renewal: lapsed
        assert await store.claim("m1", 0.3, "server-2")
        assert not await store.renew("m1", "server-1", 5)
        await store.close()

    asyncio.run(lease())
