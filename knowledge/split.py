"""The importer: drafts an article file from its .txt, or brings one up to date.

    python -m knowledge.split ../shared/articles/06-cupping.txt [--dry-run]

A new article: every paragraph becomes a passage with an id (a06-p001, ...), its
heading and fingerprint, the Chinese empty and `needs_translation: true`; a list
joins the line before it when that line ends with ":". Check the draft (title,
headings, lines to skip), translate, then `make validate` (docs/knowledge.md).

An article that has a file: the new English is aligned with the file's passages
(knowledge/sources.py). A passage keeps its id, Chinese, questions and fingerprint,
and takes the new English; as its fingerprint no longer matches, the check asks
for its Chinese to be reviewed. New paragraphs become new passages with the next
free ids; passages no longer in the source are removed, and their Chinese printed.
"""

from __future__ import annotations

import argparse
import difflib
import re
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Dict, List, Tuple

from knowledge.passages import (
    ARTICLES,
    PASSAGE_ID,
    Article,
    Passage,
    Text,
    article_id_for,
    fingerprint,
    read_article,
    write_article,
)
from knowledge.sources import (
    HEADING,
    Expected,
    SourceLine,
    align,
    quote,
    read_source,
)

# A heading: a short line that does not end like a sentence or a list's lead-in.
HEADING_MAX_WORDS = 12
_SENTENCE_END = tuple(".,;:!…。，；：！")


def is_heading(line: str) -> bool:
    """Whether a source line looks like a heading ("Tuina Massage", "When is ...?")."""
    words = line.split()
    return (
        0 < len(words) <= HEADING_MAX_WORDS
        and not line.startswith("- ")
        and not line.endswith(_SENTENCE_END)
        and (line[0].isalpha() or ord(line[0]) > 0x2000)  # a letter, Han or emoji
    )


def group(lines: List[str]) -> List[Tuple[str, List[str]]]:
    """Consecutive new lines as headings and passages (a list joins its lead-in)."""
    units: List[Tuple[str, List[str]]] = []
    for line in lines:
        last = units[-1] if units else None
        if is_heading(line):
            units.append(("heading", [line]))
        elif (
            line.startswith("- ")
            and last is not None
            and last[0] == "passage"
            and (last[1][-1].endswith(":") or last[1][-1].startswith("- "))
        ):
            last[1].append(line)
        else:
            units.append(("passage", [line]))
    return units


def guess_title(source: Path, lines: List[SourceLine]) -> str:
    """The heading most like the file's name, or the name in words."""
    slug = re.sub(r"^\d+-", "", source.stem).replace("-", " ")
    best, score = "", 0.0
    for line in lines:
        if is_heading(line.text):
            ratio = difflib.SequenceMatcher(
                None, slug.lower(), line.text.lower()
            ).ratio()
            if ratio > score:
                best, score = line.text, ratio
    return best if score >= 0.6 else slug.capitalize()


@dataclass
class Report:
    """What the importer did to an article file."""

    new: List[Passage] = field(default_factory=list)
    changed: List[Tuple[Passage, Passage]] = field(default_factory=list)
    removed: List[Passage] = field(default_factory=list)


class _Ids:
    """Passage ids of an article: new ones follow the highest, so none moves."""

    def __init__(self, article: Article) -> None:
        numbers = [
            int(m.group("number"))
            for p in article.passages
            if (m := PASSAGE_ID.match(p.id))
        ]
        self.article = article.id
        self.last = max(numbers, default=0)

    def next(self) -> str:
        self.last += 1
        return f"{self.article}-p{self.last:03d}"


# A changed line keeps its passage when it is at least this like the old line
# (difflib's ratio); a paragraph rewritten beyond it is a new passage to translate.
SAME_LINE = 0.4


def _owners(
    expected: List[Expected], compared: List[SourceLine], opcodes: list
) -> List[Expected | None]:
    """For each source line, the line of the file it is (perhaps edited), or None."""
    owners: List[Expected | None] = [None] * len(compared)
    for tag, i1, i2, j1, j2 in opcodes:
        if tag == "equal":
            owners[j1:j2] = expected[i1:i2]
        elif tag == "replace":
            # In order, each new line with the next old line it is like.
            start = i1
            for j in range(j1, j2):
                for i in range(start, i2):
                    ratio = difflib.SequenceMatcher(
                        None, expected[i].line, compared[j].text
                    ).ratio()
                    if ratio >= SAME_LINE:
                        owners[j], start = expected[i], i + 1
                        break
    return owners


def _continues_list(lines: List[str]) -> bool:
    return bool(lines) and (lines[-1].endswith(":") or lines[-1].startswith("- "))


def merge(article: Article, source: List[SourceLine]) -> Tuple[Article, Report]:
    """The article with the source's English, ids and translations carried over.

    A passage's heading is the source's last heading before it; a passage whose
    heading is none of the source's (the page header's) keeps it, unless a new
    heading now stands before it (a heading renamed).
    """
    expected, compared, opcodes = align(article, source)
    owners = _owners(expected, compared, opcodes)
    by_id = {p.id: p for p in article.passages}
    in_source = {line.text for line in compared}
    chinese = {p.section.en: p.section.zh for p in article.passages}
    ids = _Ids(article)
    report = Report()
    lines: Dict[str, List[str]] = {}
    sections: Dict[str, Text] = {}
    renamed: Dict[str, str] = {}
    order: List[str] = []
    new: Dict[str, Passage] = {}
    current: str | None = None  # the last heading of the source so far
    fresh = False  # a heading seen since the last passage
    last: str | None = None  # the passage of the previous line

    def heading(text: str) -> None:
        nonlocal current, fresh, last
        current, fresh, last = text, True, None

    def add_new(text_lines: List[str]) -> None:
        nonlocal fresh, last
        heading = current or article.title.en  # before any heading: the title's
        section = Text(heading, chinese.get(heading, ""))
        text = "\n".join(text_lines)
        passage = Passage(
            id=ids.next(),
            article=article.id,
            title=article.title,
            section=section,
            text=Text(text, ""),
            fingerprint=fingerprint(section.en, text),
            needs_translation=True,
        )
        new[passage.id] = passage
        lines[passage.id] = text_lines
        order.append(passage.id)
        fresh, last = False, passage.id

    def section_of(passage: Passage) -> Text:
        old = passage.section
        if old.en in in_source:  # a published heading: the one above it now
            en = current or old.en
            return Text(en, old.zh if en == old.en else chinese.get(en, ""))
        if fresh and current and current not in chinese:  # its heading, reworded
            return Text(renamed.setdefault(old.en, current), old.zh)
        return Text(renamed.get(old.en, old.en), old.zh)  # the page header's

    for line, owner in zip(compared, owners, strict=True):
        if owner is not None and owner.kind == HEADING:
            heading(line.text)
        elif owner is None:
            if (
                last is not None
                and line.text.startswith("- ")
                and _continues_list(lines[last])
            ):
                lines[last].append(line.text)  # a new item of a list
            elif is_heading(line.text):
                heading(line.text)
            else:
                add_new([line.text])
        else:
            passage_id = owner.passage_id
            if passage_id not in lines:
                sections[passage_id] = section_of(by_id[passage_id])
                lines[passage_id] = []
                order.append(passage_id)
            lines[passage_id].append(line.text)
            fresh, last = False, passage_id

    passages: List[Passage] = []
    for passage_id in order:
        if passage_id in new:
            passage = new[passage_id]
            text = "\n".join(lines[passage_id])
            passages.append(
                replace(
                    passage,
                    text=Text(text, ""),
                    fingerprint=fingerprint(passage.section.en, text),
                )
            )
            continue
        old = by_id[passage_id]
        updated = replace(
            old,
            section=sections[passage_id],
            text=Text("\n".join(lines[passage_id]), old.text.zh),
        )
        if (updated.section.en, updated.text.en) != (old.section.en, old.text.en):
            report.changed.append((old, updated))
        passages.append(updated)
    report.new = [p for p in passages if p.id in new]
    report.removed = [p for p in article.passages if p.id not in lines]
    return replace(article, passages=passages), report


def draft(source_path: Path) -> Article:
    """A new article with no passages yet, its id and title from the file."""
    title = guess_title(source_path, read_source(source_path))
    return Article(
        id=article_id_for(source_path.name),
        source=source_path.name,
        title=Text(title, ""),
        passages=[],
    )


def import_article(
    source_path: Path, articles: Path = ARTICLES, dry_run: bool = False
) -> Tuple[Path, Article, Report]:
    """Drafts or updates the article file of `source_path`; returns what changed."""
    target = articles / f"{source_path.stem}.yml"
    existing = read_article(target) if target.exists() else draft(source_path)
    article, report = merge(existing, read_source(source_path))
    if not dry_run:
        write_article(article, target)
    return target, article, report


def describe(target: Path, article: Article, report: Report, dry_run: bool) -> str:
    """What the importer did, and what to do next, for people."""
    verb = "would write" if dry_run else "wrote"
    out = [
        f"{verb} {target}: {len(article.passages)} passages, {len(report.new)} new, "
        f"{len(report.changed)} changed, {len(report.removed)} removed."
    ]
    for passage in report.new:
        out.append(
            f"  new      {passage.id} {quote(passage.text.en)}: translate it (zh:), "
            f"then `python -m knowledge.check --reviewed {passage.id}`."
        )
    for _old, passage in report.changed:
        out.append(
            f"  changed  {passage.id} {quote(passage.text.en)}: its Chinese was "
            "kept; review it against the new English, then `python -m "
            f"knowledge.check --reviewed {passage.id}`."
        )
    for passage in report.removed:
        out.append(
            f"  removed  {passage.id} {quote(passage.text.en)} (no longer in the "
            f"source); its Chinese was: {passage.text.zh or '(none)'}"
        )
    if not (report.new or report.changed or report.removed):
        out.append("  The file already matches its source.")
    if report.new and not article.title.zh:
        out.append(
            "  Check the draft: the title, each passage's section (the page's "
            "header and footer), lines to move to 'skipped:' (navigation, image "
            "names), then translate (docs/knowledge.md)."
        )
    out.append("Then: make validate")
    return "\n".join(out)


def main(argv: List[str] | None = None) -> int:
    """Drafts or updates the article file of each source .txt given."""
    parser = argparse.ArgumentParser(
        prog="python -m knowledge.split", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("sources", nargs="+", type=Path, help="article .txt files")
    parser.add_argument("--articles", type=Path, default=ARTICLES)
    parser.add_argument(
        "--dry-run", action="store_true", help="report only; write nothing"
    )
    args = parser.parse_args(argv)
    for source in args.sources:
        if not source.is_file():
            print(f"{source}: no such file", file=sys.stderr)
            return 1
        target, article, report = import_article(source, args.articles, args.dry_run)
        print(describe(target, article, report, args.dry_run))
    return 0


if __name__ == "__main__":
    sys.exit(main())
