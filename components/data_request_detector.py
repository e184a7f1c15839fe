"""Recognises a visitor asking to have their data deleted ("forget me", "删除我的信息").

A privacy request must be recognised whatever else the message resembles, and it is
said in a narrow set of words: a verb of deleting or forgetting and what is to go (my
data, my details, this conversation, me). A rule reads that exactly; the classifier is
not trained on it, so adding it changed no other prediction. What follows is always a
question ("shall I delete it now?"), so a request read too eagerly costs one "no".
"""

from __future__ import annotations

import re

from rasa.engine.recipes.default_recipe import DefaultV1Recipe

from components.intent_rules import IntentRule

DELETE_INTENT = "delete_my_data"

_WHAT = (
    r"(?:(?:all|any|every)\s+(?:of\s+)?)?(?:my|our|this|the)\s+(?:\w+\s+){0,2}?"
    r"(?:data|info(?:rmation)?|details|records?|history|conversations?|chats?"
    r"|messages|number|phone|name|account|profile)"
)
_REQUESTS = re.compile(
    # delete / erase / remove / wipe ... my data, this conversation, everything about me
    rf"\b(?:delete|erase|remove|wipe|clear|purge|destroy|get\s+rid\s+of)\b"
    rf"(?:\W+\w+){{0,3}}?\W+(?:{_WHAT}|everything\b|all\s+(?:of\s+)?(?:it|that)\b"
    r"|me\b|what\s+you\s+(?:have|know|kept|keep|store|stored|saved))"
    rf"|\b(?:{_WHAT})\W+(?:\w+\W+){{0,3}}?(?:deleted|erased|removed|wiped)\b"
    r"|\bforget\s+(?:about\s+)?(?:me|everything|what\s+i\s+(?:said|told|wrote))\b"
    r"|\bright\s+to\s+(?:be\s+forgotten|erasure)\b"
    r"|\bwithdraw\s+(?:my\s+)?consent\b"
    rf"|\b(?:don'?t|do\s+not|stop)\s+(?:keep|keeping|store|storing|save|saving)\s+{_WHAT}"
    # 删除/清除/忘记 ... 我的信息、聊天记录、对话; 忘记我; 撤回同意
    r"|(?:删除|删掉|删了|删去|刪除|刪掉|清除|清空|抹掉|抹去|销毁|移除|去掉)"
    r".{0,8}?(?:信息|资料|数据|记录|对话|聊天|隐私|电话|号码|名字|姓名|資料|記錄|數據)"
    r"|(?:信息|资料|数据|记录|对话|聊天记录|电话|号码|名字|姓名).{0,6}?"
    r"(?:删除|删掉|删了|清除|清空|刪除)"
    r"|忘(?:记|掉|了)我|把我忘了|撤回(?:我的)?同意"
    r"|(?:不要|别|不许|不准)(?:再)?(?:保存|保留|存|记录).{0,4}?(?:我的)?"
    r"(?:信息|资料|数据|记录|电话|号码|名字)",
    re.IGNORECASE,
)
# A question about the policy ("do you delete my data after a while?", "会删除我的
# 信息吗") is not a request; "can you delete my data?", "能删除我的信息吗" is.
_POLICY_QUESTION = re.compile(
    r"^\s*(?:do|does|did|will|when|how\s+long|why|is|are|after\s+how)\b"
    r"|(?:会不会|会|什么时候|多久|多长时间|几天).{0,8}?(?:删除|删掉|清除|刪除)",
    re.IGNORECASE,
)


def asks_to_delete_data(text: str) -> bool:
    """Whether `text` asks for the visitor's data to be deleted."""
    return bool(_REQUESTS.search(text)) and not _POLICY_QUESTION.search(text)


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False
)
class DataRequestDetector(IntentRule):
    """Sets `delete_my_data` for a deletion request, whatever else was predicted.

    An emergency keeps its intent: its answer comes first.
    """

    intent = DELETE_INTENT
    overridden = frozenset()  # see replaces: every intent but an emergency

    @classmethod
    def replaces(cls, predicted: str | None) -> bool:
        """Every prediction but an emergency."""
        return predicted != "emergency"

    applies = staticmethod(asks_to_delete_data)
