"""A copy of the article files and their sources, to change without harm."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from knowledge.passages import ARTICLES, SOURCES

# The five published articles; the tests that compare with them need the folder.
needs_sources = pytest.mark.skipif(
    not SOURCES.is_dir(), reason=f"the articles' sources are not in {SOURCES}"
)


@pytest.fixture()
def articles(tmp_path) -> Path:
    """A copy of knowledge/articles/."""
    return Path(shutil.copytree(ARTICLES, tmp_path / "articles"))


@pytest.fixture()
def sources(tmp_path) -> Path:
    """A copy of the articles' .txt sources."""
    if not SOURCES.is_dir():
        pytest.skip(f"the articles' sources are not in {SOURCES}")
    target = tmp_path / "sources"
    target.mkdir()
    for path in SOURCES.glob("*.txt"):
        shutil.copy(path, target / path.name)
    return target


def edit(path: Path, old: str, new: str) -> None:
    """Replaces `old` (which must be there) by `new` in a file."""
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
