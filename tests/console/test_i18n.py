"""console/i18n.py: every string a template asks for is there in both languages."""

import re
from pathlib import Path

from console.i18n import CATALOGUE

TEMPLATES = Path(__file__).resolve().parents[2] / "console" / "templates"


def test_every_literal_key_in_the_templates_has_english_and_chinese():
    missing = []
    for template in sorted(TEMPLATES.glob("*.html")):
        for key in re.findall(
            r"""\bt\(\s*["']([a-z0-9_]+)["']\s*\)""", template.read_text()
        ):
            entry = CATALOGUE.get(key)
            if not entry or not all(entry):
                missing.append(f"{template.name}: {key}")
    assert not missing, missing


def test_the_editing_pages_dynamic_keys_exist():
    for key in ("answer_en", "answer_zh", "examples_en", "examples_zh"):
        assert key in CATALOGUE
    for state in ("validating", "training", "evaluating"):
        assert f"state_{state}" in CATALOGUE
