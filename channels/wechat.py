"""The WeChat Official Account (公众号) channel.

Registered in credentials.yml as `channels.wechat.WeChatInput`; Rasa serves it at
`/webhooks/wechat/` (health) and `/webhooks/wechat/webhook` (the URL configured in the
Official Account). wechatpy checks nothing here that must be constant-time, so the
signatures are computed with wechatpy's signer and compared with hmac.compare_digest;
wechatpy decrypts (checking the AppID), parses and renders replies. Every body is
parsed first by defusedxml, which refuses DTDs, so no XML entity is ever expanded.

Each message is answered exactly once: the first request for a MsgId (events:
FromUserName + CreateTime) claims it in the store and runs the Rasa turn; WeChat's
retries wait for that turn's reply and never start another, unless the turn's server
died and its claim (a lease the server renews) lapsed. A turn that fails because
the tracker or lock store is down stores nothing: its claim is released and WeChat gets
503, so WeChat's retry runs the turn again. See docs/wechat.md.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
import re
import secrets
import time
from dataclasses import dataclass, field
from typing import Any, Awaitable, Callable, Dict, List, Set, Text, Tuple
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring
from rasa.core.channels.channel import (
    CollectingOutputChannel,
    InputChannel,
    UserMessage,
)
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from wechatpy import parse_message
from wechatpy.crypto import PrpCrypto, WeChatCrypto
from wechatpy.exceptions import InvalidAppIdException
from wechatpy.replies import BaseReply, TextReply, TransferCustomerServiceReply
from wechatpy.utils import WeChatSigner

from actions.parsing import CLINICS
from channels import wechat_text
from channels.guard import message_guard
from channels.http_guard import GuardedBlueprint
from channels.replay import handle_once, is_message_id
from channels.wechat_api import WeChatAPI
from channels.wechat_store import POLL_SECONDS, MemoryStore, make_store
from handover.conversation import last_start, messages_after
from privacy.notice import notice_facts, wechat_notice_line
from stores.tracker_store import is_store_outage

logger = logging.getLogger(__name__)

# WeChat's messages are a few hundred bytes; nothing legitimate comes near this.
MAX_BODY_BYTES = 16 * 1024
# WeChat gives up on a request after 5 s and retries. A passive reply that is not ready
# within the budget is held past that moment and then answered 503 (so WeChat retries
# rather than taking an empty answer), and any request waiting when it is ready gets it.
PASSIVE_HOLD_SECONDS = 5.5
# Finished replies (and the claims of finished turns) outlive WeChat's retries (three,
# 5 s apart) by far.
DEDUPE_TTL_SECONDS = 3600
# A running turn's claim is a lease its server renews: if the server dies mid-turn
# (killed, out of memory), the claim lapses within this and WeChat's next try runs the
# turn (the tracker's MsgId check keeps it from running twice).
CLAIM_LEASE_SECONDS = 3.0
OPTIONS_TTL_SECONDS = 24 * 3600
# A turn that failed for a store outage: long enough for the retries then waiting.
UNAVAILABLE_TTL = 10
# How long a conversation remembers which of staff's messages went out already.
PERSON_SENT_TTL = 7 * 24 * 3600
HUMAN_HANDOFF = "human_handoff"

PHONES = "\n".join(
    f"{clinic.key.title()} {clinic.name_zh} {clinic.phone_in('en')}"
    for clinic in CLINICS.values()
)
WELCOME_INTRO = (
    "欢迎关注 Body & Soul 医疗诊所！我是诊所的助手，可以回答关于医疗按摩、推拿、针灸、"
    "拔罐等中医疗法和诊所地址的问题，也可以帮您预约或安排前台回电。直接发文字给我即可。\n\n"
    "Welcome to Body & Soul Medical Clinics! I can answer questions about medical "
    "massage, tuina, acupuncture, cupping and our other TCM therapies and where to "
    "find us, and take a booking or call-back request. Just send me a text message."
)
TEXT_ONLY = (
    "抱歉，我只能读懂文字消息，请用文字提问，或致电诊所。\n"
    "Sorry, I can only read text messages: please type your question, or call us.\n\n"
    + PHONES
)
SORRY = (
    "抱歉，系统暂时出了问题，请稍后再试或致电诊所。\n"
    "Sorry, something went wrong on our side: please try again later, or call us.\n\n"
    + PHONES
)


# OpenIDs are 28 URL-safe characters; anything much longer is not from WeChat and
# would not fit the tracker store's sender_id column (255 characters).
OPEN_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


class BadRequestError(Exception):
    """The body is not a WeChat message this channel can read (HTTP 400)."""


class ForbiddenError(Exception):
    """The request is not from WeChat, or not fresh (HTTP 403)."""


class NotReadyError(Exception):
    """The reply is not ready when the request must end: WeChat should try again."""


class StoreOutageError(Exception):
    """The turn failed because a store is down: HTTP 503, so WeChat retries."""


def parse_menu(value: Any) -> Dict[str, str]:
    """Reads the menu table: "BOOKING=book_appointment,HUMAN=human_handoff"."""
    if isinstance(value, dict):
        return {str(k): str(v) for k, v in value.items()}
    table = {}
    for item in str(value or "").replace(";", ",").split(","):
        if "=" in item:
            key, intent = item.split("=", 1)
            table[key.strip()] = intent.strip().lstrip("/")
    return table


def welcome_text(notice_line: str) -> str:
    """The reply to a new follower: what the assistant does, privacy, the phones."""
    return f"{WELCOME_INTRO}\n\n{notice_line}\n\n{PHONES}"


def _flag(value: Any) -> bool:
    return str(value or "").strip().lower() in {"1", "true", "yes", "on"}


def _number(value: Any, default: float) -> float:
    return float(value) if str(value or "").strip() else default


def guarded_xml(data: bytes | str) -> Element:
    """Parses a WeChat XML document, refusing DTDs (so entities are never expanded)."""
    try:
        root = fromstring(data, forbid_dtd=True)
    except (ParseError, DefusedXmlException, ValueError) as error:
        raise BadRequestError(f"unreadable XML: {type(error).__name__}") from error
    if root.tag != "xml":
        raise BadRequestError("not a WeChat message")
    return root


@dataclass
class WeChatSettings:
    """The channel's settings (credentials.yml, from WECHAT_* environment variables)."""

    token: str = ""
    app_id: str = ""
    app_secret: str = ""
    encoding_aes_key: str = ""
    mode: str = "passive"
    api_base: str = "https://api.weixin.qq.com"
    reply_budget_seconds: float = 4.0
    timestamp_window: float = 300.0
    redis_url: str = ""
    menu: Dict[str, str] = field(default_factory=dict)
    transfer_to_human: bool = False

    @classmethod
    def from_credentials(cls, credentials: Dict[Text, Any]) -> WeChatSettings:
        """Reads the settings; empty values mean the defaults."""
        defaults = cls()
        text = {k: str(v or "").strip() for k, v in credentials.items()}
        settings = cls(
            token=text.get("token", ""),
            app_id=text.get("app_id", ""),
            app_secret=text.get("app_secret", ""),
            encoding_aes_key=text.get("encoding_aes_key", ""),
            mode=(text.get("mode") or defaults.mode).lower(),
            api_base=text.get("api_base") or defaults.api_base,
            reply_budget_seconds=_number(
                text.get("reply_budget_seconds"), defaults.reply_budget_seconds
            ),
            timestamp_window=_number(
                text.get("timestamp_window"), defaults.timestamp_window
            ),
            redis_url=text.get("redis_url", ""),
            menu=parse_menu(credentials.get("menu")),
            transfer_to_human=_flag(credentials.get("transfer_to_human")),
        )
        settings.check()
        return settings

    def check(self) -> None:
        """Fails at start-up on settings that cannot work."""
        if not self.token:
            return  # not configured: the channel answers 503
        if self.mode not in {"passive", "active"}:
            raise ValueError(
                f"WECHAT_MODE must be passive or active, not {self.mode!r}"
            )
        if self.mode == "active" and not (self.app_id and self.app_secret):
            raise ValueError("WECHAT_MODE=active needs WECHAT_APP_ID and _APP_SECRET")
        if self.encoding_aes_key and (
            len(self.encoding_aes_key) != 43 or not self.app_id
        ):
            raise ValueError(
                "WECHAT_ENCODING_AES_KEY needs 43 characters, and WECHAT_APP_ID"
            )


class WeChatInput(InputChannel):
    """WeChat Official Account messages: verified, decrypted, answered exactly once."""

    @classmethod
    def name(cls) -> Text:
        """The channel's name (`input_channel` of its messages)."""
        return "wechat"

    @classmethod
    def from_credentials(cls, credentials: Dict[Text, Any] | None) -> InputChannel:
        """Creates the channel from its credentials.yml entry."""
        if credentials is None:
            cls.raise_missing_credentials_exception()
        return cls(WeChatSettings.from_credentials(credentials))

    def __init__(self, settings: WeChatSettings) -> None:
        """Creates the channel; the store and API client are made on first use."""
        self.settings = settings
        self.crypto = (
            WeChatCrypto(settings.token, settings.encoding_aes_key, settings.app_id)
            if settings.encoding_aes_key
            else None
        )
        self._store: MemoryStore | None = None
        self._api: WeChatAPI | None = None
        self._tasks: Set[asyncio.Task] = set()
        # The privacy line names CONVERSATION_RETENTION_DAYS: read once, at start-up.
        self.welcome = welcome_text(wechat_notice_line(notice_facts()))
        if not settings.token:
            logger.info("WeChat channel not configured (WECHAT_TOKEN is empty).")

    # The store's Redis connection pool belongs to the server's event loop, so it is
    # made inside a request rather than when Rasa reads the credentials.
    @property
    def store(self) -> MemoryStore:
        """The dedupe/options/token store (Redis when WECHAT_REDIS_URL is set)."""
        if self._store is None:
            self._store = make_store(self.settings.redis_url)
        return self._store

    @property
    def api(self) -> WeChatAPI:
        """The customer-service API client (active mode)."""
        if self._api is None:
            s = self.settings
            self._api = WeChatAPI(s.api_base, s.app_id, s.app_secret, self.store)
        return self._api

    # -- checks ------------------------------------------------------------------

    def _is_signed(self, signature: str, *parts: str) -> bool:
        signer = WeChatSigner()
        signer.add_data(self.settings.token, *parts)
        return hmac.compare_digest(signer.signature.encode(), signature.encode())

    def _is_fresh(self, timestamp: str) -> bool:
        try:
            sent = int(timestamp)
        except ValueError:
            return False
        return abs(time.time() - sent) <= self.settings.timestamp_window

    def _check_request(self, request: Request) -> None:
        args = request.args
        timestamp, nonce = args.get("timestamp", ""), args.get("nonce", "")
        if not self._is_signed(args.get("signature", ""), timestamp, nonce):
            raise ForbiddenError("bad signature")
        if not self._is_fresh(timestamp):
            raise ForbiddenError("stale or missing timestamp")

    def _decrypt(self, request: Request, envelope: Element) -> str:
        if self.crypto is None:
            raise BadRequestError(
                "encrypted message, but no EncodingAESKey is configured"
            )
        encrypted = envelope.findtext("Encrypt") or ""
        args = request.args
        if not self._is_signed(
            args.get("msg_signature", ""),
            args.get("timestamp", ""),
            args.get("nonce", ""),
            encrypted,
        ):
            raise ForbiddenError("bad msg_signature")
        try:
            return PrpCrypto(self.crypto.key).decrypt(encrypted, self.settings.app_id)
        except InvalidAppIdException as error:
            raise ForbiddenError("message for another AppID") from error
        except Exception as error:  # bad base64, padding or length: not WeChat's
            raise BadRequestError("undecryptable message") from error

    # -- answering ---------------------------------------------------------------

    async def _turn(
        self,
        on_new_message: Callable[[UserMessage], Awaitable[Any]],
        agent: Any,
        open_id: str,
        text: str,
        key: str,
    ) -> Dict[str, Any]:
        """Runs one Rasa turn and stores its reply for WeChat's retries."""
        try:
            options = await self.store.get(f"options:{open_id}") or []
            text = wechat_text.pick(text, options)
            if text.startswith("/") and "{" not in text:
                text += await self._language_entity(agent, open_id)
            if self.settings.transfer_to_human and await self._wants_human(agent, text):
                result: Dict[str, Any] = {"transfer": True}
            else:
                collector = CollectingOutputChannel()
                message = UserMessage(
                    text,
                    collector,
                    open_id,
                    input_channel=self.name(),
                    # WeChat users are mostly Chinese-speaking: messages without
                    # words (menu clicks, "/intent") are answered in Chinese.
                    metadata={"language": "zh"},
                    # The tracker itself knows the MsgId: a retry whose claim was
                    # lost (Redis restarted) gets the recorded reply, not a 2nd turn.
                    message_id=key if is_message_id(key) else None,
                )
                replayed = None
                if message.message_id and agent is not None:
                    replayed = await handle_once(agent, message)
                else:
                    await on_new_message(message)
                messages = replayed or collector.messages
                if self.settings.mode != "active":
                    # Passive: what staff wrote since the last reply goes with it.
                    messages = [*await self._person_messages(agent, open_id), *messages]
                plain, options = wechat_text.collect(messages)
                linked, _ = wechat_text.collect(messages, links=True)
                await self.store.put(f"options:{open_id}", options, OPTIONS_TTL_SECONDS)
                result = {"text": plain, "linked": linked}
        except Exception as error:
            if is_store_outage(error):
                # Nothing was stored: the message is not marked as handled, so
                # WeChat's retry (after our 503) runs the turn again.
                logger.error("WeChat message not processed: a store is unavailable.")
                await self.store.release(f"claim:{key}")
                unavailable = {"unavailable": True, "text": SORRY, "linked": SORRY}
                # Retries already waiting for this turn hear of it too.
                await self.store.put(f"reply:{key}", unavailable, UNAVAILABLE_TTL)
                return unavailable
            logger.exception("The WeChat turn failed.")
            result = {"text": SORRY, "linked": SORRY}
        await self.store.put(f"reply:{key}", result, DEDUPE_TTL_SECONDS)
        # Done: the lease becomes a mark that lasts as long as the reply.
        await self.store.put(f"claim:{key}", "done", DEDUPE_TTL_SECONDS)
        return result

    async def _language_entity(self, agent: Any, open_id: str) -> str:
        # A menu click has no words to detect a language in, and Rasa does not run the
        # NLU pipeline (nor its language hint) on "/intent" messages: a conversation
        # that has no language yet is started in Chinese.
        tracker = await agent.tracker_store.retrieve(open_id)
        if tracker is not None and tracker.get_slot("language"):
            return ""
        return '{"language": "zh"}'

    async def _person_messages(self, agent: Any, open_id: str) -> List[Dict[str, Any]]:
        # Staff's messages of the current hand-over not yet sent (channels/handover.py
        # adds them to the tracker; passive accounts can only answer a message).
        store = getattr(agent, "tracker_store", None)
        tracker = await store.retrieve(open_id) if store is not None else None
        if tracker is None:
            return []
        sent = float(await self.store.get(f"person_sent:{open_id}") or 0.0)
        pending = messages_after(tracker.events, max(sent, last_start(tracker.events)))
        if pending:
            await self.mark_person_messages_sent(open_id, pending[-1].timestamp)
        return [{"text": event.text} for event in pending]

    async def mark_person_messages_sent(
        self, open_id: str, until: float | None = None
    ) -> None:
        """Staff's messages up to `until` (default now) reached the visitor."""
        await self.store.put(
            f"person_sent:{open_id}", until or time.time(), PERSON_SENT_TTL
        )

    async def _wants_human(self, agent: Any, text: str) -> bool:
        if text.startswith("/"):
            return text.lstrip("/").split("{")[0] == HUMAN_HANDOFF
        parsed = await agent.parse_message(text)
        return (parsed.get("intent") or {}).get("name") == HUMAN_HANDOFF

    async def _keep_claim(self, key: str, holder: str) -> None:
        # Renews the running turn's lease until the turn ends (and cancels this).
        while True:
            await asyncio.sleep(CLAIM_LEASE_SECONDS / 3)
            try:
                kept = await self.store.renew(
                    f"claim:{key}", holder, CLAIM_LEASE_SECONDS
                )
            except Exception:  # Redis away for a moment: try again next time
                logger.debug("Could not renew a WeChat claim; trying again.")
                continue
            if not kept:
                return  # released (a store outage) or marked done

    async def _take_or_wait(
        self, key: str, seconds: float
    ) -> Tuple[str | None, Dict[str, Any] | None]:
        """Claims the message, or waits for another request's reply to it.

        (holder, None) when this request now runs the turn; (None, reply) when another
        did; (None, None) when neither happened within `seconds`. A claim whose server
        died lapses (CLAIM_LEASE_SECONDS), and a retry waiting for its reply then
        takes it over.
        """
        deadline = time.monotonic() + seconds
        holder = secrets.token_hex(8)
        while True:
            if await self.store.claim(f"claim:{key}", CLAIM_LEASE_SECONDS, holder):
                return holder, None
            reply = await self.store.get(f"reply:{key}")
            if reply is not None or time.monotonic() >= deadline:
                return None, reply
            await asyncio.sleep(POLL_SECONDS)

    def _spawn(self, coroutine: Awaitable[Any]) -> asyncio.Task:
        task = asyncio.ensure_future(coroutine)
        self._tasks.add(task)  # keep a reference until it is done
        task.add_done_callback(self._tasks.discard)
        return task

    async def _claim_delivery(self, key: str) -> bool:
        # Active mode: the reply goes out once, passively or through the API.
        if self.settings.mode != "active":
            return True
        return await self.store.claim(f"delivered:{key}", DEDUPE_TTL_SECONDS)

    async def _deliver_by_api(self, open_id: str, key: str, result: Dict) -> None:
        if not await self._claim_delivery(key):
            return
        text = result.get("linked") or result.get("text") or ""
        if result.get("transfer"):
            # Transfers are passive replies only; say where the user can get a person.
            text = TEXT_ONLY.split("\n\n", 1)[1]
        if not text.strip():
            return  # the assistant was silent: a person has the conversation
        try:
            for piece in wechat_text.split(text):
                await self.api.send_text(open_id, piece)
        except Exception:
            logger.exception("Could not send the WeChat customer-service message.")

    async def _conversation_reply(
        self,
        request: Request,
        on_new_message: Callable[[UserMessage], Awaitable[Any]],
        message: Any,
        text: str,
        key: str,
    ) -> BaseReply | None:
        open_id = message.source
        active = self.settings.mode == "active"
        budget = self.settings.reply_budget_seconds
        wait = budget if active else max(budget, PASSIVE_HOLD_SECONDS)
        started = time.monotonic()
        # A retry (or a duplicate) never starts a second turn: it gets the first one's
        # reply, unless that turn's server died and its claim lapsed.
        holder, result = await self._take_or_wait(key, wait)
        if holder is not None:
            agent = request.app.ctx.agent
            turn = self._spawn(self._turn(on_new_message, agent, open_id, text, key))
            keeper = self._spawn(self._keep_claim(key, holder))
            turn.add_done_callback(lambda _: keeper.cancel())
            left = max(0.0, wait - (time.monotonic() - started))
            try:
                result = await asyncio.wait_for(asyncio.shield(turn), left)
            except asyncio.TimeoutError:
                if active:
                    turn.add_done_callback(
                        lambda done: self._spawn(
                            self._deliver_by_api(open_id, key, done.result())
                        )
                    )
                    return None
                raise NotReadyError from None
        elif result is None:
            if active:
                return None  # the turn's server sends the reply through the API
            raise NotReadyError
        if result.get("unavailable"):
            raise StoreOutageError
        if result.get("transfer"):
            if await self._claim_delivery(key):
                return TransferCustomerServiceReply(message=message)
            return None
        if not (result.get("text") or "").strip():
            # Silent while a person has the conversation: WeChat's empty answer.
            await self._claim_delivery(key)
            return None
        pieces = wechat_text.split(result.get("text") or "")
        if active and len(pieces) > 1:
            # One passive reply cannot hold it: everything through the API, in order.
            self._spawn(self._deliver_by_api(open_id, key, result))
            return None
        if not await self._claim_delivery(key):
            return None
        if len(pieces) > 1:
            logger.warning("Passive mode: a %d-part reply was cut to one.", len(pieces))
        return TextReply(content=pieces[0], message=message)

    async def _reply(
        self,
        request: Request,
        on_new_message: Callable[[UserMessage], Awaitable[Any]],
        xml: str,
    ) -> BaseReply | None:
        try:
            message = parse_message(xml)
        except Exception as error:
            raise BadRequestError("not a WeChat message") from error
        if not OPEN_ID.match(message.source or ""):
            raise BadRequestError("not a WeChat OpenID")
        kind = message.type
        if kind == "text":
            text = message.content or ""
        elif kind == "voice" and (getattr(message, "recognition", None) or "").strip():
            text = message.recognition
        elif kind == "event":
            event = message.event
            if event in {"subscribe", "subscribe_scan"}:
                return TextReply(content=self.welcome, message=message)
            if event == "click":
                intent = self.settings.menu.get(message.key or "")
                if not intent:
                    return TextReply(content=self.welcome, message=message)
                text = f"/{intent}"
            else:
                return None  # unsubscribe, menu links, location reports, ...
        else:
            return TextReply(content=TEXT_ONLY, message=message)
        if kind != "event":
            # What the user typed (not a menu click): length, rate and "/..." checks.
            guard = message_guard()
            guard.learn_domain(request.app.ctx.agent)
            verdict = await guard.check(message.source, text)
            if verdict.notice:
                return TextReply(content=verdict.notice, message=message)
            text = verdict.text
        if kind == "event":
            key = f"{message.source}:event:{message._data.get('CreateTime', '')}"
        else:
            key = f"{message.source}:{message.id}"
        return await self._conversation_reply(
            request, on_new_message, message, text, key
        )

    def blueprint(
        self, on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> Blueprint:
        """Health at `/`, WeChat's URL verification (GET) and messages (POST)."""
        wechat_webhook = GuardedBlueprint("wechat_webhook", __name__)

        @wechat_webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json(
                {"status": "ok", "configured": bool(self.settings.token)}
            )

        @wechat_webhook.route("/webhook", methods=["GET"])
        async def verify(request: Request) -> HTTPResponse:
            if not self.settings.token:
                return response.text("WeChat is not configured.", status=503)
            try:
                self._check_request(request)
            except ForbiddenError as error:
                logger.warning("WeChat URL verification refused: %s", error)
                return response.text("forbidden", status=403)
            return response.text(request.args.get("echostr", ""))

        @wechat_webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            if not self.settings.token:
                return response.text("WeChat is not configured.", status=503)
            if len(request.body or b"") > MAX_BODY_BYTES:
                return response.text("too large", status=413)
            try:
                self._check_request(request)
                envelope = guarded_xml(request.body)
                aes = request.args.get("encrypt_type") == "aes"
                if aes:
                    xml = self._decrypt(request, envelope)
                    guarded_xml(xml.encode("utf-8"))
                else:
                    xml = request.body.decode("utf-8")
                reply = await self._reply(request, on_new_message, xml)
            except ForbiddenError as error:
                logger.warning("WeChat request refused: %s", error)
                return response.text("forbidden", status=403)
            except (BadRequestError, UnicodeDecodeError) as error:
                logger.warning("Unreadable WeChat request: %s", error)
                return response.text("bad request", status=400)
            except StoreOutageError:
                return response.text("unavailable", status=503)
            except NotReadyError:
                # Passive: WeChat gave up on this request already (5 s); its retry
                # gets the reply. `success` would tell it the message was answered.
                return response.text("not ready", status=503)
            except Exception as error:
                if not is_store_outage(error):
                    raise
                # WeChat's own store (Redis) is down: nothing was claimed or run, and
                # WeChat's retry may find it back.
                logger.error("WeChat message not processed: its store is down.")
                return response.text("unavailable", status=503)
            if reply is None:
                return response.text("success")
            xml = reply.render()
            if aes and self.crypto is not None:
                xml = self.crypto.encrypt_message(xml, request.args.get("nonce", ""))
            return response.text(xml, content_type="application/xml")

        return wechat_webhook
