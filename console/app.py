"""The console's Sanic app: stores, sessions, CSRF and role checks, headers, pages."""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from urllib.parse import quote

from jinja2 import Environment, FileSystemLoader, select_autoescape
from sanic import Sanic, response
from sanic.exceptions import NotFound
from sanic.request import Request
from sanic.response import HTTPResponse

from booking.outbox import Outbox
from booking.settings import BookingSettings
from booking.staff import shanghai_time
from console.accounts import Throttle
from console.audit import AuditLog
from console.conversation_index import ConversationIndex
from console.db import ConsoleStore
from console.i18n import LANGUAGE_COOKIE, choose
from console.sessions import (
    CSRF_FIELD,
    CSRF_HEADER,
    SESSION_COOKIE,
    Sessions,
    csrf_matches,
)
from console.settings import ConsoleSettings
from console.web import User, render
from editing.candidates import Checker
from editing.history import History
from editing.settings import editing_settings
from handover.settings import handover_settings
from handover.store import HandoverStore

logger = logging.getLogger(__name__)

HERE = Path(__file__).resolve().parent
HTMX = HERE / "static" / "dist" / "htmx.min.js"
# Pages anyone may load: the sign-in form, the language switch, assets, health.
PUBLIC = ("/login", "/lang/", "/static/", "/health", "/favicon.ico")
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
INDEX_REFRESH_SECONDS = 5.0

# No inline script or style anywhere (htmx's own indicator style is turned off in the
# layout), so the policy needs no 'unsafe-inline'.
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
        "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
        "base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}


def create_app(
    settings: ConsoleSettings,
    booking: BookingSettings,
    tracker_url: str | None,
    name: str = "console",
) -> Sanic:
    """The console on the outbox's database and the tracker store at `tracker_url`."""
    from console.pages import (
        admin,
        answers,
        auth,
        conversations,
        dashboard,
        history,
        live,
        missed,
        privacy,
        release,
        requests,
    )

    app = Sanic(name)
    app.config.PROXIES_COUNT = settings.proxies or None
    app.config.REAL_IP_HEADER = "x-forwarded-for" if settings.proxies else None
    app.config.REQUEST_MAX_SIZE = 1_000_000
    app.ctx.settings = settings
    app.ctx.booking = booking
    app.ctx.tracker_url = tracker_url
    app.ctx.outbox = Outbox(booking.outbox)
    app.ctx.store = ConsoleStore(app.ctx.outbox)
    app.ctx.audit = AuditLog(app.ctx.store)
    app.ctx.sessions = Sessions(
        app.ctx.store, settings.secret_key, timedelta(minutes=settings.idle_minutes)
    )
    app.ctx.throttle = Throttle()
    app.ctx.index = ConversationIndex(tracker_url) if tracker_url else None
    app.ctx.handover = HandoverStore(app.ctx.outbox)
    app.ctx.handover_settings = handover_settings()
    # Answers, questions to review, check and release, history (editing/).
    app.ctx.editing = editing_settings()
    app.ctx.history = History(app.ctx.editing.project, app.ctx.editing.email_domain)
    app.ctx.checker = Checker(app.ctx.editing)
    app.ctx.templates = Environment(
        loader=FileSystemLoader(HERE / "templates"),
        autoescape=select_autoescape(["html", "svg"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    app.ctx.templates.filters["shanghai"] = shanghai_time
    app.ctx.templates.filters["shanghai_ts"] = lambda seconds: shanghai_time(
        datetime.fromtimestamp(seconds, timezone.utc)
    )
    if not HTMX.exists():
        logger.warning("%s is missing: run `make console-assets`.", HTMX)
    app.static("/static", str(HERE / "static"), name="static")
    for module in (
        auth, requests, conversations, dashboard, admin, privacy, live,
        answers, missed, release, history,
    ):  # fmt: skip
        app.blueprint(module.blueprint)

    @app.get("/health")
    async def health(request: Request) -> HTTPResponse:
        return response.json({"status": "ok"})

    @app.get("/")
    async def home(request: Request) -> HTTPResponse:
        return response.redirect("/requests", status=303)

    @app.on_request
    async def identify(request: Request) -> HTTPResponse | None:
        request.ctx.lang = choose(
            request.cookies.get(LANGUAGE_COOKIE),
            request.headers.get("accept-language"),
        )
        request.ctx.user = None
        if request.path.startswith(PUBLIC):
            return None
        session = app.ctx.sessions.current(request.cookies.get(SESSION_COOKIE))
        account = app.ctx.store.account(session.name) if session else None
        if session is None or account is None:
            return _to_login(request, expired=bool(request.cookies.get(SESSION_COOKIE)))
        request.ctx.user = User(account.name, account.role, session.csrf)
        request.ctx.session = session
        if request.method not in SAFE_METHODS:
            submitted = request.headers.get(CSRF_HEADER) or (
                request.form.get(CSRF_FIELD) if request.form else None
            )
            if not csrf_matches(session.csrf, submitted):
                return render(
                    request,
                    "error.html",
                    status=403,
                    title="forbidden",
                    message="csrf_failed",
                )
        return None

    @app.on_response
    async def secure(request: Request, reply: HTTPResponse) -> None:
        for header, value in SECURITY_HEADERS.items():
            reply.headers.setdefault(header, value)
        if settings.behind_tls:
            reply.headers.setdefault(
                "Strict-Transport-Security", "max-age=31536000; includeSubDomains"
            )
        if not request.path.startswith("/static/"):
            # Pages hold patients' details: not kept by the browser or a proxy.
            reply.headers.setdefault("Cache-Control", "no-store")

    @app.exception(NotFound)
    async def not_found(request: Request, exception: Exception) -> HTTPResponse:
        if not hasattr(request.ctx, "lang"):
            request.ctx.lang, request.ctx.user = "en", None
        return render(
            request, "error.html", status=404, title="not_found", message="not_found"
        )

    @app.after_server_start
    async def start_indexing(app: Sanic, loop: Any) -> None:
        # The data folder's history starts with the data as found (git init if new).
        await asyncio.get_running_loop().run_in_executor(None, app.ctx.history.ensure)
        if app.ctx.index is not None:
            app.add_task(_keep_index_fresh(app))
        app.add_task(_end_idle_handovers(app))

    @app.before_server_stop
    async def close(app: Sanic, loop: Any) -> None:
        app.ctx.outbox.close()
        if app.ctx.index is not None:
            app.ctx.index.close()

    return app


async def refresh_index(app: Sanic) -> None:
    """Brings the conversation index up to date, off the event loop."""
    if app.ctx.index is not None:
        await asyncio.get_running_loop().run_in_executor(None, app.ctx.index.refresh)


async def _keep_index_fresh(app: Sanic) -> None:
    # The first run indexes what is already stored (seconds for 10,000
    # conversations); later runs take what arrived since, so pages rarely wait.
    while True:
        try:
            await refresh_index(app)
        except Exception as error:  # a store outage: try again next time
            # Only the error's kind: a database error's text can quote the row's
            # values, and those are visitors' messages.
            logger.warning(
                "Console: the conversation index could not be refreshed (%s).",
                type(error).__name__,
            )
        await asyncio.sleep(INDEX_REFRESH_SECONDS)


async def _end_idle_handovers(app: Sanic) -> None:
    # Conversations nobody wrote in for HANDOVER_IDLE_MINUTES go back to the
    # assistant (each once, whichever console process gets there first).
    from console.pages.live import end_idle

    while True:
        try:
            await end_idle(app)
        except Exception as error:  # a store outage: try again next time
            logger.warning(
                "Console: idle hand-overs not checked (%s).", type(error).__name__
            )
        await asyncio.sleep(INDEX_REFRESH_SECONDS)


def _to_login(request: Request, expired: bool) -> HTTPResponse:
    target = "/login?next=" + quote(request.path, safe="/")
    if expired:
        target += "&expired=1"
    if request.headers.get("hx-request"):
        # htmx follows this header with a full page load, not a swap.
        return response.empty(status=401, headers={"HX-Redirect": target})
    return response.redirect(target, status=303)
