"""Check and release: train a candidate, see its verdict, put it live or roll back.

"Check changes" (editors and admins) starts editing/candidates.py's background check;
the page polls its progress (htmx) and then shows the verdict against the bar and the
live model. "Put live" and "Roll back" are for admins (editors get 403, audited); a
candidate below the bar is refused by editing/releases.py whatever the form says.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from console import audit
from console.web import client_address, render, requires
from editing.candidates import BusyError
from editing.releases import previous_models, release, roll_back
from staff.evaluate import BAR
from staff.release import ReleaseRefusedError

blueprint = Blueprint("release")


def _context(request: Request, **extra) -> dict:
    app = request.app
    settings = app.ctx.editing
    live = settings.live_model
    check = app.ctx.checker.current
    return {
        "check": check,
        "candidate": Path(check.candidate).name if check and check.candidate else "",
        "live_changed": live.stat().st_mtime if live.exists() else None,
        "previous": len(previous_models(settings)),
        "servers": settings.servers,
        "bar": BAR,
        **extra,
    }


@blueprint.get("/release")
@requires("release.check")
async def page(request: Request) -> HTTPResponse:
    """The check's state or verdict, and the release buttons."""
    return render(
        request, "release.html", **_context(request, done=request.args.get("done"))
    )


@blueprint.get("/release/status")
@requires("release.check")
async def status(request: Request) -> HTTPResponse:
    """The progress bar or the verdict (htmx polls this while a check runs)."""
    return render(request, "release_status.html", **_context(request))


@blueprint.post("/release/check")
@requires("release.check")
async def start_check(request: Request) -> HTTPResponse:
    """Starts training a candidate from the data as it is now."""
    app = request.app
    user = request.ctx.user.name
    try:
        head = await asyncio.get_running_loop().run_in_executor(
            None, app.ctx.history.head
        )
        app.ctx.checker.start(user, head)
    except BusyError:
        return response.redirect("/release?done=busy", status=303)
    app.ctx.audit.record(
        user, audit.CHECK_STARTED, detail=head[:10], address=client_address(request)
    )
    return response.redirect("/release", status=303)


@blueprint.post("/release/live")
@requires("release.live")
async def put_live(request: Request) -> HTTPResponse:
    """Puts the checked candidate live on every server (refused below the bar)."""
    app = request.app
    user = request.ctx.user.name
    name = str((request.form or {}).get("candidate") or "")
    try:
        released = await asyncio.get_running_loop().run_in_executor(
            None, release, app.ctx.editing, name
        )
    except (ReleaseRefusedError, ValueError) as refused:
        app.ctx.audit.record(
            user, audit.PUT_LIVE_REFUSED, target=name[:100], detail=str(refused),
            address=client_address(request),
        )  # fmt: skip
        return render(
            request,
            "release.html",
            status=409,
            **_context(request, refused=str(refused)),
        )
    app.ctx.audit.record(
        user, audit.PUT_LIVE, target=released.model.name,
        detail=f"{len(released.servers)} server(s)", address=client_address(request),
    )  # fmt: skip
    return response.redirect("/release?done=live", status=303)


@blueprint.post("/release/rollback")
@requires("release.live")
async def rollback(request: Request) -> HTTPResponse:
    """Puts the model that was live before back on every server."""
    app = request.app
    user = request.ctx.user.name
    try:
        released = await asyncio.get_running_loop().run_in_executor(
            None, roll_back, app.ctx.editing
        )
    except ReleaseRefusedError as refused:
        return render(
            request,
            "release.html",
            status=409,
            **_context(request, refused=str(refused)),
        )
    app.ctx.audit.record(
        user, audit.ROLLED_BACK, target=released.model.name,
        detail=f"{len(released.servers)} server(s)", address=client_address(request),
    )  # fmt: skip
    return response.redirect("/release?done=rollback", status=303)
