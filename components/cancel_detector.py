"""Recognises "stop the booking" messages that a bag of words reads as booking ones."""

from __future__ import annotations

import re

from rasa.engine.recipes.default_recipe import DefaultV1Recipe

from components.intent_rules import IntentRule

CANCEL_INTENT = "cancel"
_BOOKING = r"(?:book(?:ing)?|appointments?|appt|reservation|request|call[- ]?back)"
# Saying no to a booking: an explicit verb, or a booking wanted "no longer". Word
# counts cannot see negation: "i no longer want an appointment" has every word of
# "i want an appointment".
_CANCELS = re.compile(
    r"\bcancel\b|\bcancle\b|\bcall (?:\w+ ){0,3}?off\b"
    r"|\babandon\b|\babort\b|\bscra(?:p|tch) (?:that|it|the \w+)\b|\bnever ?mind\b"
    r"|\bnvm\b|\bforget (?:it|about it|i asked"
    r"|(?:about )?(?:the )?(?:whole thing|booking|appointment))\b"
    r"|\bchanged? my mind\b|\bstop (?:the |this )?(?:booking|form|request)\b"
    rf"|\b(?:no longer|don'?t|do not|won'?t|no more|rather not|pass on|skip)\b"
    rf"(?:\W+\w+){{0,4}}?\W+{_BOOKING}\b|\bnot (?:\w+ )?{_BOOKING}\b"
    r"|取消|中止|终止|撤销|撤掉|算了|改主意|改天再约|下次再约"
    r"|不(?:想|要|用|需要)?再?(?:帮我)?(?:预约|约|订|提交)了?"
    r"|别(?:帮我)?(?:预约|约|订|提交|弄|填)"
    r"|(?:预约|回电)也?(?:不用|不要)了",
    re.IGNORECASE,
)
# A question about cancelling ("can I cancel later?") is not a cancellation.
_QUESTION = re.compile(
    r"[?？]|吗|呢|^(?:can|could|how|what|is|do|does|will)\b", re.IGNORECASE
)
# What a cancellation is taken for; a FAQ question or an emergency is left alone.
# Off-topic messages stay off-topic ("didi keeps cancelling my ride").
_OVERRIDDEN = frozenset(
    {"book_appointment", "deny", "goodbye", "thank", "nlu_fallback"}
)


def says_cancel(text: str) -> bool:
    """Whether `text` calls off a booking or call-back ("never mind", "不约了")."""
    return bool(_CANCELS.search(text)) and not _QUESTION.search(text.strip())


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False
)
class CancelDetector(IntentRule):
    """Sets the `cancel` intent where the words say so and the classifier did not.

    Runs after the classifiers. It only changes a few intents a cancellation is
    mistaken for (book_appointment, deny, goodbye, fallback, ...), never a question.
    """

    intent = CANCEL_INTENT
    overridden = _OVERRIDDEN
    applies = staticmethod(says_cancel)
