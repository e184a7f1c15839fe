"""Splits a message into the questions it asks: "where are you and does tuina hurt?".

Pure text work, used by the sentence-encoder classifier, which then decides whether
two parts really ask two different things. A part must read as a question (a question
mark, a question word or a Chinese question particle): a story before the question
("my back has hurt for years. does tuina help?") is one question, not two.
"""

from __future__ import annotations

import re
from typing import List

# Sentence ends, and "and" / "还有" / "另外" before a new question.
_QUESTION_START = (
    r"(?:does|do|is|are|can|could|how|what|where|when|which|who|will|would|should|"
    r"may|any|whats|what's|r(?=\s+(?:u|you|there|they|ur|your)\b))\b"
)
_BOUNDARY = re.compile(
    r"(?<=[?？!！。;；\n])\s*"
    rf"|,?\s+(?:and|also|plus|oh and|and also)\s+(?={_QUESTION_START})"
    r"|[，,]?\s*(?:还有|另外|以及|顺便问一下|顺便问下|再问一下|也想问一下|也想问)[，,]?\s*"
    r"|(?<=[吗呢])[，,\s]*(?=[\u4e00-\u9fff])"
)
# "if I cancel the day before do I get my money back": a condition, then the question.
# "…, is that allowed", "…, any issue doing acupuncture before a flight", "ok to hit
# the gym right after tuina": a question after a clause, or asking leave.
_ENGLISH_QUESTION = re.compile(
    rf"\?|^\s*{_QUESTION_START}|[,;]\s*{_QUESTION_START}"
    r"|^\s*(?:is it |it'?s )?ok(?:ay)? (?:to|if)\b"
    r"|^\s*(?:if|after|before|once)\b.{3,}?[\s,]"
    r"(?:do|does|is|are|can|will|should|would)\s+(?:i|we|you|it|they|my|the)\b",
    re.IGNORECASE,
)
# "A 不 A" asks too: 能不能, 做不做, 算不算, 可不可以; "不不不" refuses.
# 啥 and 咋 are what and how; "能治耳鸣不", "开门不": a question ending in 不.
_CHINESE_QUESTION = re.compile(
    r"[？?]|[吗呢么嘛]\s*$|什么|怎么|怎样|多少|哪|几|是否|有没有|吗|啥|咋"
    r"|[\u4e00-\u9fff]不\s*$|[能会可要行好有是吃喝做去来用开]不(?=\s|[，,。!！])"
    r"|((?!不)[\u4e00-\u9fff])不\1"
)
# The shortest part worth classifying on its own ("多少钱" is three characters).
_MIN_LENGTH = 3
# A guess at the answer to the question before it, not a question of its own: "how
# long does a session last? 45 mins? an hour?", "glass cups? or the pump ones?",
# "一个小时？".
_GUESS = re.compile(
    r"^(?:or\s+)?(?:about\s+|like\s+|maybe\s+)?(?:an?|one|half an?|\d+(?:\s*-\s*\d+)?"
    r"|two|three|four|five|ten|twenty|thirty)\s*(?:mins?|minutes?|hours?|hrs?|days?"
    r"|weeks?|months?|years?|times?|sessions?)\s*\??$"
    rf"|^or\s+(?!{_QUESTION_START})[^?]{{1,40}}\??$"
    r"|^(?:还是)?(?:大概|差不多)?[\d一二两三四五六七八九十半]+\s*(?:个)?(?:分钟|小时|天|周|次)"
    r"(?:左右)?\s*[?？]?$",
    re.IGNORECASE,
)


def is_question(part: str) -> bool:
    """Whether `part` reads as a question in English or Chinese."""
    if _GUESS.match(part.strip()):
        return False
    return bool(_ENGLISH_QUESTION.search(part) or _CHINESE_QUESTION.search(part))


def question_parts(text: str) -> List[str]:
    """The questions in `text`, in order; [] when it asks fewer than two."""
    parts = [p.strip(" ,，.。") for p in _BOUNDARY.split(text.strip())]
    questions = [p for p in parts if len(p) >= _MIN_LENGTH and is_question(p)]
    return questions if len(questions) >= 2 else []


# "I'm not asking about the price, just where ...", "不是问针灸，是问拔罐 ...": a
# negated first clause, then what is asked instead.
_CONTRAST = re.compile(
    r"^(?P<negated>.*?(?:\bnot\b|n't\b|\bno\b|\bforget\b|不是|不用|不要|别|先不).{2,}?)"
    r"(?:[,，;；.。!！]\s*|\s+)(?:(?:but|just|only|rather|instead)\b[\s,]*|"
    r"(?:而是|只是|就是|我是|是问|是想|我想|我要|只想|想问|我需要))"
    r"(?P<asked>.{4,})$",
    re.IGNORECASE | re.DOTALL,
)
_CLAUSE_BREAK = re.compile(
    r"^(?P<negated>.*?(?:\bnot\b|n't\b|\bno\b|\bforget\b|不是|不用|不要|别|先不).{2,}?)"
    r"[,，;；]\s*(?P<asked>.{4,})$",
    re.IGNORECASE | re.DOTALL,
)


def asked_instead(text: str) -> str | None:
    """What a message asks after setting something aside, or None.

    "no I don't want a spa massage, I want to know what medical massage is" asks the
    second clause; "不用了" sets nothing aside and asks nothing.
    """
    for pattern in (_CONTRAST, _CLAUSE_BREAK):
        found = pattern.match(text.strip())
        if found:
            return found.group("asked").strip(" ,，.。")
    return None
