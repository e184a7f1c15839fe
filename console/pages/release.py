"""Check and release: train a candidate, see its verdict, put it live or roll back.

"Check changes" (editors and admins) starts editing/candidates.py's background check;
the page polls its progress (htmx) and then shows the verdict against the bar and the
live model. "Put live" and "Roll back" are for admins (editors get 403, audited); a
candidate below the bar is refused by editing/releases.py whatever the form says.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Callable

from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from console import audit
from console.web import client_address, render, requires
from editing.candidates import BusyError
from editing.releases import Released, previous_models, release, roll_back
from staff.evaluate import BAR
from staff.release import ReleaseRefusedError

blueprint = Blueprint("release")


def _context(request: Request, **extra) -> dict:
    app = request.app
    settings = app.ctx.editing
    live = settings.live_model
    check = app.ctx.checker.latest()
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
    name = str((request.form or {}).get("candidate") or "")
    return await _switch(request, audit.PUT_LIVE, "live", release, name)


@blueprint.post("/release/rollback")
@requires("release.live")
async def rollback(request: Request) -> HTTPResponse:
    """Puts the model that was live before back on every server."""
    return await _switch(request, audit.ROLLED_BACK, "rollback", roll_back)


async def _switch(
    request: Request, action: str, done: str, step: Callable[..., Released], *args: str
) -> HTTPResponse:
    # Put live or roll back, off the event loop (PUT /model takes seconds); a refusal
    # is shown and, like the switch itself, kept in the audit log.
    app = request.app
    user, address = request.ctx.user.name, client_address(request)
    try:
        released = await asyncio.get_running_loop().run_in_executor(
            None, step, app.ctx.editing, *args
        )
    except (ReleaseRefusedError, ValueError) as refused:
        app.ctx.audit.record(
            user, audit.PUT_LIVE_REFUSED, target=" ".join(args)[:100],
            detail=f"{action}: {refused}", address=address,
        )  # fmt: skip
        return render(
            request,
            "release.html",
            status=409,
            **_context(request, refused=str(refused)),
        )
    app.ctx.audit.record(
        user, action, target=released.model.name,
        detail=f"{len(released.servers)} server(s)", address=address,
    )  # fmt: skip
    return response.redirect(f"/release?done={done}", status=303)
