"""The admin page: the accounts and the audit log."""

from __future__ import annotations

from sanic import Blueprint
from sanic.request import Request
from sanic.response import HTTPResponse

from console.web import render, requires

blueprint = Blueprint("admin")
PAGE_SIZE = 100


@blueprint.get("/audit")
@requires("audit.view")
async def audit_log(request: Request) -> HTTPResponse:
    """Every account (role, locked or not) and the audit log, newest first."""
    store = request.app.ctx.store
    try:
        page = max(1, int(request.args.get("page") or 1))
    except ValueError:
        page = 1
    entries = request.app.ctx.audit.entries(PAGE_SIZE + 1, (page - 1) * PAGE_SIZE)
    return render(
        request,
        "audit.html",
        accounts=store.accounts(),
        entries=entries[:PAGE_SIZE],
        page=page,
        more=len(entries) > PAGE_SIZE,
    )
