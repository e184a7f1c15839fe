"""Each data check, on a broken copy of the real files, says what and where."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from components import language
from staff import checks
from staff.checks import ROOT, run_checks


@pytest.fixture()
def project(tmp_path) -> Path:
    """A copy of the project's data, domain and code that says responses, to break."""
    for name in ("data", "actions", "channels", "handover"):
        shutil.copytree(ROOT / name, tmp_path / name)
    shutil.copy(ROOT / "domain.yml", tmp_path / "domain.yml")
    return tmp_path


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def line_of(path: Path, text: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, start=1) if text in line)


def messages(project: Path, level: str = "error") -> list[str]:
    return [str(p) for p in run_checks(project) if p.level == level]


def test_the_real_data_has_no_errors():
    assert messages(ROOT) == []


def test_yaml_syntax_error_names_line_and_column(project):
    faq = project / "data" / "faq" / "tuina.yml"
    edit(faq, "      - What is tuina?", "      - What is tuina?\n     bad: [")
    (problem,) = messages(project)
    assert problem.startswith("data/faq/tuina.yml:")
    assert "not valid YAML at line" in problem and "column" in problem
    assert "indentation" in problem


def test_faq_key_without_a_chinese_answer(project):
    faq = project / "data" / "faq" / "tuina.yml"
    text = faq.read_text(encoding="utf-8")
    start = text.index("  utter_faq/tuina_what:")
    chinese = text.index("    - condition:", start)
    end = text.index("\n  utter_faq/", chinese)
    faq.write_text(text[:chinese] + text[end + 1 :], encoding="utf-8")
    (problem,) = messages(project)
    line = line_of(faq, "utter_faq/tuina_what:") + 1
    assert problem.startswith(f"data/faq/tuina.yml:{line}: error:")
    assert "'utter_faq/tuina_what' needs exactly one Chinese text" in problem


def test_faq_key_without_any_answer(project):
    faq = project / "data" / "faq" / "tuina.yml"
    edit(faq, "  utter_faq/tuina_what:", "  utter_faq/tuina_whatever:")
    problems = messages(project)
    assert any(
        "the FAQ key 'tuina_what' has examples but no answer" in p
        and p.startswith(
            f"data/faq/tuina.yml:{line_of(faq, 'intent: faq/tuina_what')}:"
        )
        for p in problems
    )
    assert any("'utter_faq/tuina_whatever' has no examples" in p for p in problems)


def test_too_few_chinese_examples(project):
    faq = project / "data" / "faq" / "tuina.yml"
    text = faq.read_text(encoding="utf-8")
    start = text.index("- intent: faq/tuina_what")
    end = text.index("- intent:", start + 1)
    block = "\n".join(
        line
        for line in text[start:end].splitlines()
        if not any("\u4e00" <= c <= "\u9fff" for c in line)
    )
    faq.write_text(text[:start] + block + "\n  " + text[end:], encoding="utf-8")
    (problem,) = messages(project)
    assert problem.startswith(
        f"data/faq/tuina.yml:{line_of(faq, 'intent: faq/tuina_what')}: error:"
    )
    assert "'faq/tuina_what' has 0 Chinese examples; it needs at least 12" in problem


def test_answer_too_long_for_wechat(project):
    faq = project / "data" / "faq" / "tuina.yml"
    text = faq.read_text(encoding="utf-8")
    start = text.index("  utter_faq/tuina_what:")
    chinese = text.index('      text: "', text.index("- condition:", start))
    faq.write_text(
        text[: chinese + 13] + "推" * 700 + text[chinese + 13 :], encoding="utf-8"
    )
    (problem,) = messages(project)
    lines = faq.read_text(encoding="utf-8").splitlines()
    start = line_of(faq, "utter_faq/tuina_what:")
    chinese_line = next(
        i for i in range(start, len(lines)) if "- condition:" in lines[i - 1]
    )
    assert problem.startswith(f"data/faq/tuina.yml:{chinese_line}: error:")
    assert "'utter_faq/tuina_what' is" in problem and "bytes long" in problem
    assert "one WeChat message holds 2048" in problem


def test_same_example_under_two_keys(project):
    faq = project / "data" / "faq" / "tuina.yml"
    edit(faq, "      - whats tuina\n", "      - whats tuina\n      - does tuina hurt\n")
    problems = messages(project)
    assert len(problems) == 1
    line = line_of(faq, "- does tuina hurt")
    assert problems[0].startswith(f"data/faq/tuina.yml:{line}: error:")
    assert "'does tuina hurt' is under 'faq/tuina_what' and also under" in problems[0]


def test_near_duplicate_is_a_warning(project):
    faq = project / "data" / "faq" / "tuina.yml"
    edit(
        faq, "      - whats tuina\n", "      - whats tuina\n      - hurt tuina does?\n"
    )
    assert messages(project) == []
    warnings = messages(project, "warning")
    assert any(
        "'hurt tuina does?' under 'faq/tuina_what' says almost the same as" in w
        for w in warnings
    )


def test_response_used_in_a_rule_but_not_defined(project):
    rules = project / "data" / "rules.yml"
    edit(rules, "      - action: utter_greet", "      - action: utter_greeet")
    problems = messages(project)
    line = line_of(rules, "utter_greeet")
    assert f"data/rules.yml:{line}: error: the response 'utter_greeet' is used" in (
        "\n".join(problems)
    )


def test_response_defined_but_never_used(project):
    domain = project / "domain.yml"
    edit(
        domain,
        "responses:\n",
        'responses:\n  utter_opening_soon:\n    - text: "We open soon."\n',
    )
    (problem,) = messages(project)
    line = line_of(domain, "utter_opening_soon:") + 1
    assert problem.startswith(f"domain.yml:{line}: error: the response")
    assert "'utter_opening_soon' is defined but never used" in problem


def test_intent_used_in_a_rule_but_not_defined(project):
    rules = project / "data" / "rules.yml"
    edit(rules, "      - intent: greet", "      - intent: greeting")
    problems = messages(project)
    line = line_of(rules, "intent: greeting")
    assert any(
        p.startswith(f"data/rules.yml:{line}:") and "'greeting' is used here" in p
        for p in problems
    )


def test_the_checks_count_chinese_as_the_assistant_does():
    assert checks.HAN_CHARACTER == language.HAN_CHARACTER
