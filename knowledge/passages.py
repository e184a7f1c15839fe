"""The article files read into `Passage` objects, and written back in one format.

An article file (`knowledge/articles/NN-slug.yml`, format in docs/knowledge.md) holds
the article's title, its source .txt and its passages in order, each with the
English as published and the team's Chinese. The fingerprint of a passage is the
English (heading and text) its Chinese was last reviewed against.

    from knowledge.passages import load_passages
    for passage in load_passages(): print(passage.id, passage.source("zh"))
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, Iterable, List, NamedTuple, Tuple

import yaml

ROOT = Path(__file__).resolve().parents[1]
ARTICLES = ROOT / "knowledge" / "articles"
# The clinic's published articles, next to the repository (../shared/articles).
SOURCES = Path(
    os.environ.get("KNOWLEDGE_SOURCES", str(ROOT.parent / "shared" / "articles"))
)
LANGUAGES = ("en", "zh")
FINGERPRINT_LENGTH = 12
# A list item as the web pages were copied: "- ", "• ", "* " ... become "- ".
_BULLET = re.compile(r"^[-•*·▪●◦]\s+")
# Ordered-list numbers are dropped: the copied pages number every item "1.".
_NUMBER = re.compile(r"^\d{1,2}[.)]\s+")
ARTICLE_ID = re.compile(r"^a\d{2,}$")
PASSAGE_ID = re.compile(r"^(?P<article>a\d{2,})-p(?P<number>\d{3,})$")


class ArticleFormatError(ValueError):
    """An article file that cannot be read as one, with where and what to do."""

    def __init__(self, path: str, line: int, message: str) -> None:
        """Keeps where the problem is, for `file:line:` messages."""
        super().__init__(f"{path}:{line}: {message}")
        self.path = path
        self.line = line
        self.message = message


class Text(NamedTuple):
    """The same words in English and in Simplified Chinese."""

    en: str
    zh: str

    def of(self, language: str) -> str:
        """The text in `language` ("en" or "zh")."""
        return self.zh if language == "zh" else self.en


@dataclass(frozen=True)
class Passage:
    """A paragraph (or a list with its lead-in) of an article, in both languages."""

    id: str
    article: str
    title: Text
    section: Text
    text: Text
    fingerprint: str
    questions: Dict[str, Tuple[str, ...]] = field(default_factory=dict)
    needs_translation: bool = False
    path: str = ""
    line: int = 0

    @property
    def current_fingerprint(self) -> str:
        """The fingerprint of the English as it is now."""
        return fingerprint(self.section.en, self.text.en)

    @property
    def reviewed(self) -> bool:
        """Whether the Chinese was reviewed against the English as it is now."""
        return (
            bool(self.text.zh.strip())
            and not self.needs_translation
            and self.fingerprint == self.current_fingerprint
        )

    def source(self, language: str) -> str:
        """Where the words come from, said in `language`."""
        if language == "zh":
            return f"摘自我们的文章《{self.title.zh}》"
        return f"From our article '{self.title.en}'"


@dataclass(frozen=True)
class Skipped:
    """A line of the source that is no passage (navigation, image name), and why."""

    text: str
    reason: str


@dataclass
class Article:
    """One article file: title, source .txt, passages in order, lines skipped."""

    id: str
    source: str
    title: Text
    passages: List[Passage]
    skipped: List[Skipped] = field(default_factory=list)
    path: str = ""


def normalise_line(raw: str) -> str:
    """A line with its whitespace collapsed and its list marker made "- " (or none)."""
    text = " ".join(raw.split())
    if _BULLET.match(text):
        return "- " + _BULLET.sub("", text, count=1)
    return _NUMBER.sub("", text, count=1)


def normalise_text(text: str) -> str:
    """Text as stored: each line normalised, empty lines dropped, joined by newlines."""
    return "\n".join(line for line in map(normalise_line, text.splitlines()) if line)


def source_lines(text: str) -> List[str]:
    """The non-empty lines of a source .txt, normalised."""
    return normalise_text(text).splitlines()


def fingerprint(section_en: str, text_en: str) -> str:
    """A short hash of a passage's English (heading and text), whitespace normalised."""
    english = normalise_text(section_en) + "\n" + normalise_text(text_en)
    return hashlib.sha256(english.encode("utf-8")).hexdigest()[:FINGERPRINT_LENGTH]


def article_id_for(source_name: str) -> str:
    """The article id a source file gets: "01-medical-....txt" -> "a01"."""
    match = re.match(r"^(\d+)", source_name)
    if not match:
        raise ValueError(
            f"{source_name}: an article's file name starts with its number "
            "(e.g. 06-cupping.txt), which gives its id (a06)"
        )
    return f"a{int(match.group(1)):02d}"


# Reading.


def _mapping(node: yaml.Node, path: str, what: str) -> Dict[str, yaml.Node]:
    if not isinstance(node, yaml.MappingNode):
        raise ArticleFormatError(
            path, node.start_mark.line + 1, f"{what} should be a mapping (key: value)"
        )
    return {str(key.value): value for key, value in node.value}


def _value(node: yaml.Node | None) -> object:
    return None if node is None else yaml.safe_load(yaml.serialize(node))


def _string(fields: Dict[str, yaml.Node], key: str) -> str:
    value = _value(fields.get(key))
    return "" if value is None else str(value)


def _text(fields: Dict[str, yaml.Node], key: str, path: str, line: int) -> Text:
    node = fields.get(key)
    if node is None:
        raise ArticleFormatError(path, line, f"'{key}:' is missing (with en: and zh:)")
    both = _mapping(node, path, f"'{key}'")
    return Text(
        normalise_text(_string(both, "en")), normalise_text(_string(both, "zh"))
    )


def _questions(node: yaml.Node | None, path: str) -> Dict[str, Tuple[str, ...]]:
    if node is None:
        return {}
    asked = _value(node) or {}
    if not isinstance(asked, dict) or not all(
        isinstance(v, list) for v in asked.values() if v is not None
    ):
        raise ArticleFormatError(
            path,
            node.start_mark.line + 1,
            "'questions:' should have 'en:' and 'zh:', each a list of questions",
        )
    return {
        language: tuple(" ".join(str(q).split()) for q in asked.get(language) or [])
        for language in LANGUAGES
    }


def read_article(path: Path, root: Path = ROOT) -> Article:
    """Reads one article file; raises ArticleFormatError saying where and what."""
    try:
        name = str(path.relative_to(root))
    except ValueError:
        name = str(path)
    try:
        document = yaml.compose(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        raise ArticleFormatError(
            name,
            mark.line + 1 if mark else 1,
            f"not valid YAML ({getattr(error, 'problem', error)}); check the "
            "indentation and that every '- ' and ':' is followed by a space",
        ) from error
    if document is None:
        raise ArticleFormatError(name, 1, "the file is empty")
    top = _mapping(document, name, "the file")
    for key in ("article", "source", "title", "passages"):
        if key not in top:
            raise ArticleFormatError(name, 1, f"'{key}:' is missing")
    article_id = _string(top, "article")
    title = _text(top, "title", name, top["title"].start_mark.line + 1)
    skipped = []
    for item in _value(top.get("skipped")) or []:
        if not isinstance(item, dict) or "text" not in item:
            raise ArticleFormatError(
                name, top["skipped"].start_mark.line + 1,
                "each skipped line needs 'text:' and 'reason:'",
            )  # fmt: skip
        skipped.append(
            Skipped(normalise_line(str(item["text"])), str(item.get("reason") or ""))
        )
    passages_node = top["passages"]
    if not isinstance(passages_node, yaml.SequenceNode):
        raise ArticleFormatError(
            name, passages_node.start_mark.line + 1, "'passages:' should be a list"
        )
    passages = []
    for node in passages_node.value:
        line = node.start_mark.line + 1
        fields = _mapping(node, name, "a passage")
        for key in ("id", "section", "en"):
            if key not in fields:
                raise ArticleFormatError(name, line, f"the passage has no '{key}:'")
        passages.append(
            Passage(
                id=_string(fields, "id"),
                article=article_id,
                title=title,
                section=_text(fields, "section", name, line),
                text=Text(
                    normalise_text(_string(fields, "en")),
                    normalise_text(_string(fields, "zh")),
                ),
                fingerprint=_string(fields, "fingerprint"),
                questions=_questions(fields.get("questions"), name),
                needs_translation=bool(_value(fields.get("needs_translation"))),
                path=name,
                line=line,
            )
        )
    return Article(
        id=article_id,
        source=_string(top, "source"),
        title=title,
        passages=passages,
        skipped=skipped,
        path=name,
    )


def article_files(directory: Path = ARTICLES) -> List[Path]:
    """The article files, in the order of their names (their numbers)."""
    return sorted(directory.glob("*.yml"))


def load_articles(directory: Path = ARTICLES) -> List[Article]:
    """Every article file in `directory`."""
    return [read_article(path) for path in article_files(directory)]


def load_passages(directory: Path = ARTICLES) -> List[Passage]:
    """Every passage of every article, in article and reading order."""
    return [p for article in load_articles(directory) for p in article.passages]


# Writing: one format, so that files written by the importer and by hand look alike.


class _Block(str):
    """Text written as a YAML literal block (`|-`): one line per line, no escapes."""


class _Dumper(yaml.SafeDumper):
    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        # Lists indented under their key, as the rest of the project's YAML is.
        return super().increase_indent(flow, False)


_Dumper.add_representer(
    _Block,
    lambda dumper, value: dumper.represent_scalar(
        "tag:yaml.org,2002:str", str(value), style="|" if value else None
    ),
)

HEADER = (
    "# An article of the clinic as data: its passages in English (as published) and\n"
    "# Chinese. Format, how to add an article and the drift check: docs/knowledge.md.\n"
    "# After changing a passage's Chinese, `make validate`.\n"
)


def _passage_data(passage: Passage) -> dict:
    data: dict = {
        "id": passage.id,
        "section": {"en": passage.section.en, "zh": passage.section.zh},
        "en": _Block(passage.text.en),
        "zh": _Block(passage.text.zh),
        "fingerprint": passage.fingerprint,
    }
    if passage.needs_translation:
        data["needs_translation"] = True
    if any(passage.questions.values()):
        data["questions"] = {
            language: list(passage.questions.get(language, ()))
            for language in LANGUAGES
        }
    return data


def dump_article(article: Article) -> str:
    """The article file's text, in the one format (docs/knowledge.md)."""
    data = {
        "article": article.id,
        "source": article.source,
        "title": {"en": article.title.en, "zh": article.title.zh},
        "skipped": [{"text": s.text, "reason": s.reason} for s in article.skipped],
        "passages": [_passage_data(p) for p in article.passages],
    }
    body = yaml.dump(
        data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100_000
    )
    return HEADER + body


def write_article(article: Article, path: Path) -> None:
    """Writes `article` to `path` in the one format."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(dump_article(article), encoding="utf-8")


def passages_by_id(passages: Iterable[Passage]) -> Dict[str, Passage]:
    """The passages by id (the last one wins if an id is written twice)."""
    return {p.id: p for p in passages}
