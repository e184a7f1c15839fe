"""A tokenizer for English, Simplified Chinese and messages that mix the two."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Dict, Iterator, List, Text, Tuple

import jieba
import opencc
from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import MESSAGE_ATTRIBUTES, TOKENS_NAMES
from rasa.nlu.tokenizers.tokenizer import Token, Tokenizer
from rasa.shared.nlu.constants import (
    ACTION_NAME,
    INTENT,
    INTENT_RESPONSE_KEY,
    RESPONSE,
)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from components.language import HAN_CHARACTER
from components.pinyin import PinyinReader, pinyin_runs
from components.sound_alike import SoundAlikes

CLINIC_DICTIONARY = Path(__file__).with_name("clinic_dict.txt")
# OpenCC's Traditional -> Simplified character table.
TRADITIONAL_TABLE = Path(opencc.__file__).parent / "dictionary" / "TSCharacters.txt"

# The runs jieba segments.
_CHINESE_RUN = re.compile(HAN_CHARACTER + "+")
# A token counts if it has a letter or digit in any script; punctuation and emoji don't.
_WORD_CHARACTER = re.compile(r"\w")


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=False
)
class BilingualTokenizer(Tokenizer):
    """Splits text into Chinese and other runs and tokenizes each on its own terms.

    Chinese runs go to jieba with the clinic's dictionary (推拿, 针灸, 拔罐, 闵行 ...),
    Traditional characters read as Simplified ("針灸" gets the lemma "针灸") and, in
    visitors' messages, voice transcripts' sound-alikes as the clinic's words ("推那"
    gets "推拿"); everything else goes to spaCy's rule-based English tokenizer, with
    lowercase lookup lemmas from spacy-lookups-data ("hurting" -> "hurt"), but for
    visitors' runs of toneless pinyin, read as the Chinese they spell and segmented by
    jieba ("zhenjiu duoshao qian": 针灸, 多少钱; components/pinyin.py). Tokens keep
    the visitor's own text and offsets. Rasa's JiebaTokenizer only accepts
    `language: zh` and WhitespaceTokenizer rejects Chinese: hence this component.
    """

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        """Returns the component's default config."""
        return {
            **Tokenizer.get_default_config(),
            "intent_tokenization_flag": False,
            "intent_split_symbol": "_",
            "token_pattern": None,
            "prefix_separator_symbol": None,
            # Extra jieba user dictionaries (one "word [freq] [tag]" per line).
            "dictionaries": [],
            # Whether to tokenize the FAQ answers in the training data. Only a
            # ResponseSelector with `use_text_as_label: true` learns from them; ours
            # learns from the response keys, and tokenizing and featurizing every
            # example's answer cost a fifth of the training time (docs/performance.md).
            "tokenize_responses": False,
            # Read voice transcripts' sound-alikes (推那, 真久) as the clinic's words
            # (components/sound_alike.py), in visitors' messages only: the training
            # data is typed, so the classifier learns exactly what it did without.
            "sound_alikes": True,
            # Read visitors' toneless pinyin ("tuina teng bu teng") as Chinese
            # (components/pinyin.py), in visitors' messages only, as sound-alikes.
            "pinyin": True,
        }

    def __init__(self, config: Dict[Text, Any]) -> None:
        """Loads jieba with the clinic's words, spaCy's English tokenizer and lemmas."""
        super().__init__(config)
        import spacy
        from spacy.lookups import load_lookups

        self._english = spacy.blank("en").tokenizer
        self._lemmas = load_lookups("en", ["lemma_lookup"]).get_table("lemma_lookup")
        self._chinese = jieba.Tokenizer()
        for dictionary in [CLINIC_DICTIONARY, *config.get("dictionaries", [])]:
            self._chinese.load_userdict(str(dictionary))
        self._to_simplified = str.maketrans(one_to_one_characters(TRADITIONAL_TABLE))
        self._sound_alikes = None
        self._reading_transcripts = True
        if config.get("sound_alikes", True):
            self._chinese.initialize()
            words = self._chinese.FREQ
            self._sound_alikes = SoundAlikes(lambda run: words.get(run, 0) > 0)
        self._reads_pinyin = config.get("pinyin", True)
        self._pinyin: PinyinReader | None = None  # built on first use (~1 s)
        self._tokenize_responses = config.get("tokenize_responses", False)

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> BilingualTokenizer:
        """Creates the component (see parent class for full docstring)."""
        return cls(config)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        """Tokenizes the training data (as Rasa's Tokenizer does), answers if asked."""
        attributes = [
            attribute
            for attribute in MESSAGE_ATTRIBUTES
            if attribute != RESPONSE or self._tokenize_responses
        ]
        # Typed text: no speech-to-text errors to read (and the classifier's
        # vocabulary stays as it was).
        self._reading_transcripts = False
        try:
            self._tokenize_training_examples(training_data, attributes)
        finally:
            self._reading_transcripts = True
        return training_data

    def _tokenize_training_examples(
        self, training_data: TrainingData, attributes: List[Text]
    ) -> None:
        for example in training_data.training_examples:
            for attribute in attributes:
                if example.get(attribute):
                    if attribute in (INTENT, ACTION_NAME, INTENT_RESPONSE_KEY):
                        tokens = self._split_name(example, attribute)
                    else:
                        tokens = self.tokenize(example, attribute)
                    example.set(TOKENS_NAMES[attribute], tokens)

    def tokenize(self, message: Message, attribute: Text) -> List[Token]:
        """Tokenizes the text of `attribute`; empty or symbol-only text is one token."""
        text = message.get(attribute) or ""
        tokens = [
            Token(text[start:end], start, end, lemma=lemma)
            for start, end, lemma in self._words(text)
            if _WORD_CHARACTER.search(lemma)
        ]
        if not tokens:
            # Featurizers expect at least one token, as with Rasa's own tokenizers.
            tokens = [Token(text, 0)]
        return self._apply_token_pattern(tokens)

    def _words(self, text: Text) -> Iterator[Tuple[int, int, Text]]:
        """Yields (start, end, lemma) for every word, in order."""
        position = 0
        for run in _CHINESE_RUN.finditer(text):
            yield from self._english_words(text[position : run.start()], position)
            simplified = run.group().translate(self._to_simplified)
            if self._sound_alikes is not None and self._reading_transcripts:
                simplified = self._sound_alikes(simplified)
            for word, start, end in self._chinese.tokenize(simplified):
                yield run.start() + start, run.start() + end, word
            position = run.end()
        yield from self._english_words(text[position:], position)

    def _english_words(
        self, text: Text, offset: int
    ) -> Iterator[Tuple[int, int, Text]]:
        tokens = [
            (offset + token.idx, offset + token.idx + len(token), token.text)
            for token in self._english(text)
            if not token.is_space
        ]
        runs = pinyin_runs(tokens) if self._reading_pinyin() else []
        position = 0
        for first, last in runs:
            yield from self._lemmatised(tokens[position:first])
            yield from self._pinyin_words(tokens[first:last])
            position = last
        yield from self._lemmatised(tokens[position:])

    def _lemmatised(
        self, tokens: List[Tuple[int, int, Text]]
    ) -> Iterator[Tuple[int, int, Text]]:
        for start, end, text in tokens:
            lower = text.lower()
            yield start, end, self._lemmas.get(lower, lower)

    def _reading_pinyin(self) -> bool:
        return self._reads_pinyin and self._reading_transcripts

    def _pinyin_words(
        self, tokens: List[Tuple[int, int, Text]]
    ) -> Iterator[Tuple[int, int, Text]]:
        """The Chinese words a run of pinyin spells, segmented as typed Chinese is."""
        if self._pinyin is None:
            self._chinese.initialize()
            self._pinyin = PinyinReader(self._chinese.FREQ.items())
        characters = self._pinyin.read(tokens)
        if characters is None:
            yield from self._lemmatised(tokens)
            return
        chinese = "".join(character for _, _, character in characters)
        for word, start, end in self._chinese.tokenize(chinese):
            yield characters[start][0], characters[end - 1][1], word


def one_to_one_characters(table: Path) -> Dict[Text, Text]:
    """Reads an OpenCC table ("source<TAB>target [alternatives]" lines) as a char map.

    Only single-character mappings are kept: they keep token offsets valid.
    """
    mapping = {}
    for line in table.read_text(encoding="utf-8").splitlines():
        source, _, targets = line.partition("\t")
        target = targets.split(" ")[0]
        if len(source) == 1 and len(target) == 1:
            mapping[source] = target
    return mapping
