"""Recognises a request to talk to a person ("can I talk to a real person?", "转人工").

"Are you a real person?" and "can I talk to a real person?" share every word but the
verb: a bag of words cannot tell the question about the bot from the request for
reception. The verb of talking to someone, read by rule, makes it `human_handoff`.
"""

from __future__ import annotations

import re

from rasa.engine.recipes.default_recipe import DefaultV1Recipe

from components.intent_rules import IntentRule

HANDOFF_INTENT = "human_handoff"

_PERSON = (
    r"(?:(?:a|an|the|some|your)\s+)?(?:real\s+|actual\s+|live\s+|human\s+)?"
    r"(?:person|people|human(?:\s+being)?|someone|somebody|staff(?:\s+member)?|agent"
    r"|receptionist|reception|operator)"
)
_REQUESTS = re.compile(
    rf"\b(?:talk|speak|chat)\s+(?:to|with)\s+{_PERSON}\b"
    rf"|\b(?:connect|transfer|put|pass|hand)\s+me\s+(?:through\s+|over\s+)?(?:to|with)\s+"
    rf"{_PERSON}\b"
    r"|转人工|人工客服|接人工|找人工|真人客服|(?:跟|和|找|要)(?:个)?真人(?:说|聊|对话)?"
    r"|(?:跟|和|找)(?:你们)?(?:前台|工作人员|客服)(?:说|聊|联系)",
    re.IGNORECASE,
)
# What such a request is taken for; a FAQ question ("can I talk to a doctor about
# my back pain first?") keeps its answer.
_OVERRIDDEN = frozenset(
    {"bot_challenge", "nlu_fallback", "out_of_scope", "greet", "affirm", "inform"}
)


def asks_for_a_person(text: str) -> bool:
    """Whether `text` asks to talk to a person at the clinic."""
    return bool(_REQUESTS.search(text))


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False
)
class HandoffDetector(IntentRule):
    """Sets `human_handoff` for a request to talk to a person, not a bot question."""

    intent = HANDOFF_INTENT
    overridden = _OVERRIDDEN
    applies = staticmethod(asks_for_a_person)
