"""Answers from the articles: a passage quoted with its source, or their silence.

The NLU pipeline's retriever (components/article_retriever.py) marks a question with
`article` in its parse result: `passage`, with the passage's words and source in
both languages (the model carries the articles it was trained with, so this server
needs no files), or `abstain`: the articles don't say; or a passage that the FAQ
answer follows (`added`: the detail asked). The reply is in the
conversation's language; an abstention repeats what was asked, so that the visitor
sees which question was not answered, and gives reception's numbers.
"""

from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.booking import language_of
from actions.follow_up import marked

ARTICLE = "article"
PASSAGE_ANSWER = "utter_article_passage"
NOT_IN_ARTICLES = "utter_articles_do_not_say"
# What was asked, as repeated in "our articles don't say": a WeChat message is 2048
# bytes, and a long story before the question need not come back whole.
MAX_ASKED_CHARACTERS = 120


def asked(text: str) -> str:
    """The visitor's question as the reply repeats it: one line, cut if long."""
    line = " ".join(text.split())
    if len(line) <= MAX_ASKED_CHARACTERS:
        return line
    return line[: MAX_ASKED_CHARACTERS - 1].rstrip() + "…"


def passage_reply(passage: Dict[str, Any], language: str) -> Dict[str, str]:
    """The passage's words and source line in `language` (English if untranslated)."""
    text = passage["text"].get(language) or passage["text"]["en"]
    source = passage["source"].get(language) or passage["source"]["en"]
    return {"passage": text, "source": source}


class ActionAnswerFromArticles(Action):
    """Quotes the passage that answers the question, or says the articles don't."""

    def name(self) -> Text:
        """The action's name."""
        return "action_answer_from_articles"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Dict[Text, Any]]:
        """Says the passage with its source, or that the articles don't say."""
        message = tracker.latest_message or {}
        verdict = marked(message, ARTICLE)
        language = language_of(tracker)
        passages = verdict.get("passages") or []
        if passages and (verdict.get("answer") == "passage" or verdict.get("added")):
            for passage in passages:
                dispatcher.utter_message(
                    response=PASSAGE_ANSWER, **passage_reply(passage, language)
                )
            if verdict.get("added") and verdict.get("faq"):
                # The FAQ answer the passage adds a detail to, after it.
                dispatcher.utter_message(response=f"utter_{verdict['faq']}")
        else:
            dispatcher.utter_message(
                response=NOT_IN_ARTICLES, question=asked(message.get("text") or "")
            )
        return []
