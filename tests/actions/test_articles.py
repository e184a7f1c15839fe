"""Answers from the articles: the passage with its source, or the articles' silence."""

from __future__ import annotations

from typing import Any, Dict

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.articles import (
    MAX_ASKED_CHARACTERS,
    NOT_IN_ARTICLES,
    PASSAGE_ANSWER,
    ActionAnswerFromArticles,
    asked,
)

PASSAGE = {
    "id": "a01-p009",
    "text": {
        "en": "Tuina uses 21 different manipulations.",
        "zh": "推拿有21种不同的手法。",
    },
    "source": {
        "en": "From our article 'Medical Massage and Tuina for Back Pain'",
        "zh": "摘自我们的文章《医疗按摩与推拿治疗背痛》",
    },
}


def tracker(text: str, verdict: Dict[str, Any], language: str) -> Tracker:
    latest = {
        "text": text,
        "intent": {"name": "faq"},
        "response_selector": {"article": verdict},
    }
    return Tracker("visitor", {"language": language}, latest, [], False, None, {}, "")


async def run(text: str, verdict: Dict[str, Any], language: str = "en"):
    dispatcher = CollectingDispatcher()
    events = await ActionAnswerFromArticles().run(
        dispatcher, tracker(text, verdict, language), {}
    )
    return dispatcher.messages, events


async def test_the_passage_is_quoted_with_its_source_in_the_visitors_language():
    verdict = {"answer": "passage", "passages": [PASSAGE]}
    for language in ("en", "zh"):
        messages, events = await run("how many manipulations?", verdict, language)
        [message] = messages
        assert message["response"] == PASSAGE_ANSWER
        assert message["passage"] == PASSAGE["text"][language]
        assert message["source"] == PASSAGE["source"][language]
        assert events == []


async def test_a_passage_added_to_the_faq_answer_is_quoted_before_it():
    verdict = {
        "answer": "faq",
        "faq": "faq/tuina_what",
        "added": PASSAGE["id"],
        "passages": [PASSAGE],
    }
    [passage, answer], events = await run("推拿有多少种手法", verdict, "zh")
    assert passage["response"] == PASSAGE_ANSWER
    assert passage["passage"] == PASSAGE["text"]["zh"]
    assert answer["response"] == "utter_faq/tuina_what"
    assert events == []


async def test_an_untranslated_passage_is_quoted_in_english():
    untranslated = {**PASSAGE, "text": {"en": "Tuina uses 21.", "zh": ""}}
    verdict = {"answer": "passage", "passages": [untranslated]}
    [message], _ = await run("推拿有多少种手法", verdict, "zh")
    assert message["passage"] == "Tuina uses 21."


async def test_the_articles_silence_repeats_what_was_asked():
    [message], _ = await run("do you  make\nhome visits?", {"answer": "abstain"})
    assert message["response"] == NOT_IN_ARTICLES
    assert message["question"] == "do you make home visits?"


def test_a_long_question_is_cut_for_one_wechat_message():
    long = "my back " * 100
    assert len(asked(long)) == MAX_ASKED_CHARACTERS
    assert asked(long).endswith("…")


def test_every_reply_fits_one_wechat_message():
    """The longest passage with its source, and the longest abstention: 2048 bytes."""
    from pathlib import Path

    import yaml

    from knowledge.passages import load_passages

    responses = yaml.safe_load(Path("domain.yml").read_text(encoding="utf-8"))[
        "responses"
    ]
    for variation in responses[PASSAGE_ANSWER]:
        for passage in load_passages():
            for language in ("en", "zh"):
                text = variation["text"].format(
                    source=passage.source(language), passage=passage.text.of(language)
                )
                assert len(text.encode()) <= 2048, passage.id
    for variation in responses[NOT_IN_ARTICLES]:
        text = variation["text"].format(question=asked("问" * 500))
        titles = "".join(button["title"] for button in variation["buttons"])
        assert len((text + titles).encode()) <= 2048
