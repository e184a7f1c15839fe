"""The conversations page: search, filters, and transcripts with what was understood."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, Dict, List

from sanic import Blueprint
from sanic.exceptions import NotFound
from sanic.request import Request
from sanic.response import HTTPResponse

from console import audit
from console.app import refresh_index
from console.conversation_index import Filters
from console.masking import mask_text
from console.web import client_address, flag, render, requires
from stores.conversations import sender_events

blueprint = Blueprint("conversations")
PAGE_SIZE = 50
NAME_SLOTS = ("visitor_name",)


@blueprint.get("/conversations")
@requires("conversations.view")
async def listing(request: Request) -> HTTPResponse:
    """The most recently active conversations first, 50 a page, filtered."""
    index = request.app.ctx.index
    if index is None:
        return render(
            request,
            "error.html",
            status=503,
            title="conversations",
            message="no_conversations",
        )
    await refresh_index(request.app)
    filters = Filters(
        query=request.args.get("q", "")[:200],
        channel=request.args.get("channel", ""),
        language=request.args.get("language", ""),
        since=_day(request.args.get("since")),
        until=_day(request.args.get("until")),
        fell_back=flag(request, "fell_back"),
        booked=flag(request, "booked"),
        handoff=flag(request, "handoff"),
    )
    page = max(1, _int(request.args.get("page"), 1))
    summaries, total = index.conversations(
        filters, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE
    )
    personal = request.ctx.user.can("personal_data")
    previews = {
        s.sender_id: s.first_message if personal else mask_text(s.first_message)
        for s in summaries
    }
    channels, languages = index.choices()
    template = (
        "conversations_table.html"
        if request.headers.get("hx-request")
        else "conversations.html"
    )
    return render(
        request,
        template,
        summaries=summaries,
        previews=previews,
        total=total,
        page=page,
        pages=max(1, -(-total // PAGE_SIZE)),
        filters=filters,
        channels=channels,
        languages=languages,
        shanghai=_shanghai,
    )


@blueprint.get("/conversations/view")
@requires("conversations.view")
async def transcript(request: Request) -> HTTPResponse:
    """One conversation: each message, and per visitor message its intent and score."""
    app = request.app
    sender = request.args.get("id", "")
    if app.ctx.index is None or not sender:
        raise NotFound("No such conversation.")
    with app.ctx.index.engine.connect() as connection:
        events = sender_events(connection, sender)
    if not events:
        raise NotFound("No such conversation.")
    user = request.ctx.user
    personal = user.can("personal_data")
    if personal:
        app.ctx.audit.record(
            user.name,
            audit.VIEW_CONVERSATION,
            target=sender,
            address=client_address(request),
        )
    return render(
        request,
        "transcript.html",
        sender=sender,
        lines=transcript_lines(events, personal),
    )


def transcript_lines(events: List[Dict[str, Any]], personal: bool) -> List[Dict]:
    """The visitor's and the assistant's messages, oldest first, maybe masked.

    Masked unless `personal`; a visitor message carries its intent (or FAQ topic)
    and how sure the model was.
    """
    names = [
        str(e.get("value"))
        for e in events
        if e.get("event") == "slot" and e.get("name") in NAME_SLOTS and e.get("value")
    ]
    lines = []
    for event in events:
        kind = event.get("event")
        if kind not in ("user", "bot") or not event.get("text"):
            continue
        text = str(event["text"])
        metadata = event.get("metadata") or {}
        line: Dict[str, Any] = {
            # A member of staff's message (channels/handover.py) is a bot event
            # marked as from a person, with their name.
            "who": "person" if kind == "bot" and metadata.get("from_person") else kind,
            "staff": str(metadata.get("staff") or ""),
            "text": text if personal else mask_text(text, names),
            "at": _shanghai(event.get("timestamp")),
        }
        if kind == "user":
            parse = event.get("parse_data") or {}
            intent = parse.get("intent") or {}
            name = str(intent.get("name") or "")
            selector = (parse.get("response_selector") or {}).get(name) or {}
            response = selector.get("response") or {}
            line["intent"] = response.get("intent_response_key") or name
            confidence = response.get("confidence") or intent.get("confidence")
            line["confidence"] = float(confidence) if confidence is not None else None
            line["channel"] = event.get("input_channel") or ""
        lines.append(line)
    return lines


def _shanghai(moment: Any) -> str:
    from booking.staff import SHANGHAI

    if isinstance(moment, datetime):
        return moment.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")
    if moment is None:
        return ""
    return (
        datetime.fromtimestamp(float(moment), timezone.utc)
        .astimezone(SHANGHAI)
        .strftime("%Y-%m-%d %H:%M:%S")
    )


def _day(text: str | None) -> str:
    try:
        return datetime.strptime(text or "", "%Y-%m-%d").date().isoformat()
    except ValueError:
        return ""


def _int(text: str | None, default: int) -> int:
    try:
        return int(text or default)
    except ValueError:
        return default
