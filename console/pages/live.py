"""The Live queue: visitors who asked for a person, each taken by one member of staff.

A member of reception (or an admin) with this page open counts as online
(handover/store.py, `staff_presence`), so the assistant offers a hand-over instead of
the phone numbers (components/handover_policy.py). The queue refreshes every few
seconds (htmx) and static/live.js sounds and shows an alert when a new visitor waits.
One person claims a conversation; the others see who has it. Replies, canned replies
and the hand-back go to a Rasa server (channels/handover.py), which writes them into
the conversation's tracker and delivers them: nothing anyone says is kept here.
"""

from __future__ import annotations

import json
import logging
from datetime import datetime, timedelta, timezone
from typing import Any, Dict, List

import aiohttp
from sanic import Blueprint, Sanic, response
from sanic.exceptions import NotFound
from sanic.request import Request
from sanic.response import HTTPResponse

from actions.parsing import CLINICS
from console import audit
from console.pages.conversations import transcript_lines
from console.web import client_address, render, requires
from handover.store import Handover
from privacy.consent import consent_record
from stores.conversations import sender_events

logger = logging.getLogger(__name__)

blueprint = Blueprint("live")
RASA_TIMEOUT_SECONDS = 10
# "The visitor is typing" while the widget said so this recently (it says so every
# 2 s while they type).
TYPING_SHOWN = timedelta(seconds=5)
# Ended hand-overs are forgotten after a day: the conversation id is all they hold,
# and the tracker keeps the conversation itself (with its retention and erasure).
FORGET_ENDED_AFTER = timedelta(days=1)
BOOKING_SLOTS = ("service", "clinic", "preferred_time", "visitor_name", "phone", "note")


def canned_replies(language: str) -> Dict[str, str]:
    """The replies staff send with one click, in the visitor's language."""
    zh = language == "zh"
    addresses = "\n".join(
        f"{c.name_zh}：{c.address_zh}" if zh else f"{c.name_en}: {c.address_en}"
        for c in CLINICS.values()
    )
    phones = "\n".join(
        f"{c.name_zh}：{c.phone_in('zh')}" if zh else f"{c.name_en}: {c.phone}"
        for c in CLINICS.values()
    )
    return {"addresses": addresses, "phones": phones}


async def call_rasa(app: Sanic, route: str, body: Dict[str, Any]) -> bool:
    """POSTs to the Rasa server's hand-over channel; True when it was done."""
    settings = app.ctx.handover_settings
    url = f"{settings.rasa_url}/webhooks/handover/{route}"
    headers = {"Authorization": f"Bearer {settings.token}"}
    try:
        timeout = aiohttp.ClientTimeout(total=RASA_TIMEOUT_SECONDS)
        async with (
            aiohttp.ClientSession(timeout=timeout) as session,
            session.post(url, json=body, headers=headers) as reply,
        ):
            if reply.status == 200:
                return True
            logger.warning("Live: the Rasa server answered %d.", reply.status)
    except (aiohttp.ClientError, TimeoutError) as error:
        logger.warning("Live: the Rasa server unreachable (%s).", type(error).__name__)
    return False


async def end_idle(app: Sanic) -> int:
    """Hands back every conversation idle for HANDOVER_IDLE_MINUTES; how many."""
    store = app.ctx.handover
    idle = timedelta(minutes=app.ctx.handover_settings.idle_minutes)
    now = datetime.now(timezone.utc)
    store.forget_ended(now - FORGET_ENDED_AFTER)
    ended = 0
    for handover in store.idle(now - idle):
        if store.end(handover.sender_id):
            ended += 1
            await call_rasa(
                app, "end", {"sender": handover.sender_id, "staff": "idle-timeout"}
            )
    return ended


def _seen(request: Request) -> None:
    request.app.ctx.handover.seen(request.ctx.user.name)


def _handover_or_404(request: Request, sender: str) -> Handover:
    handover = request.app.ctx.handover.get(sender) if sender else None
    if handover is None:
        raise NotFound("No such hand-over.")
    return handover


def _events(request: Request, sender: str) -> List[Dict[str, Any]]:
    index = request.app.ctx.index
    if index is None:
        return []
    try:
        with index.engine.connect() as connection:
            return sender_events(connection, sender)
    except Exception as error:  # the tracker store is away: the page still works
        logger.warning("Live: no transcript (%s).", type(error).__name__)
        return []


@blueprint.get("/live")
@requires("live.work")
async def live(request: Request) -> HTTPResponse:
    """The queue page (its table refreshes itself)."""
    _seen(request)
    return render(request, "live.html", queue=request.app.ctx.handover.queue())


@blueprint.get("/live/queue")
@requires("live.work")
async def queue(request: Request) -> HTTPResponse:
    """The queue's table alone, for htmx; asking for it keeps one online."""
    _seen(request)
    return render(request, "live_queue.html", queue=request.app.ctx.handover.queue())


@blueprint.post("/live/claim")
@requires("live.work")
async def claim(request: Request) -> HTTPResponse:
    """Takes a waiting conversation (one person at a time)."""
    sender = request.form.get("id", "")
    user = request.ctx.user
    if request.app.ctx.handover.claim(sender, user.name):
        request.app.ctx.audit.record(
            user.name, audit.HANDOVER_CLAIM, target=sender,
            address=client_address(request),
        )  # fmt: skip
        return response.redirect(f"/live/view?id={sender}", status=303)
    return response.redirect("/live", status=303)


@blueprint.get("/live/view")
@requires("live.work")
async def view(request: Request) -> HTTPResponse:
    """One conversation in a hand-over: its transcript, and the reply form if mine."""
    sender = request.args.get("id", "")
    handover = _handover_or_404(request, sender)
    _seen(request)
    # A transcript with personal data, as on the conversations page (not its
    # every-2-seconds refreshes).
    request.app.ctx.audit.record(
        request.ctx.user.name,
        audit.VIEW_CONVERSATION,
        target=sender,
        address=client_address(request),
    )
    return render(
        request,
        "live_view.html",
        handover=handover,
        mine=handover.is_open and handover.claimed_by == request.ctx.user.name,
        lines=transcript_lines(_events(request, sender), personal=True),
        canned=canned_replies(handover.language),
        request_ref=request.args.get("booked", "")[:20],
    )


@blueprint.get("/live/messages")
@requires("live.work")
async def messages(request: Request) -> HTTPResponse:
    """The transcript alone, for htmx."""
    sender = request.args.get("id", "")
    handover = _handover_or_404(request, sender)
    _seen(request)
    typing = handover.visitor_typing_at
    return render(
        request,
        "live_messages.html",
        typing=typing is not None
        and datetime.now(timezone.utc) - typing < TYPING_SHOWN,
        handover=handover,
        lines=transcript_lines(_events(request, sender), personal=True),
    )


def _mine(request: Request) -> Handover | None:
    sender = request.form.get("id", "")
    handover = request.app.ctx.handover.get(sender) if sender else None
    if handover is None or not handover.is_open:
        return None
    if handover.claimed_by != request.ctx.user.name:
        return None
    return handover


@blueprint.post("/live/send")
@requires("live.work")
async def send(request: Request) -> HTTPResponse:
    """Sends a reply (typed, or a canned one) to the visitor of my conversation."""
    handover = _mine(request)
    if handover is None:
        return response.redirect("/live", status=303)
    canned = request.form.get("canned", "")
    text = canned_replies(handover.language).get(canned) or request.form.get("text", "")
    text = text.strip()[:2000]
    if text:
        sent = await call_rasa(
            request.app,
            "message",
            {
                "sender": handover.sender_id,
                "text": text,
                "staff": request.ctx.user.name,
            },
        )
        if not sent:
            return render(
                request, "error.html", status=502, title="live", message="not_sent"
            )
    return response.redirect(f"/live/view?id={handover.sender_id}", status=303)


@blueprint.post("/live/end")
@requires("live.work")
async def end(request: Request) -> HTTPResponse:
    """Back to the assistant: the visitor is told, the assistant answers again."""
    handover = _mine(request)
    if handover is not None and request.app.ctx.handover.end(handover.sender_id):
        user = request.ctx.user
        await call_rasa(
            request.app, "end", {"sender": handover.sender_id, "staff": user.name}
        )
        request.app.ctx.audit.record(
            user.name, audit.HANDOVER_END, target=handover.sender_id,
            address=client_address(request),
        )  # fmt: skip
    return response.redirect("/live", status=303)


def latest_slots(events: List[Dict[str, Any]]) -> Dict[str, str]:
    """The booking slots' latest values in a conversation (empty strings if unset)."""
    values = {name: "" for name in BOOKING_SLOTS}
    for event in events:
        if event.get("event") == "slot" and event.get("name") in values:
            value = event.get("value")
            values[event["name"]] = "" if value is None else str(value)
    return values


@blueprint.get("/live/book")
@requires("requests.work")
async def book_form(request: Request) -> HTTPResponse:
    """The request form, filled in with what the conversation already says."""
    sender = request.args.get("id", "")
    handover = _handover_or_404(request, sender)
    return render(
        request,
        "live_book.html",
        handover=handover,
        values=latest_slots(_events(request, sender)),
        clinics=CLINICS,
    )


@blueprint.post("/live/book")
@requires("requests.work")
async def book(request: Request) -> HTTPResponse:
    """Writes the booking request staff made for the visitor to the outbox."""
    form = request.form
    sender = form.get("id", "")
    handover = _handover_or_404(request, sender)
    if form.get("consent") != "yes" or form.get("clinic") not in CLINICS:
        return response.redirect(f"/live/book?id={sender}", status=303)
    user = request.ctx.user
    now = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    payload = {
        "service": form.get("service", "")[:100],
        "clinic": form.get("clinic"),
        "preferred_time": form.get("preferred_time", "")[:200],
        "name": form.get("visitor_name", "")[:100],
        "phone": form.get("phone", "")[:40],
        "note": form.get("note", "")[:500] or None,
        "language": handover.language or "en",
        # The visitor agreed in the chat, to this member of staff.
        "consent": {**consent_record(now, handover.language or "en"), "to": user.name},
        "entered_by": user.name,
    }
    submission = request.app.ctx.outbox.submit("booking", sender, payload)
    request.app.ctx.audit.record(
        user.name, audit.HANDOVER_BOOKING, target=sender,
        detail=submission.reference, address=client_address(request),
    )  # fmt: skip
    return response.redirect(
        f"/live/view?id={sender}&booked={submission.reference}", status=303
    )


def queue_ids(queue: List[Handover]) -> str:
    """The waiting conversations' ids, for static/live.js's alert."""
    return json.dumps([h.sender_id for h in queue if h.status == "waiting"])
