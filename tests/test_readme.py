"""The README's map of the tree is true: one row per top-level entry in git."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Hidden files are settings for tools, not rooms of the tree; .ci/ is listed.
UNLISTED = {".dockerignore", ".gitignore", ".yamllint"}


def tracked_top_level() -> set[str]:
    files = subprocess.run(
        ["git", "ls-files"],  # noqa: S607 - git from PATH, as the Makefile's tools
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return {
        name.split("/")[0] + ("/" if "/" in name else "")
        for name in files
        if name.split("/")[0] not in UNLISTED
    }


def readme_map() -> set[str]:
    text = (ROOT / "README.md").read_text()
    section = text.split("## Map of the tree", 1)[1].split("\n## ", 1)[0]
    return set(re.findall(r"^\| `([^`]+)` \|", section, re.MULTILINE))


def test_the_readme_map_lists_every_top_level_entry_and_nothing_else():
    assert readme_map() == tracked_top_level()


def test_the_readme_fits_on_a_few_screens():
    assert len((ROOT / "README.md").read_text().splitlines()) <= 150


def test_every_relative_link_in_the_readme_and_docs_exists():
    for page in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        for target in re.findall(
            r"\]\((?!https?:|mailto:|#)([^)#\s]+)", page.read_text()
        ):
            assert (page.parent / target).exists(), f"{page.name} links to {target}"
