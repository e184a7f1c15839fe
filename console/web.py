"""What every page shares: rendering in the reader's language, role checks."""

from __future__ import annotations

from dataclasses import dataclass
from functools import wraps
from typing import Any, Awaitable, Callable
from urllib.parse import urlsplit

from sanic import response
from sanic.request import Request
from sanic.response import HTTPResponse

from console import audit
from console.accounts import allowed
from console.i18n import translator

Handler = Callable[..., Awaitable[HTTPResponse]]


@dataclass(frozen=True)
class User:
    """Who is signed in on this request."""

    name: str
    role: str
    csrf: str

    def can(self, permission: str) -> bool:
        """Whether this user's role may do `permission`."""
        return allowed(self.role, permission)


def client_address(request: Request) -> str:
    """The client's address (behind nginx: from X-Forwarded-For, CONSOLE_PROXIES)."""
    return request.remote_addr or request.ip or ""


def render(
    request: Request, template: str, status: int = 200, **context: Any
) -> HTTPResponse:
    """A page from templates/, in the reader's language, with the header's data."""
    app = request.app
    user: User | None = request.ctx.user
    new_count = (
        app.ctx.store.new_requests() if user and user.can("requests.view") else None
    )
    live_count = (
        sum(1 for h in app.ctx.handover.queue() if h.status == "waiting")
        if user and user.can("live.work")
        else None
    )
    html = app.ctx.templates.get_template(template).render(
        live_count=live_count,
        t=translator(request.ctx.lang),
        lang=request.ctx.lang,
        user=user,
        csrf=user.csrf if user else "",
        new_count=new_count,
        path=request.path,
        here=request.path
        + (f"?{request.query_string}" if request.query_string else ""),
        **context,
    )
    return response.html(html, status=status)


def forbidden(request: Request) -> HTTPResponse:
    """The 403 page; the refusal is in the audit log."""
    user: User | None = request.ctx.user
    request.app.ctx.audit.record(
        user.name if user else "-",
        audit.FORBIDDEN,
        target=f"{request.method} {request.path}",
        address=client_address(request),
    )
    return render(
        request, "error.html", status=403, title="forbidden", message="forbidden_text"
    )


def requires(permission: str) -> Callable[[Handler], Handler]:
    """Refuses the page or action (403) to a role without `permission`."""

    def decorate(handler: Handler) -> Handler:
        @wraps(handler)
        async def checked(request: Request, *args: Any, **kwargs: Any) -> HTTPResponse:
            user: User | None = request.ctx.user
            if user is None or not user.can(permission):
                return forbidden(request)
            return await handler(request, *args, **kwargs)

        return checked

    return decorate


def local_path(target: str | None, default: str = "/requests") -> str:
    """`target` if it is a path on this site, else `default` (no open redirects)."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or "\\" in target:
        return default
    return target


def flag(request: Request, name: str) -> bool:
    """Whether a checkbox filter is ticked in the query string."""
    return request.args.get(name) in ("1", "on", "true")
