"""The project's own checks of the training data, in words clinic staff can act on.

Every problem names the file and line and says how to fix it. Errors fail
`make validate`; warnings (near-duplicate examples) are printed for a look.

    python -m staff.checks [project directory]
"""

from __future__ import annotations

import re
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, Iterator, List, Set, Tuple

import yaml

ROOT = Path(__file__).resolve().parents[1]

# One WeChat text message holds at most 2048 bytes (UTF-8: a Chinese character is 3).
MAX_ANSWER_BYTES = 2048
# The fewest examples a FAQ key or intent needs in each language to be learnt well.
MIN_EXAMPLES = {"en": 20, "zh": 12}
CHINESE_CONDITION = [{"type": "slot", "name": "language", "value": "zh"}]
# components.language.HAN_CHARACTER, written out: importing that module loads
# TensorFlow, and these checks must take a second (a test keeps the two equal).
HAN_CHARACTER = r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]"
_HAN = re.compile(HAN_CHARACTER)
# Words that change nothing about what a message asks: near-duplicates differ only in
# these, in punctuation, case or word order ("the tuina price?" / "price of tuina").
_FILLERS = set(["a", "an", "the", "of", "please", "pls", "plz"]) | set("吗呢啊吧呀嘛")
# Intents Rasa defines itself (the fallback, restart, ...).
BUILT_IN_INTENTS = {"restart", "back", "out_of_scope", "session_start", "nlu_fallback"}
_BUTTON_INTENT = re.compile(r"^/(\w+)")
# Rasa's retrieval action says every `utter_faq/<key>`.
RETRIEVAL_ACTIONS = {"utter_faq"}


@dataclass(order=True)
class Problem:
    """One thing wrong in a data file, said so that staff can fix it."""

    path: str
    line: int
    message: str = field(compare=False)
    level: str = field(default="error", compare=False)

    def __str__(self) -> str:
        """`file:line: level: message`, as compilers and editors show them."""
        return f"{self.path}:{self.line}: {self.level}: {self.message}"


@dataclass
class Located:
    """A value read from YAML and the (1-based) line it is on."""

    value: object
    path: str
    line: int


@dataclass
class Project:
    """Everything the checks read, with where each thing was written."""

    root: Path
    examples: Dict[str, List[Located]] = field(
        default_factory=lambda: defaultdict(list)
    )
    intent_blocks: Dict[str, Located] = field(default_factory=dict)
    responses: Dict[str, List[Located]] = field(
        default_factory=lambda: defaultdict(list)
    )
    domain_intents: Dict[str, Located] = field(default_factory=dict)
    asked_by_forms: set = field(default_factory=set)
    used_intents: Dict[str, List[Located]] = field(
        default_factory=lambda: defaultdict(list)
    )
    used_actions: Dict[str, List[Located]] = field(
        default_factory=lambda: defaultdict(list)
    )
    problems: List[Problem] = field(default_factory=list)


def relative(path: Path, root: Path) -> str:
    """`path` as staff see it: relative to the project."""
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)


def normalise(text: str) -> str:
    """An example without case, spaces and punctuation: how duplicates are compared."""
    return re.sub(r"[\W_]+", "", text.lower())


def near_duplicate_key(text: str) -> str:
    """An example's words without fillers, in alphabetical order."""
    words = re.findall(rf"[a-z0-9']+|{HAN_CHARACTER}", text.lower())
    return " ".join(sorted(w for w in words if w not in _FILLERS))


def language_of_example(text: str) -> str:
    """An example counts as Chinese when it has any Chinese character (mixed too)."""
    return "zh" if _HAN.search(text) else "en"


def is_chinese_variation(variation: dict) -> bool:
    """Whether a response variation is the one said to Chinese speakers."""
    return variation.get("condition") == CHINESE_CONDITION


def data_files(root: Path) -> List[Path]:
    """The files Rasa reads: domain.yml and every YAML file under data/."""
    return [root / "domain.yml", *sorted((root / "data").rglob("*.yml"))]


def _yaml_error(path: str, error: yaml.YAMLError) -> Problem:
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    what = getattr(error, "problem", None) or str(error)
    return Problem(
        path,
        line,
        f"the file is not valid YAML at line {line}, column {column} ({what}). "
        "Check the indentation (spaces, not tabs, lined up with the line above), "
        "that every '- ' and ':' is followed by a space, and that text containing "
        "': ' or '#' is in double quotes.",
    )


def _pairs(node: yaml.Node) -> Iterator[Tuple[str, yaml.Node, int]]:
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            yield str(key.value), value, key.start_mark.line + 1


def _items(node: yaml.Node) -> List[yaml.Node]:
    return list(node.value) if isinstance(node, yaml.SequenceNode) else []


def _scalar(node: yaml.Node) -> str | None:
    return str(node.value) if isinstance(node, yaml.ScalarNode) else None


def _example_lines(node: yaml.ScalarNode) -> Iterator[Tuple[str, int]]:
    """The `- example` lines of an `examples: |` block with their file lines."""
    # A block scalar starts on the line after its `|`; a quoted one on its own line.
    first = node.start_mark.line + (2 if node.style in ("|", ">") else 1)
    for offset, line in enumerate(str(node.value).splitlines()):
        if line.strip().startswith("- "):
            yield line.strip()[2:].strip(), first + offset


def _read_file(project: Project, path: Path) -> None:
    name = relative(path, project.root)
    try:
        document = yaml.compose(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        project.problems.append(_yaml_error(name, error))
        return
    if document is None:
        return
    for section, value, _ in _pairs(document):
        if section == "nlu":
            _read_nlu(project, name, value)
        elif section == "responses":
            _read_responses(project, name, value)
        elif section in ("rules", "stories"):
            _read_steps(project, name, value)
        elif section == "intents":
            for item in _items(value):
                intent = _scalar(item) or next((k for k, _, _ in _pairs(item)), None)
                if intent:
                    project.domain_intents[intent] = Located(
                        intent, name, item.start_mark.line + 1
                    )
        elif section == "forms":
            for form, slots in (yaml.safe_load(yaml.serialize(value)) or {}).items():
                for slot in (slots or {}).get("required_slots", []):
                    project.asked_by_forms.update(
                        {f"utter_ask_{slot}", f"utter_ask_{form}_{slot}"}
                    )


def _read_nlu(project: Project, name: str, section: yaml.Node) -> None:
    for block in _items(section):
        fields = {key: (value, line) for key, value, line in _pairs(block)}
        if "intent" not in fields:
            continue
        label = _scalar(fields["intent"][0]) or ""
        project.intent_blocks.setdefault(
            label, Located(label, name, fields["intent"][1])
        )
        examples = fields.get("examples")
        if examples and isinstance(examples[0], yaml.ScalarNode):
            for text, line in _example_lines(examples[0]):
                project.examples[label].append(Located(text, name, line))


def _read_responses(project: Project, name: str, section: yaml.Node) -> None:
    for response, variations, _ in _pairs(section):
        for item in _items(variations):
            variation = yaml.safe_load(yaml.serialize(item)) or {}
            project.responses[response].append(
                Located(variation, name, item.start_mark.line + 1)
            )
        if not _items(variations):
            project.responses[response]


def _read_steps(project: Project, name: str, section: yaml.Node) -> None:
    for flow in _items(section):
        for key, steps, _ in _pairs(flow):
            if key not in ("steps", "condition"):
                continue
            for step in _items(steps):
                for kind, value, line in _pairs(step):
                    text = _scalar(value)
                    if kind == "intent" and text:
                        project.used_intents[text].append(Located(text, name, line))
                    elif kind in ("action", "active_loop") and text:
                        project.used_actions[text].append(Located(text, name, line))
                    elif kind == "or":
                        for alternative in _items(value):
                            for k, v, ln in _pairs(alternative):
                                if k == "intent" and _scalar(v):
                                    project.used_intents[_scalar(v)].append(
                                        Located(_scalar(v), name, ln)
                                    )


def _our_components(root: Path, section: str) -> Iterator[type]:
    """The classes of our own components in config.yml's `pipeline` or `policies`."""
    import importlib

    path = root / "config.yml"
    config = yaml.safe_load(
        (path if path.exists() else ROOT / "config.yml").read_text(encoding="utf-8")
    )
    for step in (config or {}).get(section) or []:
        module, _, name = str(step.get("name", "")).rpartition(".")
        if module.startswith("components."):
            component = getattr(importlib.import_module(module), name, None)
            if isinstance(component, type):
                yield component


def rule_intents(root: Path = ROOT) -> Set[str]:
    """Intents a rule component sets (components/intent_rules.py), examples or not.

    "delete my data" is read by a rule alone (components/data_request_detector.py):
    its intent needs no examples, and has none, so that no other prediction moves.
    """
    from components.intent_rules import IntentRule

    return {
        component.intent
        for component in _our_components(root, "pipeline")
        if issubclass(component, IntentRule)
    }


def policy_intents(root: Path = ROOT) -> Set[str]:
    """Intents one of our policies answers, so that no rule or story names them."""
    return {
        intent
        for component in _our_components(root, "policies")
        if (intent := getattr(component, "intent", None))
    }


def load_project(root: Path = ROOT) -> Project:
    """Reads domain.yml and data/ with the line of everything."""
    project = Project(root)
    for path in data_files(root):
        _read_file(project, path)
    return project


def said_by_code(root: Path) -> set:
    """Responses code sends by name (`"utter_..."` in actions/, channels/, handover/).

    Custom actions send them; channels/handover.py runs `utter_handover_back`
    (handover/conversation.py) when a person hands a conversation back.
    """
    # A data folder kept apart from the code (the console's EDITING_PROJECT_DIR) is
    # checked against this tree's code.
    code_root = root if (root / "actions").is_dir() else ROOT
    code = "".join(
        p.read_text() for folder in ("actions", "channels", "handover")
        for p in (code_root / folder).glob("*.py")
    )  # fmt: skip
    return set(re.findall(r'"(utter_\w+)"', code))


# The checks. Each takes the project and yields problems.


def check_faq_answers(project: Project) -> Iterator[Problem]:
    """Every FAQ key has one English and one Chinese answer, and examples."""
    keys = {label[4:] for label in project.examples if label.startswith("faq/")}
    for key in sorted(keys):
        block = project.intent_blocks[f"faq/{key}"]
        answers = project.responses.get(f"utter_faq/{key}")
        if answers is None:
            yield Problem(
                block.path,
                block.line,
                f"the FAQ key '{key}' has examples but no answer. Add a response "
                f"'utter_faq/{key}:' under 'responses:' with an English text and a "
                "Chinese text (condition: slot language = zh), as the other keys have.",
            )
            continue
        english = [a for a in answers if "condition" not in a.value]
        chinese = [a for a in answers if is_chinese_variation(a.value)]
        where = answers[0]
        if len(english) != 1:
            yield Problem(
                where.path,
                where.line,
                f"the answer 'utter_faq/{key}' needs exactly one English text "
                f"(one '- text:' without a condition); it has {len(english)}.",
            )
        if len(chinese) != 1:
            yield Problem(
                where.path,
                where.line,
                f"the answer 'utter_faq/{key}' needs exactly one Chinese text (a "
                "'- condition:' with type: slot, name: language, value: zh, then "
                f"'text:'); it has {len(chinese)}.",
            )
    for response, answers in sorted(project.responses.items()):
        if response.startswith("utter_faq/") and response[10:] not in keys:
            where = answers[0] if answers else Located(None, "domain.yml", 1)
            yield Problem(
                where.path,
                where.line,
                f"the answer '{response}' has no examples, so it is never given. Add "
                f"'- intent: faq/{response[10:]}' with examples under 'nlu:', or "
                "delete the answer.",
            )


def check_example_counts(project: Project) -> Iterator[Problem]:
    """Every key and intent has enough examples in English and in Chinese."""
    for label, examples in sorted(project.examples.items()):
        counts = {"en": 0, "zh": 0}
        for example in examples:
            counts[language_of_example(str(example.value))] += 1
        block = project.intent_blocks[label]
        for language, minimum in MIN_EXAMPLES.items():
            if counts[language] < minimum:
                name = "English" if language == "en" else "Chinese"
                yield Problem(
                    block.path,
                    block.line,
                    f"'{label}' has {counts[language]} {name} examples; it needs at "
                    f"least {minimum}. Add {minimum - counts[language]} more ways "
                    f"visitors ask this in {name}.",
                )


def check_answer_length(project: Project) -> Iterator[Problem]:
    """Every answer fits in one WeChat message."""
    for response, variations in sorted(project.responses.items()):
        for variation in variations:
            size = len(str(variation.value.get("text", "")).encode("utf-8"))
            if size > MAX_ANSWER_BYTES:
                yield Problem(
                    variation.path,
                    variation.line,
                    f"the answer '{response}' is {size} bytes long; one WeChat "
                    f"message holds {MAX_ANSWER_BYTES} (a Chinese character takes 3). "
                    f"Shorten it by {size - MAX_ANSWER_BYTES} bytes.",
                )


def check_duplicates(project: Project) -> Iterator[Problem]:
    """No example under two keys/intents (error); near-duplicates are warnings."""
    first: Dict[str, Tuple[str, Located]] = {}
    near: Dict[str, Tuple[str, Located]] = {}
    for label, examples in sorted(project.examples.items()):
        for example in examples:
            text = str(example.value)
            exact = normalise(text)
            seen = first.setdefault(exact, (label, example))
            if seen[0] != label:
                yield Problem(
                    example.path,
                    example.line,
                    f"the example '{text}' is under '{label}' and also under "
                    f"'{seen[0]}' ({seen[1].path}:{seen[1].line}). Keep it under the "
                    "one whose answer fits, and delete the other.",
                )
                continue
            key = near_duplicate_key(text)
            if not key:
                continue
            other = near.setdefault(key, (label, example))
            if other[0] != label and normalise(str(other[1].value)) != exact:
                yield Problem(
                    example.path,
                    example.line,
                    f"the example '{text}' under '{label}' says almost the same as "
                    f"'{other[1].value}' under '{other[0]}' ({other[1].path}:"
                    f"{other[1].line}). If both answers really fit, reword one; "
                    "otherwise move it.",
                    level="warning",
                )


def check_usage(project: Project) -> Iterator[Problem]:
    """Intents and responses in stories/rules are defined; defined ones are used."""
    defined_intents = (
        set(project.domain_intents)
        | {label.split("/")[0] for label in project.examples}
        | BUILT_IN_INTENTS
    )
    # Form answers (`inform`) are used by the forms' buttons, not by rules.
    sent_by_buttons = {
        match.group(1)
        for variations in project.responses.values()
        for variation in variations
        for button in variation.value.get("buttons") or []
        if (match := _BUTTON_INTENT.match(str(button.get("payload", ""))))
    }
    for intent, uses in sorted(project.used_intents.items()):
        if intent not in defined_intents:
            for use in uses:
                yield Problem(
                    use.path,
                    use.line,
                    f"the intent '{intent}' is used here but not defined. Check the "
                    "spelling, or add it under 'intents:' in domain.yml with examples "
                    "under 'nlu:'.",
                )
    by_rule, by_policy = rule_intents(project.root), policy_intents(project.root)
    for intent, where in sorted(project.domain_intents.items()):
        answered = intent in project.used_intents or intent in by_policy
        if not answered and intent not in sent_by_buttons:
            yield Problem(
                where.path,
                where.line,
                f"the intent '{intent}' is never used in data/rules.yml or "
                "data/stories.yml, so the assistant would not reply to it. Add a rule "
                "for it, or remove it.",
            )
        if intent not in by_rule and not any(
            label.split("/")[0] == intent for label in project.examples
        ):
            yield Problem(
                where.path,
                where.line,
                f"the intent '{intent}' has no examples. Add '- intent: {intent}' "
                "with examples under 'nlu:' in a file in data/.",
            )
    for action, uses in sorted(project.used_actions.items()):
        known = action in project.responses or action in RETRIEVAL_ACTIONS
        if action.startswith("utter_") and not known:
            for use in uses:
                yield Problem(
                    use.path,
                    use.line,
                    f"the response '{action}' is used here but not defined. Check the "
                    "spelling, or add it under 'responses:' in domain.yml in English "
                    "and Chinese.",
                )
    used = (
        set(project.used_actions)
        | project.asked_by_forms
        | said_by_code(project.root)
        | {"utter_default"}  # the dialogue fallback's
    )
    for response, variations in sorted(project.responses.items()):
        if response.startswith("utter_faq/") or response in used:
            continue
        where = variations[0] if variations else Located(None, "domain.yml", 1)
        yield Problem(
            where.path,
            where.line,
            f"the response '{response}' is defined but never used: no rule, story, "
            "form or action says it. Use it in a rule, or delete it.",
        )


CHECKS = [
    check_faq_answers,
    check_example_counts,
    check_answer_length,
    check_duplicates,
    check_usage,
]


def run_checks(root: Path = ROOT) -> List[Problem]:
    """Every problem in the project's data, YAML errors first, then by file and line."""
    project = load_project(root)
    if project.problems:  # YAML syntax: nothing else can be read reliably
        return sorted(project.problems)
    return sorted(
        [problem for check in CHECKS for problem in check(project)],
        key=lambda p: (p.level != "error", p.path, p.line),
    )


def print_problems(problems: List[Problem]) -> int:
    """Prints the problems for people; returns how many are errors."""
    errors = [p for p in problems if p.level == "error"]
    for problem in problems:
        print(problem, file=sys.stderr)
    warnings = len(problems) - len(errors)
    if problems:
        print(f"{len(errors)} error(s), {warnings} warning(s).", file=sys.stderr)
    return len(errors)


def main() -> int:
    """Runs the checks; exits 1 when there are errors."""
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT
    return 1 if print_problems(run_checks(root)) else 0


if __name__ == "__main__":
    sys.exit(main())
