"""The FAQ topics in data/faq/*.yml, read and written as people wrote them.

A topic is a retrieval intent `faq/<key>` with its examples and the response
`utter_faq/<key>`: one English text and one Chinese text (condition: slot language =
zh), each with its buttons. Files are read and written with ruamel.yaml's round trip,
so comments, order, quoting and blank lines stay; only what changed is rewritten.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from io import StringIO
from pathlib import Path
from typing import Dict, Iterator, List, Tuple

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import (
    DoubleQuotedScalarString,
    LiteralScalarString,
    SingleQuotedScalarString,
)

from staff.checks import CHINESE_CONDITION, is_chinese_variation, language_of_example

LANGUAGES = ("en", "zh")
FAQ_DIR = Path("data") / "faq"
# Where the off-topic examples (intent out_of_scope) are.
NLU_FILE = Path("data") / "nlu.yml"
OFF_TOPIC = "out_of_scope"
KEY = re.compile(r"^[a-z][a-z0-9_]{1,60}$")
_BLOCK_START = re.compile(r"^(  - intent: |  utter_|[a-z_]+:)")
_SECTION = re.compile(r"^[a-z_]+:\s*$")


@dataclass
class Button:
    """A button under an answer: what it says and what clicking it sends."""

    title: str
    payload: str


@dataclass
class Topic:
    """One FAQ topic: its answer and examples in English and Chinese."""

    key: str
    file: str
    answers: Dict[str, str] = field(default_factory=lambda: {"en": "", "zh": ""})
    buttons: Dict[str, List[Button]] = field(
        default_factory=lambda: {"en": [], "zh": []}
    )
    examples: Dict[str, List[str]] = field(default_factory=lambda: {"en": [], "zh": []})

    @property
    def label(self) -> str:
        """The intent the examples are under: `faq/<key>`."""
        return f"faq/{self.key}"

    @property
    def response(self) -> str:
        """The response's name: `utter_faq/<key>`."""
        return f"utter_faq/{self.key}"


def yaml() -> YAML:
    """A round-trip YAML with the project's layout (indent 2, lists indented 4/2)."""
    loader = YAML()
    loader.preserve_quotes = True
    loader.width = 100_000  # never fold a long answer
    loader.indent(mapping=2, sequence=4, offset=2)
    return loader


def load(path: Path) -> CommentedMap:
    """A data file's round-trip document."""
    return yaml().load(path.read_text(encoding="utf-8")) or CommentedMap()


def dump(document: CommentedMap) -> str:
    """The document as text, in the project's layout (a blank line between blocks)."""
    out = StringIO()
    yaml().dump(document, out)
    lines: List[str] = []
    for line in out.getvalue().splitlines(keepends=True):
        # A block added by the console gets the blank line the others have.
        previous = lines[-1].strip() if lines else ""
        after_text = previous and not previous.startswith("#")
        after_text = after_text and not _SECTION.match(lines[-1])
        if _BLOCK_START.match(line) and after_text:
            lines.append("\n")
        lines.append(line)
    return "".join(lines)


def faq_files(project: Path) -> List[Path]:
    """The FAQ files, by name."""
    return sorted((project / FAQ_DIR).glob("*.yml"))


def split_examples(block_text: str) -> List[str]:
    """The examples of an `examples: |` block, in order."""
    return [
        line.strip()[2:].strip()
        for line in str(block_text).splitlines()
        if line.strip().startswith("- ")
    ]


def by_language(examples: List[str]) -> Dict[str, List[str]]:
    """Examples split into English and Chinese (any Chinese character: Chinese)."""
    split: Dict[str, List[str]] = {"en": [], "zh": []}
    for example in examples:
        split[language_of_example(example)].append(example)
    return split


def _nlu_blocks(document: CommentedMap) -> Iterator[CommentedMap]:
    for block in document.get("nlu") or []:
        if isinstance(block, dict) and "intent" in block:
            yield block


def _buttons(variation: dict) -> List[Button]:
    return [
        Button(str(b.get("title", "")), str(b.get("payload", "")))
        for b in variation.get("buttons") or []
    ]


def load_topics(project: Path) -> List[Topic]:
    """Every FAQ topic in data/faq/, in file order."""
    topics: List[Topic] = []
    for path in faq_files(project):
        document = load(path)
        name = str(path.relative_to(project))
        found: Dict[str, Topic] = {}
        for block in _nlu_blocks(document):
            label = str(block["intent"])
            if label.startswith("faq/"):
                topic = found.setdefault(label[4:], Topic(label[4:], name))
                topic.examples = by_language(split_examples(block.get("examples", "")))
        for response, variations in (document.get("responses") or {}).items():
            if not str(response).startswith("utter_faq/"):
                continue
            topic = found.setdefault(response[10:], Topic(response[10:], name))
            for variation in variations or []:
                language = "zh" if is_chinese_variation(variation) else "en"
                topic.answers[language] = str(variation.get("text", ""))
                topic.buttons[language] = _buttons(variation)
        topics.extend(found.values())
    return topics


def find_topic(project: Path, key: str) -> Topic | None:
    """The topic `key`, or None."""
    return next((t for t in load_topics(project) if t.key == key), None)


def _quoted(text: str) -> DoubleQuotedScalarString:
    return DoubleQuotedScalarString(text.replace("\r\n", "\n").strip())


def _button_map(button: Button) -> CommentedMap:
    # Payloads with {{...}} (intent and entities) are in single quotes, as written.
    payload = (
        SingleQuotedScalarString(button.payload)
        if '"' in button.payload
        else DoubleQuotedScalarString(button.payload)
    )
    return CommentedMap([("title", _quoted(button.title)), ("payload", payload)])


def _examples_block(old: List[str], new: List[str]) -> LiteralScalarString:
    # The examples kept stay where they were; new ones go at the end.
    wanted = set(new)
    kept = [e for e in old if e in wanted]
    added = [e for e in new if e not in set(old)]
    return LiteralScalarString("".join(f"- {e}\n" for e in kept + added))


def _set_examples(block: CommentedMap, examples: List[str]) -> None:
    old = split_examples(block.get("examples", ""))
    if old != examples and sorted(old) != sorted(examples):
        block["examples"] = _examples_block(old, examples)


def _set_variation(variation: CommentedMap, text: str, buttons: List[Button]) -> None:
    if str(variation.get("text", "")) != text.strip():
        variation["text"] = _quoted(text)
    if _buttons(variation) != buttons:
        if buttons:
            variation["buttons"] = CommentedSeq([_button_map(b) for b in buttons])
        elif "buttons" in variation:
            del variation["buttons"]


def _new_response(topic: Topic) -> CommentedSeq:
    english = CommentedMap([("text", _quoted(topic.answers["en"]))])
    chinese = CommentedMap(
        [
            ("condition", CommentedSeq([CommentedMap(c) for c in CHINESE_CONDITION])),
            ("text", _quoted(topic.answers["zh"])),
        ]
    )
    for variation, language in ((english, "en"), (chinese, "zh")):
        if topic.buttons[language]:
            variation["buttons"] = CommentedSeq(
                [_button_map(b) for b in topic.buttons[language]]
            )
    return CommentedSeq([english, chinese])


def apply_topic(document: CommentedMap, topic: Topic) -> None:
    """Writes `topic` into the document: changed fields only, or a new block."""
    examples = topic.examples["en"] + topic.examples["zh"]
    block = next((b for b in _nlu_blocks(document) if b["intent"] == topic.label), None)
    if block is None:
        document.setdefault("nlu", CommentedSeq()).append(
            CommentedMap(
                [("intent", topic.label), ("examples", _examples_block([], examples))]
            )
        )
    else:
        _set_examples(block, examples)
    responses = document.setdefault("responses", CommentedMap())
    variations = responses.get(topic.response)
    if variations is None:
        responses[topic.response] = _new_response(topic)
        return
    for variation in variations:
        language = "zh" if is_chinese_variation(variation) else "en"
        _set_variation(variation, topic.answers[language], topic.buttons[language])


def save_topic(project: Path, topic: Topic) -> Path:
    """Writes the topic into its file (creating the file if new); returns its path."""
    path = project / topic.file
    document = load(path) if path.exists() else CommentedMap([("version", "3.1")])
    apply_topic(document, topic)
    path.write_text(dump(document), encoding="utf-8")
    return path


def topic_text(project: Path, topic: Topic) -> Tuple[Path, str]:
    """The file the topic is in and its text as it would be with `topic` saved."""
    path = project / topic.file
    document = load(path) if path.exists() else CommentedMap([("version", "3.1")])
    apply_topic(document, topic)
    return path, dump(document)


def example_file(project: Path, label: str) -> Path | None:
    """The data file whose `nlu:` has the intent `label` (faq/<key> or out_of_scope)."""
    candidates = [project / NLU_FILE, *faq_files(project)]
    for path in candidates:
        if path.exists() and f"intent: {label}\n" in path.read_text(encoding="utf-8"):
            return path
    return None


def add_examples(project: Path, label: str, texts: List[str]) -> Path:
    """Adds examples to the intent `label`'s block; ValueError if there is none."""
    path = example_file(project, label)
    if path is None:
        raise ValueError(f"no examples block for {label!r}")
    document = load(path)
    block = next(b for b in _nlu_blocks(document) if b["intent"] == label)
    old = split_examples(block.get("examples", ""))
    new = old + [t for t in texts if t not in old]
    _set_examples(block, new)
    path.write_text(dump(document), encoding="utf-8")
    return path
