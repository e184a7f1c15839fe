"""A person's messages into a conversation, from the staff console, out to the visitor.

Registered in credentials.yml as `channels.handover.HandoverInput`; Rasa serves it at
`/webhooks/handover/`. The console (console/pages/live.py) calls it with the shared
secret (HANDOVER_TOKEN, else the Rasa server's RASA_AUTH_TOKEN) as a bearer token:

- `POST /webhooks/handover/message` {"sender", "text", "staff"}: the message is added to
  the conversation's tracker as a bot message marked as from a person (metadata
  `from_person`, `staff`), under the conversation's lock;
- `POST /webhooks/handover/end` {"sender", "staff"}: `utter_handover_back` is run in the
  conversation (in the visitor's language), so the assistant answers again.

Why here rather than Rasa's HTTP API (POST /conversations/<id>/tracker/events): one
request adds the event and delivers it, with what only the Rasa process has (the
lock store, the domain's responses in the visitor's language, WeChat's access_token
store and the widget's socket.io server), and the console needs no token for the
whole HTTP API (model replacement included), only for these two routes.

Delivery: to WeChat at once through the customer-service API in active mode (the
server that took the request sends it, once); in passive mode with the reply to the
visitor's next message (channels/wechat.py). To the widget: every Rasa server looks
every second at the hand-overs whose `staff_seq` changed (handover/store.py: no text,
only a counter) and, for those with a socket on this server, emits what staff wrote
since it last looked, read from the tracker; so the message reaches the visitor
whichever server nginx sent the console's request to and whichever holds the socket.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
import re
import time
from datetime import timedelta
from typing import Any, Awaitable, Callable, Dict, List, Text

from rasa.core.channels.channel import (
    CollectingOutputChannel,
    InputChannel,
    UserMessage,
)
from rasa.core.policies.policy import PolicyPrediction
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.events import ActionExecuted, BotUttered
from sanic import Blueprint, Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

from channels import wechat_text
from channels.http_guard import GuardedBlueprint
from handover.conversation import (
    BACK,
    is_from_person,
    messages_after,
    person_metadata,
)
from handover.settings import handover_settings
from handover.store import HandoverStore, shared_store, utcnow

logger = logging.getLogger(__name__)

MAX_TEXT = 2000
STAFF_NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,39}$")
SENDER = re.compile(r"^[A-Za-z0-9_.:@-]{1,255}$")
POLL_SECONDS = 1.0
TYPING_SECONDS = 2.0
# Ended hand-overs stay in the servers' view this long, for their last words.
AFTERGLOW = timedelta(minutes=2)


class HandoverInput(InputChannel):
    """The console's way into a conversation while a person has it."""

    @classmethod
    def name(cls) -> Text:
        """The channel's name."""
        return "handover"

    @classmethod
    def from_credentials(cls, credentials: Dict[Text, Any] | None) -> InputChannel:
        """Takes no settings (HANDOVER_* from the environment)."""
        return cls()

    def __init__(self) -> None:
        """Reads the settings; the store is opened on first use."""
        self.token = handover_settings().token
        self._store: HandoverStore | None = None
        # Per process: what this server already emitted to its own sockets.
        self.seen_seq: Dict[str, int] = {}
        self.delivered_until: Dict[str, float] = {}
        # Open hand-overs as of the last look (every second), and when each visitor's
        # typing was last recorded: typing is written at most every TYPING_SECONDS.
        self.open_senders: set[str] = set()
        self.typing_recorded: Dict[str, float] = {}

    @property
    def store(self) -> HandoverStore:
        """The shared hand-over table."""
        if self._store is None:
            self._store = shared_store()
        return self._store

    def _authorised(self, request: Request) -> bool:
        provided = request.headers.get("authorization", "")
        expected = f"Bearer {self.token}"
        return bool(self.token) and hmac.compare_digest(
            provided.encode(), expected.encode()
        )

    async def _in_thread(self, function: Callable, *args: Any) -> Any:
        return await asyncio.get_running_loop().run_in_executor(None, function, *args)

    async def add_person_message(
        self, app: Sanic, sender: str, text: str, staff: str
    ) -> List[Dict[str, Any]]:
        """Adds what `staff` wrote to the tracker; the messages to send on."""
        agent = app.ctx.agent
        async with agent.lock_store.lock(sender):
            tracker = await agent.tracker_store.retrieve(sender)
            if tracker is None:
                raise LookupError(sender)
            tracker.update(BotUttered(text, metadata=person_metadata(staff)))
            await agent.tracker_store.save(tracker)
        return [{"text": text}]

    async def hand_back(self, app: Sanic, sender: str) -> List[Dict[str, Any]]:
        """Runs `utter_handover_back` in the conversation; the messages to send on."""
        agent = app.ctx.agent
        collector = CollectingOutputChannel()
        async with agent.lock_store.lock(sender):
            if await agent.tracker_store.retrieve(sender) is None:
                raise LookupError(sender)
            tracker = await agent.processor.execute_action(
                sender,
                BACK,
                collector,
                agent.nlg,
                PolicyPrediction.for_action_name(agent.domain, BACK),
            )
            # Then listen, as after any reply: the rules match the visitor's next
            # message only after an `action_listen` (without it, a core fallback).
            tracker.update(ActionExecuted(ACTION_LISTEN_NAME))
            await agent.tracker_store.save(tracker)
        return [
            {"text": m.get("text", "")} for m in collector.messages if m.get("text")
        ]

    async def deliver_to_wechat(
        self, app: Sanic, sender: str, messages: List[Dict[str, Any]]
    ) -> None:
        """Active mode: sends them now (passive: they go with the next reply)."""
        wechat = _channel(app, "wechat")
        if wechat is None or wechat.settings.mode != "active":
            return
        for message in messages:
            for piece in wechat_text.split(message["text"]):
                await wechat.api.send_text(sender, piece)
        # Sent: the next passive reply must not repeat them.
        await wechat.mark_person_messages_sent(sender)

    async def deliver_to_sockets(self, app: Sanic) -> None:
        """Emits to this server's widget sockets what staff wrote since last time."""
        webchat = _channel(app, "webchat")
        sio = getattr(webchat, "sio", None)
        if sio is None:
            return
        rooms = sio.manager.rooms.get("/", {})
        changed = await self._in_thread(self.store.changed_since, utcnow() - AFTERGLOW)
        self.open_senders = {h.sender_id for h in changed if h.is_open}
        for handover in changed:
            sender = handover.sender_id
            if self.seen_seq.get(sender) == handover.staff_seq:
                continue
            if not rooms.get(sender):
                continue  # no socket of this conversation here: another server's
            tracker = await app.ctx.agent.tracker_store.retrieve(sender)
            if tracker is None:
                continue
            after = max(
                self.delivered_until.get(sender, 0.0), handover.started_at.timestamp()
            )
            for event in messages_after(tracker.events, after):
                payload = {"text": event.text}
                if is_from_person(event):  # the widget labels it "Reception"
                    payload["from_person"] = True
                await sio.emit(webchat.bot_message_evt, payload, room=sender)
                after = max(after, event.timestamp)
            self.delivered_until[sender] = after
            self.seen_seq[sender] = handover.staff_seq

    async def visitor_typing(self, sender: str) -> None:
        """The widget says its visitor is typing: staff see it while they have them."""
        now = time.monotonic()
        if sender not in self.open_senders:
            return  # no hand-over: nobody to tell, nothing written
        if now - self.typing_recorded.get(sender, -TYPING_SECONDS) < TYPING_SECONDS:
            return
        self.typing_recorded[sender] = now
        try:
            await self._in_thread(self.store.visitor_typing, sender)
        except Exception as error:  # a nicety: never the visitor's problem
            logger.warning("Hand-over: typing not recorded (%s).", type(error).__name__)

    async def _keep_delivering(self, app: Sanic) -> None:
        failing = False
        while True:
            try:
                await self.deliver_to_sockets(app)
            except Exception as error:  # a store outage: next time
                if not failing:  # once per outage, not every second
                    logger.warning(
                        "Hand-over: delivery to the widget failed (%s); retrying.",
                        type(error).__name__,
                    )
                failing = True
            else:
                if failing:
                    logger.info("Hand-over: delivery to the widget works again.")
                failing = False
            await asyncio.sleep(POLL_SECONDS)

    def blueprint(
        self, on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> Blueprint:
        """Health at `/`, `message` and `end` for the console."""
        handover = GuardedBlueprint("handover_webhook", __name__)

        @handover.listener("after_server_start")
        async def start_delivering(app: Sanic, _: Any) -> None:
            webchat = _channel(app, "webchat")
            if webchat is not None:
                webchat.on_typing = self.visitor_typing
            app.add_task(self._keep_delivering(app))

        @handover.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok", "configured": bool(self.token)})

        async def checked(request: Request) -> Dict[str, str] | HTTPResponse:
            if not self._authorised(request):
                logger.warning("Hand-over: a call without the right token refused.")
                return response.json({"error": "unauthorized"}, status=401)
            body = request.json if isinstance(request.json, dict) else {}
            sender, staff = str(body.get("sender", "")), str(body.get("staff", ""))
            text = str(body.get("text", "")).strip()
            if not SENDER.match(sender) or not STAFF_NAME.match(staff):
                return response.json({"error": "bad_request"}, status=400)
            return {"sender": sender, "staff": staff, "text": text}

        async def delivered(
            request: Request, sender: str, messages: List[Dict[str, Any]]
        ) -> HTTPResponse:
            # After the tracker has them: servers polling the counter find them.
            await self._in_thread(self.store.staff_said, sender)
            handover = await self._in_thread(self.store.get, sender)
            if handover is not None and handover.channel == "wechat":
                try:
                    await self.deliver_to_wechat(request.app, sender, messages)
                except Exception:
                    logger.exception("Hand-over: the WeChat message was not sent.")
                    return response.json({"error": "not_sent"}, status=502)
            return response.json({"status": "ok", "messages": len(messages)})

        @handover.route("/message", methods=["POST"])
        async def message(request: Request) -> HTTPResponse:
            body = await checked(request)
            if isinstance(body, HTTPResponse):
                return body
            if not body["text"] or len(body["text"]) > MAX_TEXT:
                return response.json({"error": "bad_request"}, status=400)
            try:
                sent = await self.add_person_message(
                    request.app, body["sender"], body["text"], body["staff"]
                )
            except LookupError:
                return response.json({"error": "not_found"}, status=404)
            return await delivered(request, body["sender"], sent)

        @handover.route("/end", methods=["POST"])
        async def end(request: Request) -> HTTPResponse:
            body = await checked(request)
            if isinstance(body, HTTPResponse):
                return body
            try:
                sent = await self.hand_back(request.app, body["sender"])
            except LookupError:
                return response.json({"error": "not_found"}, status=404)
            return await delivered(request, body["sender"], sent)

        return handover


def _channel(app: Sanic, name: str) -> Any:
    for channel in getattr(app.ctx, "input_channels", None) or []:
        if channel.name() == name:
            return channel
    return None
