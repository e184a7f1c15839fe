"""The REST channel with the public endpoints' checks (replaces `rest:` in credentials).

Registered in credentials.yml as `channels.rest.GuardedRestInput`, at the same URL
(`/webhooks/rest/webhook`) and with the same channel name ("rest") as Rasa's own. Its
blueprint installs the app-wide HTTP checks (channels/http_guard.py); each message
then passes channels/guard.py: too long (200, the visitor is told), too frequent for
its sender (429 with the message), "/..." not offered by a button (slashes dropped).
Bodies that are not a JSON object with a string `sender` and `message` get 400; a
message that could not be stored (tracker or lock store down) gets 503 with
Retry-After and a notice in the visitor's language. An optional `message_id` makes
a message idempotent (channels/replay.py): a retry gets the replies the first
attempt recorded instead of a second turn.
"""

from __future__ import annotations

import logging
from asyncio import CancelledError
from dataclasses import dataclass
from typing import Any, Awaitable, Callable, Dict, Text

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from channels.guard import (
    GENERIC_SORRY,
    language_of,
    message_guard,
    unavailable_notice,
)
from channels.http_guard import GuardedBlueprint
from channels.replay import BAD_MESSAGE_ID, handle_once, is_message_id
from stores.tracker_store import is_store_outage

logger = logging.getLogger(__name__)

MAX_SENDER_CHARS = 128
# A store outage usually lasts seconds to minutes: when the client may try again.
RETRY_AFTER_SECONDS = 30


def _bad_request(why: str) -> HTTPResponse:
    return response.json({"error": "bad_request", "message": why}, status=400)


def _is_sender(value: object) -> bool:
    # Printable: no control, invisible or lone surrogate characters, which the
    # tracker store cannot keep or staff cannot read in `make review`.
    return (
        isinstance(value, str)
        and 0 < len(value) <= MAX_SENDER_CHARS
        and value.isprintable()
    )


class GuardedRestInput(RestInput):
    """Rasa's REST channel, checked; no streaming, no client-chosen input_channel."""

    @classmethod
    def name(cls) -> Text:
        """Same name as Rasa's, so trackers and `make review` see "rest"."""
        return "rest"

    def url_prefix(self) -> Text:
        """Served at /webhooks/rest/ like Rasa's."""
        return "rest"

    def blueprint(
        self, on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> Blueprint:
        """Health at `/`, messages at `/webhook`."""
        rest = GuardedBlueprint("guarded_rest_webhook", __name__)
        guard = message_guard()

        @rest.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @rest.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            try:
                body = request.json
            except Exception:  # Sanic raises InvalidUsage on malformed JSON
                return _bad_request("The body is not JSON.")
            if not isinstance(body, dict):
                return _bad_request("The body must be a JSON object.")
            sender, text = body.get("sender"), body.get("message")
            if not _is_sender(sender):
                return _bad_request(
                    f"`sender` must be 1 to {MAX_SENDER_CHARS} printable characters."
                )
            if not isinstance(text, str):
                return _bad_request("`message` must be a string.")
            message_id = body.get("message_id")
            if message_id is not None and not is_message_id(message_id):
                return _bad_request(BAD_MESSAGE_ID)
            metadata = body.get("metadata")
            metadata = metadata if isinstance(metadata, dict) else {}
            guard.learn_domain(getattr(request.app.ctx, "agent", None))
            verdict = await guard.check(sender, text, metadata.get("language"))
            if verdict.reason == "rate_limited":
                return response.json(
                    {"error": "rate_limited", "message": verdict.notice},
                    status=429,
                    headers={"Retry-After": str(int(guard.settings.sender_rate[1]))},
                )
            if verdict.notice:
                return response.json([{"recipient_id": sender, "text": verdict.notice}])
            agent = getattr(request.app.ctx, "agent", None)
            collector = CollectingOutputChannel()
            message = UserMessage(
                verdict.text,
                collector,
                sender,
                input_channel=self.name(),
                metadata=metadata,
                message_id=message_id,
            )
            try:
                if message_id and agent is not None:
                    # Once per id: a repeat gets the replies recorded for it.
                    replayed = await handle_once(agent, message)
                    if replayed is not None:
                        return response.json(replayed)
                else:
                    await on_new_message(message)
            except CancelledError:
                logger.error("REST message timed out.")
            except Exception as error:
                if is_store_outage(error):
                    # Nothing was stored: answering as if it had been would lose it.
                    logger.error("REST message not processed: a store is unavailable.")
                    language = language_of(text, metadata.get("language"))
                    return response.json(
                        {
                            "error": "unavailable",
                            "message": unavailable_notice(language),
                        },
                        status=503,
                        headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
                    )
                logger.exception("REST message failed.")
                return response.json(
                    {"error": "internal_error", "message": GENERIC_SORRY}, status=500
                )
            return response.json(collector.messages)

        return rest


@dataclass(frozen=True)
class Refusal:
    """A message the checks kept from the assistant: why ("empty", "too_long", ...)."""

    reason: str


def guarded_handler(
    on_new_message: Callable[[UserMessage], Awaitable[Any]],
) -> Callable[[UserMessage], Awaitable[Any]]:
    """Wraps a channel's `on_new_message` with the message checks (socket.io, WeChat).

    A refused message is answered through the message's own output channel, in the
    visitor's language, and never reaches the assistant; the handler then returns
    a `Refusal` saying why.
    """
    guard = message_guard()

    async def handler(message: UserMessage) -> Any:
        guard.learn_domain()
        metadata: Dict[str, Any] = message.metadata or {}
        verdict = await guard.check(
            message.sender_id, message.text, metadata.get("language")
        )
        if verdict.notice:
            logger.warning("Message refused (%s).", verdict.reason)
            await message.output_channel.send_text_message(
                message.sender_id, verdict.notice
            )
            return Refusal(verdict.reason)
        message.text = verdict.text
        return await on_new_message(message)

    return handler
