"""A visitor's export and deletion (privacy/visitors.py): admins only, confirmed."""

from __future__ import annotations

import json

from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from actions.parsing import mask_phone
from console import audit
from console.app import refresh_index
from console.web import client_address, render, requires
from privacy.visitors import (
    Visitor,
    delete_visitor,
    describe,
    export_visitor,
    find_visitor,
    normalised_phone,
)

blueprint = Blueprint("privacy")
FIELDS = ("sender", "phone", "reference")


@blueprint.get("/privacy")
@requires("privacy.export")
async def form(request: Request) -> HTTPResponse:
    """Whose data: a conversation id, a phone number or a reference."""
    return render(request, "privacy.html", step="find", whose={}, found=None)


@blueprint.post("/privacy/find")
@requires("privacy.export")
async def find(request: Request) -> HTTPResponse:
    """What is kept under those details (masked), with export and delete buttons."""
    whose, visitor, problem = _visitor(request)
    if visitor is None:
        return _not_found(request, whose, problem)
    return render(
        request,
        "privacy.html",
        step="found",
        whose=whose,
        found=describe(visitor),
        empty=_empty(visitor),
    )


@blueprint.post("/privacy/export")
@requires("privacy.export")
async def export(request: Request) -> HTTPResponse:
    """Everything kept about the visitor, as a JSON download; recorded in the log."""
    whose, visitor, problem = _visitor(request)
    if visitor is None:
        return _not_found(request, whose, problem)
    data = export_visitor(visitor, request.app.ctx.tracker_url)
    request.app.ctx.audit.record(
        request.ctx.user.name,
        audit.EXPORT,
        target=_target(whose),
        detail="; ".join(describe(visitor)),
        address=client_address(request),
    )
    return response.raw(
        json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8"),
        content_type="application/json; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="visitor-data.json"'},
    )


@blueprint.post("/privacy/delete")
@requires("privacy.delete")
async def delete(request: Request) -> HTTPResponse:
    """First asks to confirm; with `confirm=yes`, deletes it all and says what."""
    app = request.app
    whose, visitor, problem = _visitor(request)
    if visitor is None:
        return _not_found(request, whose, problem)
    if (request.form or {}).get("confirm") != "yes":
        return render(
            request,
            "privacy.html",
            step="confirm",
            whose=whose,
            found=describe(visitor),
        )
    found = describe(visitor)
    deleted = delete_visitor(visitor, app.ctx.outbox, app.ctx.tracker_url)
    app.ctx.store.forget_requests([r.id for r in visitor.requests])
    await refresh_index(app)
    app.ctx.audit.record(
        request.ctx.user.name,
        audit.DELETE,
        target=_target(whose),
        detail=f"{deleted['requests']} request(s), {deleted['events']} events of "
        f"{deleted['conversations']} conversation(s); " + "; ".join(found),
        address=client_address(request),
    )
    return render(
        request,
        "privacy.html",
        step="deleted",
        whose={},
        found=found,
        deleted=deleted,
        sent=visitor.sent_requests,
    )


def _not_found(request: Request, whose: dict, problem: str) -> HTTPResponse:
    """The search form again, with the details given and what was wrong with them."""
    return render(
        request, "privacy.html", step="find", whose=whose, found=None, problem=problem
    )


def _visitor(request: Request) -> tuple[dict, Visitor | None, str]:
    form = request.form or {}
    whose = {name: str(form.get(name) or "").strip()[:200] for name in FIELDS}
    if not any(whose.values()):
        return whose, None, "say_whose"
    try:
        if whose["phone"]:
            normalised_phone(whose["phone"])
        visitor = find_visitor(
            request.app.ctx.outbox,
            request.app.ctx.tracker_url,
            sender=whose["sender"] or None,
            phone=whose["phone"] or None,
            reference=whose["reference"] or None,
        )
    except ValueError as error:
        return whose, None, str(error)
    return whose, visitor, ""


def _empty(visitor: Visitor) -> bool:
    return not visitor.requests and not visitor.conversation_ids


def _target(whose: dict) -> str:
    # The phone is masked even here: the audit log is not a copy of patients' data.
    parts = []
    if whose.get("sender"):
        parts.append(f"conversation {whose['sender']}")
    if whose.get("phone"):
        try:
            parts.append(f"phone {mask_phone(normalised_phone(whose['phone']))}")
        except ValueError:
            parts.append("phone ?")
    if whose.get("reference"):
        parts.append(f"reference {whose['reference']}")
    return ", ".join(parts)
