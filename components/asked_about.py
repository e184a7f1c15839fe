"""Conditions and services visitors ask about by name; those the articles never name.

"does acupuncture help tinnitus", "你们做不做小针刀", "do u have electro acupuncture":
the classifier answers with the acupuncture text, on the subject and silent on what was
asked. `knowledge/asked_about.yml` lists the conditions and services visitors name, in
both languages (written apart from the labelled sets in tests/articles). When the
retriever is trained, the entries that no passage and no fixed answer name, in either
language, are kept in the model as one pattern each; a question that names one of them
is told the articles don't say, with the reception's numbers
(components/article_retriever.py). An entry the articles do name (back pain, insomnia)
changes nothing, so staff may add entries freely, and an article that comes to name one
is answered from after the next `make train`.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import (
    Any,
    Dict,
    FrozenSet,
    Iterable,
    List,
    Mapping,
    Pattern,
    Sequence,
    Tuple,
)

import yaml

from components.article_index import LANGUAGES

KINDS = ("conditions", "services")


def load_asked_about(path: Path) -> List[Dict[str, List[str]]]:
    """The entries of `path`, conditions first: {"kind", "en": [...], "zh": [...]}."""
    if not path.exists():
        return []
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    entries = []
    for kind in KINDS:
        for number, entry in enumerate(data.get(kind) or [], start=1):
            if not isinstance(entry, dict) or not any(entry.get(k) for k in LANGUAGES):
                raise ValueError(
                    f"{path}: {kind} entry {number} should have 'en:' and 'zh:' lists "
                    "of names"
                )
            entries.append(
                {
                    "kind": kind,
                    **{
                        language: [str(n).strip() for n in entry.get(language) or []]
                        for language in LANGUAGES
                    },
                }
            )
    return entries


def entry_pattern(entry: Dict[str, List[str]]) -> str:
    """One pattern for an entry's names.

    English as whole words (a plural s or es too; a space or hyphen as either, or
    none), Chinese anywhere.
    """
    english = [
        re.sub(r"\\[ -]", r"[\\s-]?", re.escape(name.lower()))
        for name in entry.get("en", [])
        if name
    ]
    chinese = [re.escape(name) for name in entry.get("zh", []) if name]
    parts = []
    if english:
        parts.append(rf"\b(?:{'|'.join(english)})(?:s|es)?\b")
    if chinese:
        parts.append("|".join(chinese))
    return "|".join(parts)


def unnamed_patterns(
    entries: Sequence[Dict[str, List[str]]],
    texts: Iterable[str],
    examples: Mapping[str, Iterable[str]],
) -> List[Dict[str, Any]]:
    """The entries that none of `texts` (passages, answers) names, as patterns.

    With each, the FAQ answers whose training examples name it (`examples`: by key):
    the classifier was taught those answers for it ("足疗店" beside spa massages, in
    the answer on how medical massage differs), and it is not left open for them.
    """
    corpus = "\n".join(texts).lower()
    taught = {key: "\n".join(texts_).lower() for key, texts_ in examples.items()}
    unnamed = []
    for entry in entries:
        pattern = entry_pattern(entry)
        if pattern and not re.search(pattern, corpus, re.IGNORECASE):
            unnamed.append(
                {
                    "pattern": pattern,
                    "kind": entry.get("kind", KINDS[0]),
                    "taught": sorted(
                        key
                        for key, said in taught.items()
                        if re.search(pattern, said, re.IGNORECASE)
                    ),
                }
            )
    return unnamed


class AskedAbout:
    """Tells whether a question names a condition or service no article names."""

    def __init__(self, unnamed: Sequence[Mapping[str, Any]]) -> None:
        """Compiles the entries kept in the model (`unnamed_patterns`)."""
        self._unnamed: List[Tuple[Pattern[str], FrozenSet[str], str]] = [
            (
                re.compile(u["pattern"], re.IGNORECASE),
                frozenset(u.get("taught", ())),
                u.get("kind", KINDS[0]),
            )
            for u in unnamed
        ]

    def names_unnamed(
        self, text: str, answer: str | None = None, kinds: Sequence[str] = KINDS
    ) -> bool:
        """Whether `text` names one of `kinds` that answer `answer` wasn't taught."""
        return any(
            kind in kinds and answer not in taught and pattern.search(text)
            for pattern, taught, kind in self._unnamed
        )
