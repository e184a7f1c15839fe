"""Marks a short question that only makes sense after the previous answer.

"那针灸呢" names a therapy and leaves the question to the conversation; "and for
children?", "how often?", "会疼吗" ask about an aspect and leave the therapy to it. This
component only reads the words: it adds `follow_up` to the parse result (the therapy
or the aspect it names) and leaves the intent alone. Whether there is an answer to
follow is the dialogue's business (components/follow_up_policy.py); without one, the
message is answered as it stands.
"""

from __future__ import annotations

import re
from typing import Any, Dict, List, Tuple

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

# What this component and the two-question reader (components/sentence_encoder.py)
# add to a parse result. They travel under its `response_selector`: the one part of a
# parse that Rasa's conversation tests carry into the tracker (rasa/core/test.py keeps
# only that), where an entity would be compared with every test's annotations.
RESPONSE_SELECTOR = "response_selector"
FOLLOW_UP = "follow_up"  # {"service": ..., "aspect": ...}


def mark(message: Message, key: str, value: Dict[str, Any]) -> None:
    """Adds `key` to the message's parse result (see above)."""
    message.data.setdefault(RESPONSE_SELECTOR, {})[key] = value


def read_mark(parse_data: Dict[str, Any], key: str) -> Dict[str, Any] | None:
    """What `mark` added to a parse result, or None."""
    return (parse_data.get(RESPONSE_SELECTOR) or {}).get(key)


# The therapies a follow-up can name, longest phrases first within each ("acupuncture
# massage" is acupressure, "medical massage" before "massage").
SERVICES: Tuple[Tuple[str, str], ...] = (
    ("acupressure", r"acupressure|acupuncture massage|穴位按摩|指压|点穴"),
    ("acupuncture", r"acupuncture|needles?|needling|针灸|扎针|针刺"),
    ("cupping", r"cupping|cups|拔罐|拔火罐|火罐"),
    ("herbal_medicine", r"herbal medicine|herbs?|herbal|中药|草药|汤药"),
    ("pain_therapy", r"pain therapy|pain massage|疼痛治疗|疼痛理疗|理疗"),
    ("tuina", r"tuina|tui na|推拿"),
    ("medical_massage", r"medical massage|massages?|医疗按摩|按摩"),
)
# What a follow-up can ask about a therapy the conversation is on.
ASPECTS: Tuple[Tuple[str, str], ...] = (
    (
        "children",
        r"child(?:ren)?|kids?|bab(?:y|ies)|infants?|toddlers?|teenagers?|"
        r"孩子|小孩|儿童|宝宝|婴儿|小朋友|幼儿",
    ),
    (
        "contraindications",
        r"pregnan\w*|who (?:should ?n[o']?t|can ?n[o']?t|cannot|should not)|"
        r"is it safe|safe for|怀孕|孕妇|孕期|禁忌|什么人不|哪些人不|安全吗|安全不",
    ),
    (
        "frequency",
        r"how often|how many (?:times|sessions|treatments)|how frequently|"
        r"every (?:day|week)|多久(?:做)?一次|几次|多少次|频率|多长时间(?:做)?一次|"
        r"一周几|一个星期几",
    ),
    ("hurt", r"hurts?|hurting|painful|pain|sore|ouch|疼|痛"),
    (
        "expect",
        r"what happens|what to expect|what is (?:a|the) session like|how is it done|"
        r"过程|流程|怎么做的|怎么做|做的时候",
    ),
    (
        "benefits",
        r"benefits?|good for|help(?:s)? with|what (?:does it|can it) (?:treat|help)|"
        r"好处|作用|能治|治什么|有什么用|效果|有用吗",
    ),
    ("what", r"what is it|what's that|what is that|what is this|是什么|啥意思"),
)
_SERVICE_PATTERNS = [(name, re.compile(pattern)) for name, pattern in SERVICES]
_ASPECT_PATTERNS = [(name, re.compile(pattern)) for name, pattern in ASPECTS]
# Words around a therapy that add no question of their own: "and cupping?", "那针灸呢".
_FILLER = re.compile(
    r"\b(?:and|what|about|how|for|the|then|also|too|as well|same|so|ok|okay|hmm|um|"
    r"with|of|is|it)\b|那么|那个|那|还有|另外|对于|请问|呢|吗|啊|呀|也|的|呢"
)
_PUNCTUATION = re.compile(r"[\s\W_]+")
# Longer messages carry their own question.
_MAX_ENGLISH_WORDS = 8
_MAX_CHINESE_CHARACTERS = 12
_HAN = re.compile(r"[\u4e00-\u9fff]")


def _therapies(text: str) -> Tuple[List[str], str]:
    """The therapies named in `text`, and the text without them.

    Each is taken out once found, so "穴位按摩" is acupressure and not massage too.
    """
    found = []
    for name, pattern in _SERVICE_PATTERNS:
        text, count = pattern.subn(" ", text)
        if count:
            found.append(name)
    return found, text


def _is_short(text: str) -> bool:
    han = len(_HAN.findall(text))
    words = len(re.findall(r"[a-z']+", text))
    return han <= _MAX_CHINESE_CHARACTERS and words <= _MAX_ENGLISH_WORDS


def follow_up(text: str) -> Tuple[str | None, str | None]:
    """(therapy, None) for "那针灸呢", (None, aspect) for "and for kids?", or Nones."""
    lowered = text.lower().strip()
    if not lowered or not _is_short(lowered):
        return None, None
    services, rest = _therapies(lowered)
    if len(services) == 1:
        rest = _PUNCTUATION.sub("", _FILLER.sub(" ", rest))
        return (services[0], None) if not rest else (None, None)
    if services:
        return None, None
    aspects = [name for name, pattern in _ASPECT_PATTERNS if pattern.search(lowered)]
    return (None, aspects[0]) if aspects else (None, None)


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False
)
class FollowUpDetector(GraphComponent):
    """Marks a message that leaves the therapy or the aspect to the conversation."""

    @classmethod
    def create(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> FollowUpDetector:
        """Creates the component (it has no configuration and nothing to train)."""
        return cls()

    def process(self, messages: List[Message]) -> List[Message]:
        """Marks the follow-ups among the messages."""
        for message in messages:
            service, aspect = follow_up(message.get(TEXT) or "")
            if service or aspect:
                mark(message, FOLLOW_UP, {"service": service, "aspect": aspect})
        return messages
