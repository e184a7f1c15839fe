from __future__ import annotations

from typing import List

from rasa.core.channels.channel import UserMessage

from channels.guard import unavailable_notice
from channels.wechat import SORRY, WeChatInput, WeChatSettings
from stores.tracker_store import TrackerStoreUnavailable

KEY = "open-id:1001"


def channel() -> WeChatInput:
    return WeChatInput(WeChatSettings(token="token-for-tests"))  # noqa: S106 - a test's


async def test_a_store_outage_leaves_the_wechat_message_for_its_retry() -> None:
    wechat = channel()
    seen: List[str] = []

    async def store_down(message: UserMessage) -> None:
        seen.append(message.text)
        raise TrackerStoreUnavailable("the tracker store failed during retrieve")

    async def store_back(message: UserMessage) -> None:
        seen.append(message.text)
        await message.output_channel.send_text_message(message.sender_id, "Hi!")

    assert await wechat.store.claim(f"claim:{KEY}", 60)
    failed = await wechat._turn(store_down, None, "open-id", "hello", KEY)
    assert failed["unavailable"]

    # WeChat's retry is not taken for a duplicate: it claims the message and runs it.
    assert await wechat.store.claim(f"claim:{KEY}", 60)
    done = await wechat._turn(store_back, None, "open-id", "hello", KEY)
    assert done["text"] == "Hi!" and seen == ["hello", "hello"]
    assert (await wechat.store.get(f"reply:{KEY}"))["text"] == "Hi!"


async def test_a_bug_is_answered_with_sorry_and_not_run_again() -> None:
    wechat = channel()

    async def broken(message: UserMessage) -> None:
        raise ValueError("a bug")

    assert await wechat.store.claim(f"claim:{KEY}", 60)
    result = await wechat._turn(broken, None, "open-id", "hello", KEY)

    assert result == {"text": SORRY, "linked": SORRY}
    assert not await wechat.store.claim(f"claim:{KEY}", 60)


def test_the_unavailable_notice_is_in_the_visitors_language() -> None:
    assert "unavailable" in unavailable_notice("en")
    assert "系统暂时无法使用" in unavailable_notice("zh")
    assert "(+86" in unavailable_notice("en")
