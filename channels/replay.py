"""Idempotent messages: a repeated `message_id` gets the replies already given.

A client of the REST channel or the widget (socket.io) that lost the answer to a
message (a proxy's 502, a server killed after it stored the turn, a socket that
dropped before the acknowledgement) sends the same message again with the same
`message_id`. If the conversation already holds a user message with that id, the bot
messages recorded after it are the answer, and the message is not processed twice.

The look and the turn are one step under the conversation's lock (`handle_once`): a
repeat that arrives while the first attempt is still waiting for the lock, or is being
processed, waits for it and then finds it, instead of making a second turn.
"""

from __future__ import annotations

import re
from typing import Any, Dict, List

from rasa.core.channels.channel import UserMessage
from rasa.shared.core.events import BotUttered, UserUttered

# Long enough for a UUID in any spelling; short enough to keep out junk.
MESSAGE_ID = re.compile(r"^[\w.:-]{1,64}$", re.ASCII)
BAD_MESSAGE_ID = "`message_id` must be 1 to 64 letters, digits or . : _ -."
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


async def handle_once(agent: Any, message: UserMessage) -> List[Dict] | None:
    """Processes `message` unless its id is already in the conversation.

    Returns the replies recorded for a repeated id (nothing is processed), or None
    when the message was processed now (its replies went to its output channel).
    Rasa's own `Agent.handle_message` takes the same lock around the same
    `processor.handle_message`; here the look for the id is inside it too.
    """
    sender = message.sender_id
    if not agent.is_ready():
        return None  # as Rasa: no model loaded, the message is ignored
    async with agent.lock_store.lock(sender):
        if message.message_id and is_message_id(message.message_id):
            tracker = await agent.tracker_store.retrieve(sender)
            if tracker is not None:
                replayed = replies_after(
                    list(tracker.events), sender, message.message_id
                )
                if replayed is not None:
                    return replayed
        await agent.processor.handle_message(message)
    return None
