"""Recognises visitors introducing themselves ("my name is Sam Green", "我叫王芳")."""

from __future__ import annotations

import re

from rasa.engine.recipes.default_recipe import DefaultV1Recipe

from components.intent_rules import IntentRule

INFORM_INTENT = "inform"
# Names are open vocabulary: a surname that is also a word ("Green", "Rose", "King")
# pulls a bag of words towards whatever that word appears in. An explicit
# introduction says what the message is whatever the name.
_INTRODUCTION = re.compile(
    r"^\s*(?:(?:hi|hello|hey)\W+)?(?:my name is|my name's|my names|name's|the name is"
    r"|i am called|i'm called)\s+\w"
    r"|^\s*(?:你好\W*)?(?:我叫|我的名字是|我的名字叫|我姓)\s*\w",
    re.IGNORECASE,
)
_QUESTION = re.compile(r"[?？]|吗|呢")
# What an introduction is mistaken for; a request in the same message ("my name is
# Anna and I'd like tuina") keeps its intent.
_OVERRIDDEN = frozenset(
    {
        "out_of_scope",
        "nlu_fallback",
        "greet",
        "goodbye",
        "thank",
        "affirm",
        "deny",
        "bot_challenge",
    }
)


def introduces_self(text: str) -> bool:
    """Whether `text` is the visitor giving their name (and not asking something)."""
    return bool(_INTRODUCTION.search(text)) and not _QUESTION.search(text)


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False
)
class IntroductionDetector(IntentRule):
    """Sets `inform` for an explicit introduction the classifier took for small talk."""

    intent = INFORM_INTENT
    overridden = _OVERRIDDEN
    applies = staticmethod(introduces_self)
