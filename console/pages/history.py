"""History: every change to the training data, who made it and when, and undo.

The changes are editing/history.py's git commits in the data folder; a change is shown
as a diff and undone with a revert committed as the signed-in account, after which the
data is checked as `make validate` checks it.
"""

from __future__ import annotations

import asyncio
from typing import List, Tuple

from sanic import Blueprint, response
from sanic.exceptions import NotFound
from sanic.request import Request
from sanic.response import HTTPResponse

from console import audit
from console.web import client_address, render, requires
from editing.history import HistoryError
from staff.checks import run_checks

blueprint = Blueprint("history")


def diff_lines(diff: str) -> List[Tuple[str, str]]:
    """The diff's lines with a class each: add, del, at (hunk or file) or ''."""
    lines = []
    for line in diff.splitlines():
        if line.startswith(("+++", "---", "diff ", "index ", "@@")):
            kind = "at"
        elif line.startswith("+"):
            kind = "add"
        elif line.startswith("-"):
            kind = "del"
        else:
            kind = ""
        lines.append((kind, line))
    return lines


@blueprint.get("/history")
@requires("answers.edit")
async def listing(request: Request) -> HTTPResponse:
    """The latest changes, newest first."""
    changes = await asyncio.get_running_loop().run_in_executor(
        None, request.app.ctx.history.changes
    )
    return render(request, "history.html", changes=changes)


@blueprint.get("/history/<commit>")
@requires("answers.edit")
async def change(request: Request, commit: str) -> HTTPResponse:
    """One change as a readable diff, with an Undo button."""
    history = request.app.ctx.history
    try:
        found = history.change(commit)
        diff = history.diff(found.commit)
    except HistoryError:
        raise NotFound("no such change") from None
    return render(
        request,
        "change.html",
        change=found,
        lines=diff_lines(diff),
        problems=request.args.get("problems"),
    )


@blueprint.post("/history/<commit>/undo")
@requires("answers.edit")
async def undo(request: Request, commit: str) -> HTTPResponse:
    """Reverts the change as the signed-in account, then checks the data."""
    app = request.app
    user = request.ctx.user.name
    loop = asyncio.get_running_loop()
    try:
        new = await loop.run_in_executor(None, app.ctx.history.undo, commit, user)
    except HistoryError as error:
        return render(
            request, "error.html", status=409, title="undo_failed", message=str(error)
        )
    app.ctx.audit.record(
        user, audit.CHANGE_UNDONE, target=commit[:10], detail=new[:10],
        address=client_address(request),
    )  # fmt: skip
    # A check is likely soon: measure the live model now, not beside its training.
    await asyncio.get_running_loop().run_in_executor(None, app.ctx.checker.prepare)
    problems = await loop.run_in_executor(None, run_checks, app.ctx.editing.project)
    errors = sum(p.level == "error" for p in problems)
    return response.redirect(
        f"/history/{new}" + (f"?problems={errors}" if errors else ""), status=303
    )
