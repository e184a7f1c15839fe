"""Reads sound-alike characters in voice transcripts as the clinic's words.

Most local patients write to the WeChat account by voice, and speech-to-text picks any
characters that sound right: 推那 for 推拿, 真久 for 针灸, 按磨 for 按摩, 中要 for 中药,
去别 for 区别. A run of characters that is not itself a word, and whose every
character can be read with the syllables of one of the clinic's terms (tones ignored,
as speech-to-text ignores them), is read as that term. Real words that sound the same
keep their meaning: 重要 ("important") is a word, so it is not read as 中药, and 民航 is
not read as 闵行.

The replacement has the same length as what it replaces, so token offsets into the
visitor's own text stay valid (components/bilingual_tokenizer.py uses it on each
Chinese run, after Traditional -> Simplified).
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from typing import Callable, Dict, FrozenSet, List, Tuple

from pypinyin.pinyin_dict import pinyin_dict

# The clinic's words visitors say, which speech-to-text gets wrong. Each is a word a
# visitor needs understood; common everyday words are not here, since their
# sound-alikes are often other everyday words; 收费 and 预约 are here because a
# visitor asking for prices or a booking must be understood (手费, 语约). Nor are
# compounds of a term and a common syllable: 推拿师 would turn "推拿是..." ("tuina
# is...") into "tuina therapist". 电池 is not either, though a swallowed battery is a
# red flag: 点吃 ("order food") sounds the same; the red-flag rule reads 电齿 itself.
TERMS = (
    "推拿", "针灸", "按摩", "中药", "中医", "区别", "拔罐", "刮痧", "穴位", "点穴",
    "闵行", "医疗按摩", "理疗", "颈椎", "腰椎", "肩周炎", "正骨", "整骨", "整脊",
    "经络", "艾灸", "疗程", "穴位按摩", "小儿推拿", "收费", "预约",
)  # fmt: skip
_MIN_TERM, _MAX_TERM = 2, 4


@lru_cache(maxsize=8192)
def readings(character: str) -> FrozenSet[str]:
    """The character's syllables without tones ("行" -> {"xing", "hang", "heng"})."""
    listed = pinyin_dict.get(ord(character))
    if not listed:
        return frozenset()
    return frozenset(_toneless(syllable) for syllable in listed.split(","))


def _toneless(syllable: str) -> str:
    decomposed = unicodedata.normalize("NFD", syllable)
    plain = "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
    return plain.replace("ü", "v")


def _term_syllables() -> Dict[int, List[Tuple[str, Tuple[FrozenSet[str], ...]]]]:
    by_length: Dict[int, List[Tuple[str, Tuple[FrozenSet[str], ...]]]] = {}
    for term in TERMS:
        by_length.setdefault(len(term), []).append(
            (term, tuple(readings(character) for character in term))
        )
    return by_length


_TERMS_BY_LENGTH = _term_syllables()
# How a term can begin: most characters sound like none of these and are passed over.
_FIRST_SYLLABLES = frozenset().union(
    *(syllables[0] for terms in _TERMS_BY_LENGTH.values() for _, syllables in terms)
)


def _sounds_like(window: str, term: Tuple[FrozenSet[str], ...]) -> bool:
    return all(
        readings(c) & syllables for c, syllables in zip(window, term, strict=True)
    )


class SoundAlikes:
    """Replaces sound-alikes of TERMS in Chinese text that are not words themselves."""

    def __init__(self, is_word: Callable[[str], bool]) -> None:
        """`is_word` says whether a run of characters is a word in its own right."""
        self._is_word = is_word

    def __call__(self, text: str) -> str:
        """`text` with each sound-alike of a clinic term replaced by the term."""
        characters = list(text)
        position = 0
        while position < len(characters):
            replaced = self._replacement_at(characters, position)
            if replaced:
                characters[position : position + len(replaced)] = replaced
                position += len(replaced)
            else:
                position += 1
        return "".join(characters)

    def _replacement_at(self, characters: List[str], position: int) -> str | None:
        if not readings(characters[position]) & _FIRST_SYLLABLES:
            return None
        # Longest first: 医疗按么 is 医疗按摩, not 医疗 + 按么.
        for length in range(_MAX_TERM, _MIN_TERM - 1, -1):
            window = "".join(characters[position : position + length])
            if len(window) < length:
                continue
            for term, syllables in _TERMS_BY_LENGTH.get(length, ()):
                if window == term:
                    return term  # already right: the next window starts after it
                if _sounds_like(window, syllables) and not self._is_word(window):
                    return term
        return None
