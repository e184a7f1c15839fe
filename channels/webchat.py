"""The website chat widget's channel: Rasa's socket.io channel plus the widget's files.

Registered in credentials.yml as `channels.webchat.WebchatInput`. Rasa mounts the
blueprint at urljoin("/webhooks/", url_prefix()) = "/webchat", so the Rasa server
itself serves

- `/webchat/`           a demo page that embeds the widget the way a clinic's page does,
- `/webchat/widget.js`  the widget (built by `make webchat` into webchat/dist/),
- `/webchat/privacy`    the privacy notice (privacy/notice.py), linked from the widget,
- `/webchat/health`     {"status": "ok"},

and socket.io at `/socket.io`, as rasa's `socketio` channel does (this channel replaces
it: two socket.io servers cannot share the path).

A visitor's message (`user_uttered`) carries the widget's `message_id`; the widget
asks for an acknowledgement and sends a message again, with the same id, when its
socket dropped before the acknowledgement came. The id is looked for under the
conversation's lock (channels/replay.py, as on REST): a repeat is not a second turn,
and its recorded replies go to the socket that repeated it, marked `replayed`. Each
reply names the message it answers (`reply_to`), so the widget can leave out replies
it has already shown. The acknowledgement says what became of the message: `ok`,
`unavailable` (a store is down: nothing was kept, the visitor was told), `refused`
(empty, too long, too many: the visitor was told why) or `error`.
"""

from __future__ import annotations

import hashlib
import html
import logging
import re
import secrets
from collections import Counter
from pathlib import Path
from typing import Any, Awaitable, Callable, Dict, List, Text

from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.core.channels.socketio import SocketBlueprint, SocketIOInput, SocketIOOutput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from socketio import AsyncServer
from socketio.exceptions import ConnectionRefusedError as SocketRefused

from channels.guard import (
    GENERIC_SORRY,
    GuardSettings,
    language_of,
    unavailable_notice,
)
from channels.http_guard import HttpGuard
from channels.replay import BAD_MESSAGE_ID, handle_once, is_message_id
from channels.rest import Refusal, guarded_handler
from privacy.notice import notice_facts, notice_language, render_notice_page
from stores.tracker_store import is_store_outage

logger = logging.getLogger(__name__)

WEBCHAT_DIR = Path(__file__).resolve().parents[1] / "webchat"
DEMO_PAGE = WEBCHAT_DIR / "demo.html"
WIDGET_BUNDLE = WEBCHAT_DIR / "dist" / "widget.js"

# Pages on these origins may connect when no origins are configured: the demo page
# served here, and anything on this machine.
LOCAL_ORIGIN = re.compile(r"^https?://(localhost|127\.0\.0\.1|\[::1\])(:\d{1,5})?$")
# Conversation ids are 128 random bits in hex (the widget makes them); anything else
# gets a fresh id, so nobody joins a conversation by guessing a short one.
SESSION_ID = re.compile(r"^[0-9a-f]{32}$")
# The widget's URL does not change with its content, so browsers keep it only briefly
# and then revalidate it with its ETag.
WIDGET_CACHE_CONTROL = "public, max-age=300"
DEMO_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; "
    "frame-ancestors 'none'"
)
# The privacy notice is text: no script, no connection, nothing from elsewhere.
NOTICE_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; "
    "form-action 'none'; frame-ancestors 'none'"
)
# The widget's source says 90 days here (webchat/widget.js, RETENTION_DAYS); the route
# writes the configured CONVERSATION_RETENTION_DAYS in its place, so the one-line
# notice says what the tracker store does.
RETENTION_MARK = b"/* CONVERSATION_RETENTION_DAYS */ 90"


def parse_origins(value: Any) -> List[str]:
    """Returns the origins in a comma- or space-separated string (or a list)."""
    if isinstance(value, (list, tuple)):
        items = [str(item) for item in value]
    else:
        items = re.split(r"[,\s]+", str(value or ""))
    return [item.strip().rstrip("/") for item in items if item.strip()]


def origin_checker(origins: List[str]) -> Callable[[str | None], bool]:
    """Returns the socket.io origin check: listed origins, or loopback by default."""
    allowed = set(origins)

    def is_allowed(origin: str | None) -> bool:
        if not origin:
            return True  # not a browser (no Origin header): nothing to protect against
        if "*" in allowed:
            return True
        if allowed:
            return origin in allowed
        return bool(LOCAL_ORIGIN.match(origin))

    return is_allowed


def _is_session_id(value: Any) -> bool:
    return isinstance(value, str) and SESSION_ID.match(value) is not None


def _etag(content: bytes) -> str:
    return '"' + hashlib.sha256(content).hexdigest()[:32] + '"'


def _file_response(
    request: Request, content: bytes, content_type: str, headers: Dict[str, str]
) -> HTTPResponse:
    tag = _etag(content)
    headers = {**headers, "ETag": tag, "X-Content-Type-Options": "nosniff"}
    if request.headers.get("if-none-match") == tag:
        return response.empty(status=304, headers=headers)
    return response.raw(content, content_type=content_type, headers=headers)


def with_retention_days(bundle: bytes, days: int) -> bytes:
    """The widget with `days` in its notice (unchanged if it has no mark)."""
    return bundle.replace(
        RETENTION_MARK, RETENTION_MARK.replace(b" 90", b" " + str(days).encode())
    )


def _request_origin(request: Request) -> str:
    # Host comes from the request: keep it only if it looks like a host[:port].
    host = request.host if re.match(r"^[\w.\-\[\]:]+$", request.host or "") else ""
    return f"{request.scheme}://{host or 'localhost'}"


def _socket_ip(environ: Dict) -> str:
    # The Sanic request behind the handshake knows the client's address (and honours
    # SANIC_PROXIES_COUNT behind nginx); the WSGI-style REMOTE_ADDR is a placeholder.
    request = environ.get("sanic.request")
    return getattr(request, "remote_addr", "") or getattr(request, "ip", "") or "?"


class SocketCounter:
    """Open socket.io connections per client address, at most `limit` each (0: any)."""

    def __init__(self, limit: int) -> None:
        """Starts with no connections."""
        self.limit = limit
        self._address_of: Dict[str, str] = {}
        self._open: Counter[str] = Counter()

    def open(self, sid: str, address: str) -> bool:
        """Counts a new connection; False (not counted) when its address is full."""
        if self.limit and self._open[address] >= self.limit:
            return False
        self._address_of[sid] = address
        self._open[address] += 1
        return True

    def close(self, sid: str) -> None:
        """Forgets a closed connection."""
        address = self._address_of.pop(sid, None)
        if address is not None:
            self._open[address] -= 1
            if self._open[address] <= 0:
                del self._open[address]


class GuardedSocketBlueprint(SocketBlueprint):
    """Rasa's socket.io blueprint that also installs the app-wide HTTP checks."""

    def register(self, app: Any, options: Any) -> None:
        """Installs channels/http_guard.py on the app, then attaches socket.io."""
        HttpGuard().install(app)
        # The socket.io handlers reach the agent through it (app.ctx.agent).
        self.ctx.app = app
        super().register(app, options)


class WebchatOutput(SocketIOOutput):
    """Rasa's socket.io output; each reply names the message it answers."""

    def __init__(self, sio: AsyncServer, bot_message_evt: Text, reply_to: str) -> None:
        """Replies go to the conversation's room, tagged with `reply_to`."""
        super().__init__(sio, bot_message_evt)
        self.reply_to = reply_to

    async def _send_message(self, socket_id: Text, response: Any) -> None:
        if self.reply_to and isinstance(response, dict):
            response = {**response, "reply_to": self.reply_to}
        await super()._send_message(socket_id, response)


def acknowledgement(status: str, message_id: str | None, why: str = "") -> Dict:
    """What the widget's `user_uttered` acknowledgement carries."""
    ack: Dict[str, Any] = {"status": status, "message_id": message_id}
    if why:
        ack["message"] = why
    return ack


class WebchatInput(SocketIOInput):
    """Rasa's socket.io channel, with allowed origins, and the widget's files."""

    @classmethod
    def name(cls) -> Text:
        """The channel's name (`input_channel` of its messages)."""
        return "webchat"

    @classmethod
    def from_credentials(cls, credentials: Dict[Text, Any] | None) -> InputChannel:
        """Creates the channel from its credentials.yml entry."""
        if credentials is None:
            cls.raise_missing_credentials_exception()
        return cls(
            user_message_evt=credentials.get("user_message_evt", "user_uttered"),
            bot_message_evt=credentials.get("bot_message_evt", "bot_uttered"),
            socketio_path=credentials.get("socketio_path", "/socket.io"),
            allowed_origins=parse_origins(credentials.get("allowed_origins")),
        )

    def __init__(
        self,
        user_message_evt: Text = "user_uttered",
        bot_message_evt: Text = "bot_uttered",
        socketio_path: Text = "/socket.io",
        allowed_origins: List[str] | None = None,
    ) -> None:
        """Creates the channel; conversations always persist across reconnections."""
        super().__init__(
            user_message_evt=user_message_evt,
            bot_message_evt=bot_message_evt,
            session_persistence=True,
            socketio_path=socketio_path,
        )
        self.allowed_origins = allowed_origins or []
        # Set by channels/handover.py: told when a visitor types (`user_typing`).
        self.on_typing: Callable[[str], Awaitable[None]] | None = None

    def url_prefix(self) -> Text:
        """Serves the blueprint at /webchat rather than /webhooks/webchat."""
        return "/webchat"

    def blueprint(
        self, on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> Blueprint:
        """The widget's files and health route; socket.io at socketio_path."""

        async def once(message: UserMessage) -> List[Dict] | None:
            # A message with an id is processed once (channels/replay.py); a repeat
            # returns the replies recorded for it.
            app = getattr(webchat.ctx, "app", None)
            agent = getattr(getattr(app, "ctx", None), "agent", None)
            if message.message_id and agent is not None:
                return await handle_once(agent, message)
            await on_new_message(message)
            return None

        # Length, per-sender rate and "/..." checks (channels/guard.py).
        process = guarded_handler(once)
        # The origin check applies to the WebSocket handshake too, where browsers do no
        # CORS checks of their own (rasa's socketio channel turns it off).
        sio = AsyncServer(
            async_mode="sanic",
            cors_allowed_origins=origin_checker(self.allowed_origins),
        )
        self.sio = sio
        webchat = GuardedSocketBlueprint(sio, self.socketio_path, "webchat", __name__)
        # Read once, at start-up: a bad CONVERSATION_RETENTION_DAYS stops the server
        # with its message rather than breaking the notice later.
        facts = notice_facts()
        notice_pages = {
            lang: render_notice_page(lang, facts).encode("utf-8")
            for lang in ("en", "zh")
        }

        @webchat.route("/health", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webchat.route("/", methods=["GET", "HEAD"])
        async def demo(request: Request) -> HTTPResponse:
            # /webchat/?lang=zh: the page (and the widget's greeting) in Chinese.
            lang = "zh-CN" if request.args.get("lang") == "zh" else "en"
            page = (
                DEMO_PAGE.read_text(encoding="utf-8")
                .replace(
                    "{{ORIGIN}}", html.escape(_request_origin(request), quote=True)
                )
                .replace("{{LANG}}", lang)
            )
            headers = {
                "Cache-Control": "no-cache",
                "Content-Security-Policy": DEMO_CSP,
                "Referrer-Policy": "no-referrer",
            }
            return _file_response(
                request, page.encode("utf-8"), "text/html; charset=utf-8", headers
            )

        @webchat.route("/widget.js", methods=["GET", "HEAD"])
        async def widget(request: Request) -> HTTPResponse:
            if not WIDGET_BUNDLE.exists():
                return response.text(
                    "The widget is not built: run `make webchat`.", status=503
                )
            bundle = with_retention_days(
                WIDGET_BUNDLE.read_bytes(), facts.conversation_days
            )
            headers = {"Cache-Control": WIDGET_CACHE_CONTROL}
            return _file_response(
                request, bundle, "text/javascript; charset=utf-8", headers
            )

        @webchat.route("/privacy", methods=["GET", "HEAD"])
        async def privacy(request: Request) -> HTTPResponse:
            # ?lang=zh (the widget's link in Chinese), else the browser's language.
            lang = notice_language(
                request.args.get("lang"), request.headers.get("accept-language")
            )
            headers = {
                "Cache-Control": "no-cache",
                "Content-Security-Policy": NOTICE_CSP,
                "Referrer-Policy": "no-referrer",
                "Content-Language": "zh-CN" if lang == "zh" else "en",
                "Vary": "Accept-Language",
            }
            return _file_response(
                request, notice_pages[lang], "text/html; charset=utf-8", headers
            )

        sockets = SocketCounter(GuardSettings.from_env().sockets_per_ip)

        @sio.on("connect")
        async def connect(sid: Text, environ: Dict, auth: Dict | None) -> bool:
            if not sockets.open(sid, _socket_ip(environ)):
                logger.warning("Webchat: too many open connections from one address.")
                raise SocketRefused("too_many_connections")
            logger.debug(f"Webchat client {sid} connected.")
            return True

        @sio.on("disconnect")
        async def disconnect(sid: Text) -> None:
            sockets.close(sid)

        @sio.on("session_request")
        async def session_request(sid: Text, data: Dict | None) -> None:
            session_id = (data or {}).get("session_id")
            if not _is_session_id(session_id):
                session_id = secrets.token_hex(16)
            # Every socket of one conversation (tabs, reloads) shares its room, so the
            # replies reach whichever page is open.
            # (rasa 3.6's socketio channel calls this coroutine without awaiting it.)
            await sio.enter_room(sid, session_id)
            await sio.emit("session_confirm", session_id, room=sid)

        @sio.on("user_typing")
        async def user_typing(sid: Text, data: Dict | None) -> None:
            # Staff answering this conversation see it (console's Live queue).
            session_id = data.get("session_id") if isinstance(data, dict) else None
            if not _is_session_id(session_id) or session_id not in sio.rooms(sid):
                return
            if self.on_typing is not None:
                await self.on_typing(session_id)

        @sio.on(self.user_message_evt)
        async def handle_message(sid: Text, data: Dict) -> Dict | None:
            # Only the conversation this socket asked for (session_request): a socket
            # cannot talk into another conversation by naming it.
            session_id = data.get("session_id") if isinstance(data, dict) else None
            if not _is_session_id(session_id) or session_id not in sio.rooms(sid):
                logger.warning("Webchat message without a confirmed session ignored.")
                return acknowledgement("refused", None, "No confirmed session.")
            message_id = data.get("message_id")
            if message_id is not None and not is_message_id(message_id):
                return acknowledgement("refused", None, BAD_MESSAGE_ID)
            metadata = data.get("metadata")
            metadata = metadata if isinstance(metadata, dict) else {}
            text = data.get("message")
            text = text if isinstance(text, str) else ""
            output = WebchatOutput(sio, self.bot_message_evt, message_id or "")
            message = UserMessage(
                text,
                output,
                session_id,
                input_channel=self.name(),
                metadata=metadata,
                message_id=message_id,
            )
            try:
                replayed = await process(message)
            except Exception as error:
                # The visitor is told, rather than left waiting for a reply.
                if is_store_outage(error):
                    logger.error("Webchat message not processed: a store is down.")
                    notice = unavailable_notice(
                        language_of(text, metadata.get("language"))
                    )
                    status = "unavailable"
                else:
                    logger.exception("Webchat message failed.")
                    notice, status = GENERIC_SORRY, "error"
                await output.send_text_message(session_id, notice)
                return acknowledgement(status, message_id)
            if isinstance(replayed, Refusal):  # the visitor was told why
                return acknowledgement("refused", message_id, replayed.reason)
            for reply in replayed or []:
                # Only to this socket: the conversation's other sockets had them.
                reply = {k: v for k, v in reply.items() if k != "recipient_id"}
                reply.update(reply_to=message_id, replayed=True)
                await sio.emit(self.bot_message_evt, reply, room=sid)
            return acknowledgement("ok", message_id)

        return webchat
