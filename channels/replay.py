"""Idempotent REST messages: a retried `message_id` gets the replies already given.

A widget (or the load harness) that lost the answer to a message (a proxy's 502, a
server killed after it stored the turn) sends the same message again with the same
`message_id`. If the conversation already holds a user message with that id, the bot
messages recorded after it are the answer, and the message is not processed twice.
"""

from __future__ import annotations

import re
from typing import Any, Dict, List

from rasa.shared.core.events import BotUttered, UserUttered

# Long enough for a UUID in any spelling; short enough to keep out junk.
MESSAGE_ID = re.compile(r"^[\w.:-]{1,64}$", re.ASCII)
# The keys of a bot message as CollectingOutputChannel gives them over REST.
REPLY_KEYS = ("text", "image", "buttons", "attachment", "custom")


def is_message_id(value: Any) -> bool:
    """True for an acceptable client-chosen message id."""
    return isinstance(value, str) and MESSAGE_ID.match(value) is not None


def replies_after(events: List[Any], sender: str, message_id: str) -> List[Dict] | None:
    """The REST replies recorded after the user message `message_id`; None if absent."""
    replies: List[Dict] | None = None
    for event in events:
        if isinstance(event, UserUttered):
            if replies is not None:
                break  # the next visitor message: its turn is over
            if event.message_id == message_id:
                replies = []
        elif replies is not None and isinstance(event, BotUttered):
            message = {"recipient_id": sender, "text": event.text, **event.data}
            replies.append(
                {
                    key: value
                    for key, value in message.items()
                    if key == "recipient_id" or (key in REPLY_KEYS and value)
                }
            )
    return replies


async def recorded_replies(
    agent: Any, sender: str, message_id: str
) -> List[Dict] | None:
    """The replies already given to `message_id` in this conversation, or None.

    Read under the conversation's lock, so a retry that arrives while the first
    attempt is still being processed waits for it (tickets are served in order).
    """
    async with agent.lock_store.lock(sender):
        tracker = await agent.tracker_store.retrieve(sender)
    if tracker is None:
        return None
    return replies_after(list(tracker.events), sender, message_id)
