"""Which language a visitor writes in, and which one they ask for."""

from __future__ import annotations

import re
from typing import Any, Dict, List

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import TOKENS_NAMES
from rasa.shared.nlu.constants import (
    ENTITIES,
    ENTITY_ATTRIBUTE_CONFIDENCE,
    ENTITY_ATTRIBUTE_END,
    ENTITY_ATTRIBUTE_START,
    ENTITY_ATTRIBUTE_TYPE,
    ENTITY_ATTRIBUTE_VALUE,
    EXTRACTOR,
    INTENT,
    INTENT_NAME_KEY,
    METADATA,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message

from components.article_policy import ARTICLE
from components.follow_up import read_mark

ENGLISH = "en"
CHINESE = "zh"
LANGUAGE_ENTITY = "language"
SWITCH_LANGUAGE_INTENT = "switch_language"

# Han ideographs, with extension A and compatibility forms.
HAN_CHARACTER = r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]"
_CJK = re.compile(HAN_CHARACTER)
_LATIN_WORD = re.compile(r"[A-Za-z\u00c0-\u024f]+")
# Particles and function words that only appear when the sentence itself is Chinese:
# "Body & Soul在哪" is Chinese although its CJK characters are few, while
# "what is 拔罐" is English with a Chinese term in it.
_CHINESE_GRAMMAR = re.compile(
    r"[吗呢吧啊呀嘛么哪的了是在有没不能会要想我你您请怎多几谁]"
)
_ASKS_FOR_CHINESE = re.compile(
    r"chinese|mandarin|putonghua|zhongwen|中文|汉语|漢語|普通话|国语|华语",
    re.IGNORECASE,
)
_ASKS_FOR_ENGLISH = re.compile(r"english|英文|英语|英語", re.IGNORECASE)


def detect_language(text: str) -> str | None:
    """Returns "zh" or "en" for the language of `text`, None if it has no words.

    Mostly-Chinese and code-switched messages with Chinese grammar ("推拿 hurt吗",
    "tuina多少钱") are Chinese; English sentences quoting a Chinese term are English.
    Button payloads ("/intent{...}") carry no language of their own.
    """
    if not text or text.lstrip().startswith("/"):
        return None
    cjk = len(_CJK.findall(text))
    latin_words = len(_LATIN_WORD.findall(text))
    if cjk == 0 and latin_words == 0:
        return None
    if cjk > latin_words or (cjk and _CHINESE_GRAMMAR.search(text)):
        return CHINESE
    return ENGLISH


def read_as_chinese(tokens: List[Any]) -> bool:
    """Whether most words were typed in toneless pinyin ("ni shi jiqiren ma").

    The tokenizer reads pinyin as the Chinese it spells (components/pinyin.py): the
    token keeps the visitor's letters and gets a Chinese lemma. Someone who types
    Chinese without a Chinese keyboard reads the reply in Chinese.
    """
    words = [t for t in tokens if _LATIN_WORD.search(t.text) or _CJK.search(t.text)]
    spelled = [t for t in words if _CJK.search(t.lemma) and not _CJK.search(t.text)]
    return bool(words) and len(spelled) * 2 > len(words)


def language_hint(metadata: Dict[str, Any] | None) -> str | None:
    """Returns "en" or "zh" for a channel's hint ("zh-CN", "en_US", "zh"), else None."""
    hint = str((metadata or {}).get("language") or "").strip().lower()
    primary = hint.replace("_", "-").split("-")[0]
    return primary if primary in (ENGLISH, CHINESE) else None


def requested_language(text: str) -> str | None:
    """Returns the language a "can you speak Chinese" / "说英文" message asks for."""
    wants_chinese = bool(_ASKS_FOR_CHINESE.search(text))
    wants_english = bool(_ASKS_FOR_ENGLISH.search(text))
    if wants_chinese and wants_english:
        # "不要中文，说英文" / "chinese instead of english": the one not written in.
        return ENGLISH if detect_language(text) == CHINESE else CHINESE
    if wants_chinese:
        return CHINESE
    if wants_english:
        return ENGLISH
    return None


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False
)
class LanguageDetector(GraphComponent):
    """Adds a `language` entity ("en" / "zh") that the `language` slot is filled from.

    Placed after the intent classifier, so a `switch_language` message sets the language
    it asks for rather than the one it is written in.

    A message without words (emoji, digits, a button payload) takes the channel's hint
    in `metadata.language` if it has one: channels know the visitor's likely language
    before they write (the web page's `lang`, WeChat's Chinese default) and send it with
    the first message of a conversation. Otherwise it adds nothing and the conversation
    keeps its language.
    """

    @classmethod
    def create(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> LanguageDetector:
        """Creates the component (it has no configuration and nothing to train)."""
        return cls()

    def process(self, messages: List[Message]) -> List[Message]:
        """Adds the language entity to each message that has words in it."""
        for message in messages:
            text = message.get(TEXT) or ""
            language = detect_language(text) or language_hint(message.get(METADATA))
            tokens = message.get(TOKENS_NAMES[TEXT]) or []
            if language == ENGLISH and read_as_chinese(tokens):
                language = CHINESE
            intent = (message.get(INTENT) or {}).get(INTENT_NAME_KEY)
            # Not when the articles answer it: "does Joe Teh speak English" asks
            # about him (components/article_retriever.py), in the language it is in.
            if (
                language
                and intent == SWITCH_LANGUAGE_INTENT
                and not read_mark(message.data, ARTICLE)
            ):
                language = requested_language(text) or language
            if language:
                entity = {
                    ENTITY_ATTRIBUTE_TYPE: LANGUAGE_ENTITY,
                    ENTITY_ATTRIBUTE_VALUE: language,
                    ENTITY_ATTRIBUTE_START: 0,
                    ENTITY_ATTRIBUTE_END: len(text),
                    ENTITY_ATTRIBUTE_CONFIDENCE: 1.0,
                    EXTRACTOR: self.__class__.__name__,
                }
                message.set(
                    ENTITIES, [*message.get(ENTITIES, []), entity], add_to_output=True
                )
        return messages
