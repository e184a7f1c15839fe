"""The requests page: the outbox's booking and call-back requests, for reception."""

from __future__ import annotations

from datetime import datetime, timezone

from sanic import Blueprint, Sanic, response
from sanic.exceptions import NotFound
from sanic.request import Request
from sanic.response import HTTPResponse

from actions.parsing import CLINICS
from booking.outbox import FAILED
from booking.outbox import Request as OutboxRequest
from console import audit, workflow
from console.web import client_address, render, requires

blueprint = Blueprint("requests")
PAGE_SIZE = 50
KINDS = ("booking", "callback")
DELIVERIES = ("pending", "waiting", "delivered", "failed")


@blueprint.get("/requests")
@requires("requests.view")
async def listing(request: Request) -> HTTPResponse:
    """Newest first, filtered by clinic, kind, status and delivery, 50 a page."""
    app = request.app
    user = request.ctx.user
    personal = user.can("personal_data")
    workflows = app.ctx.store.workflows()
    configured = bool(app.ctx.booking.webhook_url)
    filters = {
        name: request.args.get(name, "")
        for name in ("clinic", "kind", "status", "delivery")
    }
    shown = workflow.matching(
        app.ctx.outbox.requests(), workflows, configured, **filters
    )
    pages = max(1, -(-len(shown) // PAGE_SIZE))
    page = min(max(1, _int(request.args.get("page"), 1)), pages)
    # Only the page's rows are formatted (phone numbers are slow to format).
    visible = [
        workflow.row(r, workflows.get(r.id), personal, configured, request.ctx.lang)
        for r in shown[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    ]
    if personal and visible:
        app.ctx.audit.record(
            user.name,
            audit.VIEW_REQUESTS,
            detail=f"{len(visible)} shown; "
            + ", ".join(f"{k}={v}" for k, v in filters.items() if v),
            address=client_address(request),
        )
    template = (
        "requests_table.html" if request.headers.get("hx-request") else "requests.html"
    )
    return render(
        request,
        template,
        rows=visible,
        total=len(shown),
        page=page,
        pages=pages,
        filters=filters,
        clinics=list(CLINICS),
        kinds=KINDS,
        statuses=workflow.STATUSES,
        deliveries=DELIVERIES,
        personal=personal,
    )


@blueprint.get("/requests/<request_id:int>")
@requires("requests.view")
async def detail(request: Request, request_id: int) -> HTTPResponse:
    """One request: details, delivery state, status history, and the moves allowed."""
    app = request.app
    user = request.ctx.user
    found = _find(app, request_id)
    personal = user.can("personal_data")
    shown = workflow.row(
        found,
        app.ctx.store.workflows().get(found.id),
        personal,
        bool(app.ctx.booking.webhook_url),
        request.ctx.lang,
    )
    if personal:
        app.ctx.audit.record(
            user.name,
            audit.VIEW_REQUEST,
            target=found.reference,
            address=client_address(request),
        )
    history = app.ctx.store.history(found.id) if personal else []
    return render(
        request,
        "request.html",
        r=shown,
        history=history,
        moves=workflow.MOVES.get(shown.status, ()),
        personal=personal,
        message=request.args.get("message", ""),
    )


@blueprint.post("/requests/<request_id:int>/status")
@requires("requests.work")
async def change_status(request: Request, request_id: int) -> HTTPResponse:
    """Moves the request on (or saves a note), if no one else moved it meanwhile."""
    app = request.app
    found = _find(app, request_id)
    form = request.form or {}
    from_status = str(form.get("from") or "")
    to_status = str(form.get("to") or from_status)
    note = str(form.get("note") or "").strip()[: workflow.MAX_NOTE]
    if from_status not in workflow.STATUSES or not workflow.can_move(
        from_status, to_status
    ):
        return response.text("That status change is not allowed.", status=400)
    changed = app.ctx.store.change_status(
        found.id, from_status, to_status, request.ctx.user.name, note
    )
    if changed:
        app.ctx.audit.record(
            request.ctx.user.name,
            audit.STATUS_CHANGE if to_status != from_status else audit.NOTE,
            target=found.reference,
            # The note itself may hold patients' details: only that there was one.
            detail=f"{from_status} -> {to_status}" + (" with a note" if note else ""),
            address=client_address(request),
        )
    message = "" if changed else "?message=changed_elsewhere"
    return response.redirect(f"/requests/{found.id}{message}", status=303)


@blueprint.post("/requests/<request_id:int>/retry")
@requires("requests.work")
async def retry(request: Request, request_id: int) -> HTTPResponse:
    """Puts a failed request back in the relay's queue (Outbox.requeue)."""
    app = request.app
    found = _find(app, request_id)
    if found.status == FAILED and app.ctx.outbox.requeue(
        found.id, datetime.now(timezone.utc)
    ):
        app.ctx.audit.record(
            request.ctx.user.name,
            audit.RETRY,
            target=found.reference,
            address=client_address(request),
        )
        return response.redirect(f"/requests/{found.id}?message=retried", status=303)
    return response.redirect(f"/requests/{found.id}", status=303)


def _find(app: Sanic, request_id: int) -> OutboxRequest:
    reference = app.ctx.store.reference_of(request_id)
    found = [r for r in app.ctx.outbox.find(reference or "") if r.id == request_id]
    if not found:
        raise NotFound("No such request.")
    return found[0]


def _int(text: str | None, default: int) -> int:
    try:
        return int(text or default)
    except ValueError:
        return default
