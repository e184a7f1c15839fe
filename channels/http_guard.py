"""HTTP-level protection of the Rasa server, installed on the whole Sanic app.

Rasa gives channels no hook on the app itself, so `GuardedBlueprint` (the REST
channel's blueprint, channels/rest.py) installs it when Rasa registers the blueprint:

- request bodies on the public routes over GUARD_MAX_BODY_BYTES: 413 with JSON;
- per-IP rate limit (GUARD_IP_RATE; shared through GUARD_REDIS_URL when set) on the
  REST webhook and socket.io: 429 with JSON
  (WeChat's requests all come from WeChat's servers and are signed: not counted);
- every route that is not public (the HTTP API: /status, /model, /conversations, ...)
  needs RASA_AUTH_TOKEN (`?token=`, as Rasa reads it), checked here as well as
  by Rasa, and refused when the variable is unset, so the API is never open even if
  the server was started with --enable-api but without --auth-token;
- errors answer generic JSON; the traceback goes to the log, never to the visitor.

Behind a proxy, set SANIC_PROXIES_COUNT=1 (Sanic then takes the client's address from
X-Forwarded-For); otherwise every visitor would share the proxy's address.
"""

from __future__ import annotations

import hmac
import json
import logging
import os
from typing import Any

from sanic import Blueprint, Sanic, response
from sanic.exceptions import SanicException, ServiceUnavailable
from sanic.request import Request
from sanic.response import HTTPResponse

from channels.guard import GuardSettings, language_of, rate_limiter, slow_down_notice

logger = logging.getLogger(__name__)

PUBLIC_PREFIXES = ("/webhooks/", "/webchat", "/socket.io")
# Routes counted by the per-IP limit (the visitors' own traffic).
RATE_LIMITED_PREFIXES = ("/webhooks/rest/", "/socket.io")
# Open without a token: the root and the version, as Rasa has them, and the health
# check load balancers call (channels/health.py).
OPEN_ROUTES = {"/", "/version", "/health"}

GENERIC_ERROR = {
    "error": "internal_error",
    "message": "Sorry, something went wrong on our side. Please try again later.",
}


def is_public(path: str) -> bool:
    """True for the routes visitors use (channels, widget)."""
    return path.startswith(PUBLIC_PREFIXES)


def _client_ip(request: Request) -> str:
    # remote_addr honours SANIC_PROXIES_COUNT / REAL_IP_HEADER; ip is the socket's.
    return request.remote_addr or request.ip or "unknown"


def _message_language(request: Request) -> str:
    try:
        body = json.loads(request.body or b"{}")
        return language_of(str(body.get("message") or ""))
    except (ValueError, AttributeError):
        return "en"


def _provided_token(request: Request) -> str:
    # Rasa's own check reads `?token=` (an Authorization header is taken for a JWT).
    return request.args.get("token", "") or ""


class HttpGuard:
    """The request middleware and error handler (one per server process)."""

    def __init__(self, settings: GuardSettings | None = None) -> None:
        """Reads the settings (environment) and RASA_AUTH_TOKEN."""
        self.settings = settings or GuardSettings.from_env()
        self.ips = rate_limiter(
            self.settings, self.settings.ip_rate, "clinic:guard:ip:"
        )
        self.api_token = os.environ.get("RASA_AUTH_TOKEN", "")

    def install(self, app: Sanic) -> None:
        """Adds the middleware and error handler to the app (once)."""
        if getattr(app.ctx, "http_guard", None) is not None:
            return
        app.ctx.http_guard = self
        app.register_middleware(self.on_request, "request")
        app.error_handler.add(Exception, self.on_error)
        if not self.api_token:
            logger.warning(
                "RASA_AUTH_TOKEN is not set: the HTTP API routes answer 401."
            )

    async def on_request(self, request: Request) -> HTTPResponse | None:
        """Refuses oversized, too frequent and unauthenticated requests."""
        path = request.path
        if is_public(path):
            return await self._check_public(request, path)
        if path in OPEN_ROUTES or request.method == "OPTIONS":
            return None
        provided = _provided_token(request)
        if not self.api_token or not hmac.compare_digest(
            provided.encode(), self.api_token.encode()
        ):
            return response.json(
                {"error": "unauthorized", "message": "This route needs a token."},
                status=401,
            )
        return None

    async def _check_public(self, request: Request, path: str) -> HTTPResponse | None:
        limit = self.settings.max_body_bytes
        declared = request.headers.get("content-length", "0")
        size = max(int(declared) if declared.isdigit() else 0, len(request.body or b""))
        if size > limit:
            return response.json(
                {
                    "error": "payload_too_large",
                    "message": f"The request body is over {limit} bytes.",
                },
                status=413,
            )
        if path.startswith(RATE_LIMITED_PREFIXES) and not await self.ips.hit(
            _client_ip(request)
        ):
            logger.warning("Rate limit: too many requests from one address.")
            return response.json(
                {
                    "error": "rate_limited",
                    "message": slow_down_notice(_message_language(request)),
                },
                status=429,
                headers={"Retry-After": str(int(self.settings.ip_rate[1]))},
            )
        return None

    async def on_error(self, request: Request, exception: Exception) -> HTTPResponse:
        """Generic JSON for every error; details only in the log."""
        if isinstance(exception, SanicException):
            status = getattr(exception, "status_code", 500) or 500
            if status < 500:
                body = {"error": type(exception).__name__, "status": status}
                return response.json(body, status=status)
        if isinstance(exception, ServiceUnavailable) and str(exception) == "Cancelled":
            # Sanic cancels a handler whose client went away (a widget's WebSocket
            # closed, a page left): nothing failed on our side.
            logger.info("Client went away: %s", request.path if request else "?")
            return response.json(GENERIC_ERROR, status=503)
        logger.error(
            "Error answering %s %s",
            request.method if request else "?",
            request.path if request else "?",
            exc_info=exception,
        )
        return response.json(GENERIC_ERROR, status=500)


class GuardedBlueprint(Blueprint):
    """A blueprint that installs the HttpGuard on the app it is registered with."""

    def register(self, app: Sanic, options: Any) -> Any:
        """Registers the routes and installs the guard on the whole app."""
        HttpGuard().install(app)
        return super().register(app, options)
