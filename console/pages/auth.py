"""Signing in and out, and the language switch."""

from __future__ import annotations

from datetime import timedelta

from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from console import audit
from console.accounts import sign_in
from console.i18n import LANGUAGE_COOKIE, LANGUAGES
from console.sessions import CSRF_FIELD, LOGIN_CSRF_COOKIE, SESSION_COOKIE
from console.web import client_address, local_path, render

blueprint = Blueprint("auth")


@blueprint.get("/login")
async def login_form(request: Request) -> HTTPResponse:
    """The sign-in form, with a fresh CSRF token in its own cookie."""
    message = "session_expired" if request.args.get("expired") else ""
    return _form(request, message, status=200)


@blueprint.post("/login")
async def login(request: Request) -> HTTPResponse:
    """Checks the name and password; starts a session or says why not."""
    app = request.app
    settings = app.ctx.settings
    address = client_address(request)
    form = request.form or {}
    if not app.ctx.sessions.login_token_ok(
        request.cookies.get(LOGIN_CSRF_COOKIE), form.get(CSRF_FIELD)
    ):
        return render(
            request, "error.html", status=403, title="forbidden", message="csrf_failed"
        )
    if app.ctx.throttle.blocked(address):
        return _form(request, "throttled", status=429)
    name = str(form.get("name") or "")
    result = sign_in(
        app.ctx.store,
        name,
        str(form.get("password") or ""),
        settings.lockout_failures,
        timedelta(minutes=settings.lockout_minutes),
    )
    if result.role is None:
        app.ctx.throttle.failed(address)
        app.ctx.audit.record(
            result.name or "-",
            audit.SIGN_IN_FAILED,
            detail=result.refused or "",
            address=address,
        )
        if result.just_locked:
            app.ctx.audit.record(
                result.name,
                audit.SIGN_IN_LOCKED,
                address=address,
                detail=f"{settings.lockout_minutes} min",
            )
        message = "locked" if result.refused == "locked" else "wrong_password"
        return _form(request, message, status=403 if message == "locked" else 401)
    started = app.ctx.sessions.start(result.name)
    app.ctx.audit.record(result.name, audit.SIGN_IN, address=address)
    reply = response.redirect(local_path(request.args.get("next")), status=303)
    _set_cookie(request, reply, SESSION_COOKIE, started.cookie)
    del reply.cookies[LOGIN_CSRF_COOKIE]
    return reply


@blueprint.post("/logout")
async def logout(request: Request) -> HTTPResponse:
    """Ends the session (the CSRF check has already run)."""
    request.app.ctx.sessions.end(request.ctx.session)
    # Signed out: no longer counted as online for hand-overs.
    request.app.ctx.handover.gone(request.ctx.user.name)
    request.app.ctx.audit.record(
        request.ctx.user.name, audit.SIGN_OUT, address=client_address(request)
    )
    reply = response.redirect("/login", status=303)
    del reply.cookies[SESSION_COOKIE]
    return reply


@blueprint.get("/lang/<language>")
async def switch_language(request: Request, language: str) -> HTTPResponse:
    """Remembers the chosen language (a year) and goes back to the page."""
    reply = response.redirect(local_path(request.args.get("next")), status=303)
    if language in LANGUAGES:
        _set_cookie(request, reply, LANGUAGE_COOKIE, language, max_age=365 * 86400)
    return reply


def _form(request: Request, message: str, status: int) -> HTTPResponse:
    cookie, token = request.app.ctx.sessions.login_token(
        request.cookies.get(LOGIN_CSRF_COOKIE)
    )
    reply = render(
        request,
        "login.html",
        status=status,
        message=message,
        login_csrf=token,
        next=local_path(request.args.get("next")),
    )
    _set_cookie(request, reply, LOGIN_CSRF_COOKIE, cookie)
    return reply


def _set_cookie(
    request: Request,
    reply: HTTPResponse,
    name: str,
    value: str,
    max_age: int | None = None,
) -> None:
    reply.cookies[name] = value
    cookie = reply.cookies[name]
    cookie["path"] = "/"
    cookie["httponly"] = True
    cookie["samesite"] = "Strict"
    if request.app.ctx.settings.behind_tls:
        cookie["secure"] = True
    if max_age is not None:
        cookie["max-age"] = max_age
