"""Questions to review: missed messages grouped, filed under a topic in one click.

The selection is `make review`'s (editing/missed.py); filing a group writes its
messages as examples of the chosen topic (or of off-topic) and commits the change as
the signed-in account; ignoring hides the group. The next "Check changes" learns them.
"""

from __future__ import annotations

import asyncio

from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from sqlalchemy.exc import OperationalError

from console import audit
from console.web import client_address, render, requires
from editing.faq import OFF_TOPIC, add_examples, load_topics
from editing.missed import Ignored, missed_questions
from stores.conversations import user_events

blueprint = Blueprint("missed")
# staff/review.py's reasons, as catalogue keys (console/i18n.py).
WHY = {
    "not understood (fallback)": "why_fallback",
    "taken for off-topic": "why_off_topic",
    "low confidence": "why_unsure",
}
MAX_GROUPS = 200


def _ignored(request: Request) -> Ignored:
    return Ignored(request.app.ctx.editing.models / "review-ignored.json")


async def _groups(request: Request) -> list:
    app = request.app
    url = app.ctx.tracker_url
    if not url:
        return []

    def read() -> list:
        try:
            return missed_questions(
                user_events(url), app.ctx.editing.project, _ignored(request).keys()
            )
        except OperationalError:  # no conversation stored yet: no events table
            return []

    return await asyncio.get_running_loop().run_in_executor(None, read)


@blueprint.get("/review")
@requires("answers.edit")
async def listing(request: Request) -> HTTPResponse:
    """The groups, most asked and newest first, each with a filing form."""
    groups = await _groups(request)
    topics = load_topics(request.app.ctx.editing.project)
    return render(
        request,
        "missed.html",
        groups=groups[:MAX_GROUPS],
        total=len(groups),
        topics=[t.key for t in topics],
        why=WHY,
        filed=request.args.get("filed"),
    )


@blueprint.post("/review/file")
@requires("answers.edit")
async def file_group(request: Request) -> HTTPResponse:
    """Files a group under a topic or off-topic, or ignores it."""
    app = request.app
    form = request.form or {}
    key, target = str(form.get("group") or ""), str(form.get("target") or "")
    found = next((g for g in await _groups(request) if g.key == key), None)
    if found is None:
        return response.redirect("/review", status=303)
    user = request.ctx.user.name
    if target == "ignore":
        _ignored(request).add(key)
        app.ctx.audit.record(
            user, audit.QUESTION_IGNORED, detail=f"{found.count} message(s)",
            address=client_address(request),
        )  # fmt: skip
        return response.redirect("/review?filed=ignore", status=303)
    topics = {t.key for t in load_topics(app.ctx.editing.project)}
    if target == OFF_TOPIC:
        label = OFF_TOPIC
    elif target in topics:
        label = f"faq/{target}"
    else:
        return response.text("Choose a topic.", status=400)
    path = add_examples(app.ctx.editing.project, label, found.messages)
    commit = app.ctx.history.commit(
        [path],
        f"Filed {len(found.messages)} missed question(s) under {label} "
        f"(asked {found.count} times)",
        user,
    )
    app.ctx.audit.record(
        user, audit.QUESTION_FILED, target=label, detail=commit[:10],
        address=client_address(request),
    )  # fmt: skip
    # A check is likely soon: measure the live model now, not beside its training.
    await asyncio.get_running_loop().run_in_executor(None, app.ctx.checker.prepare)
    return response.redirect(f"/review?filed={target}", status=303)
