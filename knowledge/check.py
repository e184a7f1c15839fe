"""The drift check: every passage translated, reviewed, and true to its source.

    python -m knowledge.check                      # what `make validate` runs too
    python -m knowledge.check --reviewed a01-p007  # after re-reading its Chinese

Errors (each says which passage and what to do):
- a file that cannot be read, a duplicated article or passage id, a malformed id;
- a title, heading or passage without Chinese, or still `needs_translation`;
- a passage whose English (heading and text) no longer has the fingerprint its
  Chinese was reviewed against;
- a number of the English (a phone number, "2-4 days") missing from the Chinese,
  or a list whose Chinese has another number of lines;
- an article file whose English differs from its source .txt, a source line in no
  passage and not skipped, a source with no article file, or none for a file.
The sources are `../shared/articles` (or $KNOWLEDGE_SOURCES); when that folder is
missing (a clone without it) the comparison with them is skipped, with a warning.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import defaultdict
from dataclasses import replace
from pathlib import Path
from typing import Dict, Iterator, List

from knowledge.passages import (
    ARTICLE_ID,
    ARTICLES,
    PASSAGE_ID,
    ROOT,
    SOURCES,
    Article,
    ArticleFormatError,
    Passage,
    article_files,
    read_article,
    write_article,
)
from knowledge.sources import HEADING, differences, quote, read_source
from staff.checks import HAN_CHARACTER, Problem, print_problems

_HAN = re.compile(HAN_CHARACTER)
# A number as the articles write it: "2,000" is 2000; "6345 5101" two numbers.
_NUMBER = re.compile(r"\d+(?:,\d{3})*")


def numbers(text: str) -> List[str]:
    """The numbers in a text, thousands separators removed."""
    return [n.replace(",", "") for n in _NUMBER.findall(text)]


def _relative(path: Path) -> str:
    try:
        return str(path.relative_to(ROOT))
    except ValueError:
        return str(path)


def check_passage(passage: Passage) -> Iterator[Problem]:
    """A passage's Chinese is there, reviewed against its English, and complete."""

    def problem(message: str) -> Problem:
        return Problem(passage.path, passage.line, f"passage {passage.id}: {message}")

    match = PASSAGE_ID.match(passage.id)
    if not match or match.group("article") != passage.article:
        yield problem(
            f"its id should be '{passage.article}-p' and three digits (the next "
            "free number of this article, e.g. "
            f"{passage.article}-p042); ids never change once given."
        )
    if not passage.section.en:
        yield problem("its 'section:' has no English heading ('en:').")
    if not passage.section.zh:
        yield problem(
            f"its heading '{passage.section.en}' has no Chinese: write it in "
            "'section:' under 'zh:'."
        )
    if not passage.text.zh or passage.needs_translation:
        yield problem(
            "it has no reviewed Chinese translation. Write the Chinese under 'zh:', "
            "re-read it against the English, then run `python -m knowledge.check "
            f"--reviewed {passage.id}` (it deletes 'needs_translation: true')."
        )
        return
    if not passage.fingerprint:
        yield problem(
            "its Chinese has no record of a review (no 'fingerprint:'). Re-read it "
            "against the English, then run `python -m knowledge.check --reviewed "
            f"{passage.id}`."
        )
    elif passage.fingerprint != passage.current_fingerprint:
        yield problem(
            "its English (heading or text) changed since its Chinese was last "
            f"reviewed (fingerprint {passage.fingerprint}, now "
            f"{passage.current_fingerprint}). Re-read the Chinese against the "
            "English and correct it, then run `python -m knowledge.check --reviewed "
            f"{passage.id}` (or set 'fingerprint: {passage.current_fingerprint}')."
        )
    if not _HAN.search(passage.text.zh):
        yield problem("its 'zh:' has no Chinese characters.")
    missing = [n for n in numbers(passage.text.en) if n not in passage.text.zh]
    if missing:
        yield problem(
            f"its Chinese lacks {', '.join(missing)} from the English: numbers, "
            "phone numbers and room numbers are written in Arabic digits, as in "
            "the English."
        )
    en_lines, zh_lines = passage.text.en.splitlines(), passage.text.zh.splitlines()
    if len(en_lines) != len(zh_lines):
        yield problem(
            f"its English has {len(en_lines)} lines and its Chinese {len(zh_lines)}: "
            "translate line by line (a list item per line), so that both say the "
            "same in the same order."
        )
    for language in ("en", "zh"):
        for question in passage.questions.get(language, ()):
            if (language == "zh") != bool(_HAN.search(question)):
                yield problem(
                    f"the question '{question}' is under 'questions: {language}:' "
                    "but is not in that language."
                )


def check_source(article: Article, sources: Path) -> Iterator[Problem]:
    """The article file's English is its source .txt's, every line accounted for."""
    path = sources / article.source
    if not path.is_file():
        yield Problem(
            article.path,
            1,
            f"its source '{article.source}' is not in {sources}: put the article's "
            "text there, or correct 'source:'.",
        )
        return
    where = f"{_relative(path)}"
    by_id = {p.id: p for p in article.passages}
    source = read_source(path)
    published = {line.text for line in source}
    for skipped in article.skipped:
        if skipped.text not in published:
            yield Problem(
                article.path,
                1,
                f"the skipped line {quote(skipped.text)} is not in {where} any more: "
                "delete it from 'skipped:'.",
                level="warning",
            )
    for difference in differences(article, source):
        passages = [by_id[e.passage_id] for e in difference.expected]
        if difference.tag == "insert":
            for line in difference.source:
                yield Problem(
                    article.path,
                    1,
                    f"{where}, line {line.number}, {quote(line.text)}, is in no "
                    "passage: the article changed. Run `python -m knowledge.split "
                    f"{where}` to add it as a passage (or list it under 'skipped:' "
                    "with the reason), then translate it.",
                )
            continue
        first = passages[0]
        headings = [e for e in difference.expected if e.kind == HEADING]
        what = "heading" if len(headings) == len(difference.expected) else "English"
        if difference.tag == "delete":
            yield Problem(
                first.path,
                first.line,
                f"passage {first.id}: its {what} {quote(difference.expected[0].line)} "
                f"is not in {where} any more: the article changed. Run `python -m "
                f"knowledge.split {where}`; it removes passages no longer published.",
            )
            continue
        line = difference.source[0]
        yield Problem(
            first.path,
            first.line,
            f"passage {first.id}: its {what} differs from {where}, line "
            f"{line.number} ({quote(difference.expected[0].line)} there reads "
            f"{quote(line.text)}): the article changed. Run `python -m "
            f"knowledge.split {where}` to take the new English (it keeps the "
            "Chinese), then review the Chinese.",
        )


def check_articles(
    articles: List[Article], sources: Path | None = SOURCES
) -> List[Problem]:
    """Every problem of the article files, errors first, by file and line."""
    problems: List[Problem] = []
    article_paths: Dict[str, List[str]] = defaultdict(list)
    seen: Dict[str, Passage] = {}
    for article in articles:
        article_paths[article.id].append(article.path)
        if not ARTICLE_ID.match(article.id):
            problems.append(
                Problem(
                    article.path,
                    1,
                    f"'article: {article.id}' should be 'a' and the number the "
                    "source's file name starts with (06-cupping.txt: a06).",
                )
            )
        for field, value in (("en", article.title.en), ("zh", article.title.zh)):
            if not value:
                problems.append(
                    Problem(article.path, 1, f"the title has no '{field}:'.")
                )
        for passage in article.passages:
            if passage.id in seen:
                other = seen[passage.id]
                problems.append(
                    Problem(
                        passage.path,
                        passage.line,
                        f"passage {passage.id}: the id is also used at {other.path}:"
                        f"{other.line}. Give this one the next free id of its "
                        "article; never change an id already given.",
                    )
                )
            seen.setdefault(passage.id, passage)
            problems.extend(check_passage(passage))
        if sources is not None and sources.is_dir():
            problems.extend(check_source(article, sources))
    for article_id, paths in article_paths.items():
        if len(paths) > 1:
            problems.append(
                Problem(
                    paths[1], 1, f"'article: {article_id}' is also {paths[0]}'s id."
                )
            )
    if sources is not None and sources.is_dir():
        imported = {article.source for article in articles}
        for path in sorted(sources.glob("*.txt")):
            if path.name not in imported:
                problems.append(
                    Problem(
                        _relative(path),
                        1,
                        "this article has no article file yet: run `python -m "
                        f"knowledge.split {_relative(path)}`, then translate it.",
                    )
                )
    elif sources is not None:
        problems.append(
            Problem(
                _relative(sources),
                1,
                "the articles' sources are not here, so the article files were not "
                "compared with them (set KNOWLEDGE_SOURCES to their folder).",
                level="warning",
            )
        )
    return sorted(problems, key=lambda p: (p.level != "error", p.path, p.line))


def run_checks(
    directory: Path = ARTICLES, sources: Path | None = SOURCES
) -> List[Problem]:
    """Reads every article file and checks it; unreadable files are problems too."""
    articles: List[Article] = []
    problems: List[Problem] = []
    for path in article_files(directory):
        try:
            articles.append(read_article(path))
        except ArticleFormatError as error:
            problems.append(Problem(error.path, error.line, error.message))
    return problems + check_articles(articles, sources)


def mark_reviewed(names: List[str], directory: Path = ARTICLES) -> List[str]:
    """Records that these passages' (or articles') Chinese was reviewed as it is."""
    done: List[str] = []
    for path in article_files(directory):
        article = read_article(path)
        passages = []
        for passage in article.passages:
            if passage.id in names or article.id in names:
                if not passage.text.zh:
                    raise SystemExit(f"{passage.id} has no Chinese to review yet.")
                passage = replace(
                    passage,
                    fingerprint=passage.current_fingerprint,
                    needs_translation=False,
                )
                done.append(passage.id)
            passages.append(passage)
        if passages != article.passages:
            write_article(replace(article, passages=passages), path)
    return done


def main(argv: List[str] | None = None) -> int:
    """Checks the article files (exit 1 on errors), or records reviews."""
    parser = argparse.ArgumentParser(
        prog="python -m knowledge.check", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument(
        "--reviewed",
        nargs="+",
        metavar="ID",
        help="passage ids (a01-p007) or article ids (a01) whose Chinese was "
        "re-read against the English as it is now",
    )
    args = parser.parse_args(argv)
    if args.reviewed:
        done = mark_reviewed(args.reviewed)
        unknown = set(args.reviewed) - set(done) - {p.split("-")[0] for p in done}
        for name in sorted(unknown):
            print(f"{name}: no such passage or article", file=sys.stderr)
        print(f"Recorded the review of {len(done)} passage(s): {', '.join(done)}")
        return 1 if unknown else 0
    errors = print_problems(run_checks())
    if not errors:
        print(
            "The articles' passages are translated, reviewed and true to the sources."
        )
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
