"""An article file against its source .txt: which source line is in which passage.

Both sides are lines, normalised (`passages.normalise_line`). The source's lines,
less the title and the lines the file skips, are aligned with the lines the file
expects in order (each section's heading, then each passage's lines) by difflib.
The check reports what does not line up; the importer uses the same alignment to
carry ids and translations over to the new English.
"""

from __future__ import annotations

from dataclasses import dataclass
from difflib import SequenceMatcher
from pathlib import Path
from typing import List, NamedTuple, Tuple

from knowledge.passages import Article, normalise_line

HEADING = "heading"
PASSAGE = "passage"
# How many characters of a line a message quotes.
QUOTE = 70


class Expected(NamedTuple):
    """A line the article file says the source has, and whose it is."""

    line: str
    kind: str  # HEADING or PASSAGE
    passage_id: str  # the passage (a heading: the first passage of its section)


class SourceLine(NamedTuple):
    """A non-empty line of the source .txt, normalised, with its line number."""

    number: int
    text: str


@dataclass
class Difference:
    """Lines of the file and of the source that do not match (a difflib opcode)."""

    tag: str  # "replace", "delete" (only in the file) or "insert" (only in the source)
    expected: List[Expected]
    source: List[SourceLine]


def read_source(path: Path) -> List[SourceLine]:
    """The source's non-empty lines, normalised, numbered as in the file."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [
        SourceLine(number, text)
        for number, raw in enumerate(lines, start=1)
        if (text := normalise_line(raw))
    ]


def free_lines(article: Article) -> set:
    """Source lines that are in no passage on purpose: the title and skipped lines."""
    return {article.title.en} | {skipped.text for skipped in article.skipped}


def expected_lines(article: Article, present: set) -> List[Expected]:
    """What the file expects the source to say, in order.

    A heading is expected only where the source has it: the passages of a page's
    header and footer have a heading of the file's own (docs/knowledge.md).
    """
    expected: List[Expected] = []
    previous: str | None = None
    for passage in article.passages:
        if passage.section.en != previous and passage.section.en in present:
            expected.append(Expected(passage.section.en, HEADING, passage.id))
        previous = passage.section.en
        expected.extend(
            Expected(line, PASSAGE, passage.id) for line in passage.text.en.splitlines()
        )
    return expected


def align(
    article: Article, source: List[SourceLine]
) -> Tuple[List[Expected], List[SourceLine], List[Tuple[str, int, int, int, int]]]:
    """The expected lines, the source lines compared and difflib's opcodes."""
    free = free_lines(article)
    compared = [line for line in source if line.text not in free]
    expected = expected_lines(article, {line.text for line in compared})
    matcher = SequenceMatcher(
        None, [e.line for e in expected], [s.text for s in compared], autojunk=False
    )
    return expected, compared, matcher.get_opcodes()


def differences(article: Article, source: List[SourceLine]) -> List[Difference]:
    """Where the article file and its source disagree; empty when they agree."""
    expected, compared, opcodes = align(article, source)
    return [
        Difference(tag, expected[i1:i2], compared[j1:j2])
        for tag, i1, i2, j1, j2 in opcodes
        if tag != "equal"
    ]


def quote(text: str) -> str:
    """A line shortened for a message."""
    return f"'{text}'" if len(text) <= QUOTE else f"'{text[: QUOTE - 3]}...'"
