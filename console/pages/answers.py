"""The Answers page: every FAQ topic in English and Chinese, edited with live checks.

A save writes the topic's file (editing/faq.py: comments and order kept) and commits
it as the signed-in account (editing/history.py); a topic with an error `make
validate` would report is not saved. The article passages are shown read only.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Dict, List

from sanic import Blueprint, response
from sanic.exceptions import NotFound
from sanic.request import Request
from sanic.response import HTTPResponse

from console import audit
from console.web import client_address, render, requires
from editing.faq import (
    KEY,
    LANGUAGES,
    Button,
    Topic,
    by_language,
    faq_files,
    find_topic,
    load_topics,
    save_topic,
)
from editing.topic_checks import (
    MAX_ANSWER_BYTES,
    answer_bytes,
    topic_problems,
    wechat_preview,
)

blueprint = Blueprint("answers")
# Empty button rows offered under the ones an answer has.
SPARE_BUTTONS = 1
MAX_BUTTONS = 5
MAX_FIELD = 20_000


def button_choices(topics: List[Topic], language: str) -> List[Dict[str, str]]:
    """What a button may send in `language`: a topic's question, or a booking."""
    choices: Dict[str, str] = {}
    for topic in topics:
        for button in topic.buttons[language]:
            choices.setdefault(button.payload, button.payload)
    for topic in topics:
        if topic.examples[language]:
            question = topic.examples[language][0]
            choices.setdefault(question, f"{topic.key}: {question}")
    return [{"payload": p, "label": label} for p, label in sorted(choices.items())]


def topic_from_form(form: Dict, key: str, file: str) -> Topic:
    """The topic as the edit form describes it."""
    topic = Topic(key, file)
    for language in LANGUAGES:
        topic.answers[language] = str(form.get(f"answer_{language}") or "")[:MAX_FIELD]
        lines = str(form.get(f"examples_{language}") or "")[:MAX_FIELD].splitlines()
        examples = [line.strip().removeprefix("- ").strip() for line in lines]
        topic.examples[language] = [e for e in dict.fromkeys(examples) if e]
        for number in range(MAX_BUTTONS):
            title = str(form.get(f"button_title_{language}_{number}") or "").strip()
            payload = str(form.get(f"button_payload_{language}_{number}") or "")
            if title and payload:
                topic.buttons[language].append(Button(title[:200], payload[:500]))
    # An example typed in the other language's box still counts where it belongs.
    topic.examples = by_language(topic.examples["en"] + topic.examples["zh"])
    return topic


def _form(request: Request) -> Dict:
    return {k: request.form.get(k) for k in (request.form or {})}


def _editor(request: Request, topic: Topic, new: bool, **context) -> HTTPResponse:
    project = request.app.ctx.editing.project
    topics = load_topics(project)
    return render(
        request,
        "answer.html",
        topic=topic,
        new=new,
        files=[str(p.relative_to(project)) for p in faq_files(project)],
        choices={lang: button_choices(topics, lang) for lang in LANGUAGES},
        rows={
            lang: topic.buttons[lang]
            + [Button("", "")]
            * min(SPARE_BUTTONS, MAX_BUTTONS - len(topic.buttons[lang]))
            for lang in LANGUAGES
        },
        **_checked(project, topic),
        **context,
    )


def _checked(project: Path, topic: Topic) -> Dict:
    return {
        "problems": topic_problems(project, topic),
        "sizes": answer_bytes(topic),
        "limit": MAX_ANSWER_BYTES,
        "wechat": {lang: wechat_preview(topic, lang) for lang in LANGUAGES},
    }


@blueprint.get("/answers")
@requires("answers.edit")
async def listing(request: Request) -> HTTPResponse:
    """Every topic, both answers side by side, by file; a search box."""
    app = request.app
    query = str(request.args.get("q") or "").strip().lower()
    topics = load_topics(app.ctx.editing.project)
    if query:
        topics = [
            t
            for t in topics
            if query in t.key
            or any(query in a.lower() for a in t.answers.values())
            or any(query in e.lower() for es in t.examples.values() for e in es)
        ]
    return render(
        request, "answers.html", topics=topics, query=query, passages=_passages()
    )


def _passages() -> List:
    # The clinic's articles as passages (knowledge/): shown, edited in their files.
    try:
        from knowledge.passages import load_passages
    except ImportError:  # an older tree without knowledge/
        return []
    try:
        return load_passages()
    except Exception:  # a broken passage file must not take the page down
        return []


@blueprint.get("/answers/new")
@requires("answers.edit")
async def new_topic(request: Request) -> HTTPResponse:
    """An empty topic to fill in, in both languages."""
    project = request.app.ctx.editing.project
    first = str(faq_files(project)[0].relative_to(project))
    return _editor(request, Topic("", first), new=True)


@blueprint.get("/answers/<key>")
@requires("answers.edit")
async def edit(request: Request, key: str) -> HTTPResponse:
    """One topic's form: answers, buttons, examples, checks and previews."""
    topic = find_topic(request.app.ctx.editing.project, key)
    if topic is None:
        raise NotFound("no such topic")
    return _editor(request, topic, new=False, saved=request.args.get("saved"))


@blueprint.post("/answers/check")
@requires("answers.edit")
async def check(request: Request) -> HTTPResponse:
    """The checks, byte counters and previews for the form as typed (htmx)."""
    form = _form(request)
    project = request.app.ctx.editing.project
    key, file = _key_and_file(request, form)
    topic = topic_from_form(form, key or "new_topic", file)
    checked = await asyncio.get_running_loop().run_in_executor(
        None, _checked, project, topic
    )
    return render(request, "answer_checks.html", topic=topic, **checked)


def _key_and_file(request: Request, form: Dict) -> tuple[str, str]:
    project = request.app.ctx.editing.project
    key = str(form.get("key") or "").strip().lower()
    files = [str(p.relative_to(project)) for p in faq_files(project)]
    file = str(form.get("file") or "")
    existing = find_topic(project, key) if key else None
    if existing is not None:
        return key, existing.file
    return key, file if file in files else files[0]


@blueprint.post("/answers/save")
@requires("answers.edit")
async def save(request: Request) -> HTTPResponse:
    """Saves the topic if it has no errors, and commits it as the signed-in account."""
    app = request.app
    form = _form(request)
    new = form.get("new") == "1"
    key, file = _key_and_file(request, form)
    project = app.ctx.editing.project
    if not KEY.match(key) or (new and find_topic(project, key) is not None):
        topic = topic_from_form(form, key, file)
        return _editor(request, topic, new=new, key_error=True)
    if not new and find_topic(project, key) is None:
        raise NotFound("no such topic")
    topic = topic_from_form(form, key, file)
    problems = topic_problems(project, topic)
    if any(p.level == "error" for p in problems):
        return _editor(request, topic, new=new, not_saved=True)
    user = request.ctx.user.name
    path = save_topic(project, topic)
    verb = "Added" if new else "Changed"
    message = str(form.get("message") or "").strip()[:200]
    commit = app.ctx.history.commit(
        [path], f"{verb} faq/{key}" + (f": {message}" if message else ""), user
    )
    if commit:
        app.ctx.audit.record(
            user,
            audit.ANSWER_SAVED,
            target=f"faq/{key}",
            detail=commit[:10],
            address=client_address(request),
        )
    # A check is likely soon: measure the live model now, not beside its training.
    await asyncio.get_running_loop().run_in_executor(None, app.ctx.checker.prepare)
    return response.redirect(f"/answers/{key}?saved=1", status=303)
