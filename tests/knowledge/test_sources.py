"""Every line of the five published articles is in a passage or skipped, with why."""

from __future__ import annotations

import pytest

from knowledge.check import run_checks
from knowledge.passages import SOURCES, load_articles
from knowledge.sources import differences, free_lines, quote, read_source
from tests.knowledge.conftest import edit, needs_sources

ARTICLES = load_articles()


@needs_sources
def test_the_five_articles_each_have_an_article_file():
    assert sorted(a.source for a in ARTICLES) == sorted(
        p.name for p in SOURCES.glob("*.txt")
    )
    assert len(ARTICLES) == 5


@needs_sources
@pytest.mark.parametrize("article", ARTICLES, ids=lambda a: a.id)
def test_all_the_text_of_an_article_is_in_its_passages(article):
    source = read_source(SOURCES / article.source)
    assert differences(article, source) == []
    passages = {line for p in article.passages for line in p.text.en.splitlines()}
    headings = {p.section.en for p in article.passages}
    for line in source:
        assert line.text in passages | headings | free_lines(article), line


@needs_sources
@pytest.mark.parametrize("article", ARTICLES, ids=lambda a: a.id)
def test_each_skipped_line_is_published_and_says_why(article):
    published = {line.text for line in read_source(SOURCES / article.source)}
    for skipped in article.skipped:
        assert skipped.text in published
        assert len(skipped.reason) > 10


def test_a_skipped_line_no_longer_published_is_a_warning(articles, sources):
    edit(sources / "03-pain-massage-and-treatment.txt", "top of page\n", "")
    (problem,) = run_checks(articles, sources)
    assert problem.level == "warning"
    assert "the skipped line 'top of page' is not in" in problem.message


def test_long_lines_are_shortened_in_messages():
    assert quote("short") == "'short'"
    assert quote("x" * 100) == "'" + "x" * 67 + "...'"
