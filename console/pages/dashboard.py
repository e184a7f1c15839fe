"""The dashboard: messages by channel and language, fallbacks, topics, requests."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Dict

from sanic import Blueprint
from sanic.request import Request
from sanic.response import HTTPResponse

from booking.staff import SHANGHAI
from console import charts
from console.app import refresh_index
from console.conversation_index import Dashboard
from console.web import render, requires

blueprint = Blueprint("dashboard")
DEFAULT_DAYS = 14
MAX_DAYS = 366


@blueprint.get("/dashboard")
@requires("dashboard.view")
async def dashboard(request: Request) -> HTTPResponse:
    """The charts for a range of Shanghai days (the last two weeks unless asked)."""
    app = request.app
    today = datetime.now(SHANGHAI).date()
    until = _date(request.args.get("until")) or today
    since = _date(request.args.get("since")) or until - timedelta(DEFAULT_DAYS - 1)
    if since > until:
        since, until = until, since
    since = max(since, until - timedelta(MAX_DAYS - 1))
    days = [(since + timedelta(n)).isoformat() for n in range((until - since).days + 1)]
    figures = Dashboard({}, {}, {}, [])
    if app.ctx.index is not None:
        await refresh_index(app)
        figures = app.ctx.index.dashboard(since, until)
    requests: Dict[str, Dict[str, float]] = {}
    for request_ in app.ctx.outbox.requests():
        day = request_.created_at.astimezone(SHANGHAI).date().isoformat()
        if days[0] <= day <= days[-1]:
            clinic = str(request_.payload.get("clinic") or "?")
            per_day = requests.setdefault(day, {})
            per_day[clinic] = per_day.get(clinic, 0) + 1
    fallback = {
        day: {"fell_back": failed / total}
        for day, (failed, total) in figures.fallback.items()
        if total
    }
    total = sum(t for _, t in figures.fallback.values())
    failed = sum(f for f, _ in figures.fallback.values())
    return render(
        request,
        "dashboard.html",
        since=since.isoformat(),
        until=until.isoformat(),
        today_messages=figures.fallback.get(today.isoformat(), (0, 0))[1],
        total_messages=total,
        fallback_share=failed / total if total else 0.0,
        by_channel=charts.stacked_days(days, _floats(figures.by_channel)),
        by_language=charts.stacked_days(days, _floats(figures.by_language)),
        fallback=charts.stacked_days(days, fallback, percent=True),
        topics=charts.ranking(figures.topics),
        requests=charts.stacked_days(days, requests),
    )


def _floats(values: Dict[str, Dict[str, int]]) -> Dict[str, Dict[str, float]]:
    return {day: {k: float(v) for k, v in per.items()} for day, per in values.items()}


def _date(text: str | None) -> date | None:
    try:
        return datetime.strptime(text or "", "%Y-%m-%d").date()
    except ValueError:
        return None
