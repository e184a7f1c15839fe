"""The article files load into passages, in both languages, and write back unchanged."""

from __future__ import annotations

import re

import pytest

from knowledge.passages import (
    PASSAGE_ID,
    ArticleFormatError,
    dump_article,
    fingerprint,
    load_articles,
    load_passages,
    normalise_line,
    read_article,
)
from staff.checks import HAN_CHARACTER
from tests.knowledge.conftest import edit

# How many passages each article has (docs/knowledge.md); a new one adds a line.
PASSAGES = {"a01": 16, "a02": 15, "a03": 6, "a04": 10, "a05": 17}
HAN = re.compile(HAN_CHARACTER)


def test_every_article_loads_with_its_passages_in_order():
    articles = load_articles()
    assert {a.id: len(a.passages) for a in articles} == PASSAGES
    for article in articles:
        numbers = [int(PASSAGE_ID.match(p.id)["number"]) for p in article.passages]
        assert numbers == sorted(numbers), article.id
        assert article.source.startswith(article.id[1:] + "-")


def test_passage_ids_are_unique_and_name_their_article():
    passages = load_passages()
    assert len({p.id for p in passages}) == len(passages)
    for passage in passages:
        assert PASSAGE_ID.match(passage.id)["article"] == passage.article


@pytest.mark.parametrize("passage", load_passages(), ids=lambda p: p.id)
def test_every_passage_is_in_english_and_reviewed_chinese(passage):
    assert passage.text.en and passage.section.en and passage.title.en
    assert HAN.search(passage.text.zh)
    assert HAN.search(passage.section.zh)
    assert HAN.search(passage.title.zh)
    assert not passage.needs_translation
    assert passage.reviewed
    assert passage.text.en.count("\n") == passage.text.zh.count("\n")


@pytest.mark.parametrize("passage", load_passages(), ids=lambda p: p.id)
def test_every_passage_has_questions_visitors_ask_in_both_languages(passage):
    # A few as the team asks them, then the way visitors write ("why do the
    # medical massage ppl go so slow", "推那对脊椎有啥好处"): no question mark needed.
    english, chinese = passage.questions["en"], passage.questions["zh"]
    assert 2 <= len(english) <= 20 and 2 <= len(chinese) <= 20
    assert len(set(english)) == len(english) and len(set(chinese)) == len(chinese)
    assert all(q.strip() and not HAN.search(q) for q in english)
    assert all(HAN.search(q) for q in chinese)


def test_clinic_names_numbers_and_people_are_kept_exactly_in_chinese():
    chinese = " ".join(p.text.zh for p in load_passages())
    for kept in (
        "(+86 21) 6345 5101 转 223 / 225",
        "(+86 21) 6461 6550 转 0 / 219",
        "西藏南路760号",
        "程家桥支路211号",
        "Matthew Stevens",
        "Joe Teh",
        "Four Seasons",
    ):
        assert kept in chinese, kept


def test_the_source_of_a_passage_is_said_in_the_visitors_language():
    passage = next(p for p in load_passages() if p.id == "a03-p001")
    assert passage.source("en") == "From our article 'Pain massage and treatment'"
    assert passage.source("zh") == "摘自我们的文章《痛症按摩与治疗》"
    assert passage.text.of("zh") == passage.text.zh


def test_writing_an_article_file_back_changes_nothing(articles):
    for path in sorted(articles.glob("*.yml")):
        assert dump_article(read_article(path)) == path.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("raw", "line"),
    [
        ("  Tuina   Massage \t", "Tuina Massage"),
        ("- Promotes blood flow", "- Promotes blood flow"),
        ("  • Focus: Targets specific points.", "- Focus: Targets specific points."),
        ("  1. Stress and Anxiety Relief", "Stress and Anxiety Relief"),
        ("(+86 21) 6345 5101 * 223/ 225", "(+86 21) 6345 5101 * 223/ 225"),
        ("2,000 years", "2,000 years"),
    ],
)
def test_lines_are_normalised_in_whitespace_and_list_markers_only(raw, line):
    assert normalise_line(raw) == line


def test_the_fingerprint_is_of_heading_and_text_whitespace_aside():
    text = "Tuina is gentle.\n- It is used on infants"
    assert fingerprint("Tuina", text) == fingerprint(" Tuina ", text.replace(" ", "  "))
    assert fingerprint("Tuina", text) != fingerprint("Tuina Massage", text)
    assert fingerprint("Tuina", text) != fingerprint("Tuina", text + ".")
    assert re.fullmatch(r"[0-9a-f]{12}", fingerprint("Tuina", text))


def test_a_file_that_is_not_an_article_says_where(articles):
    path = articles / "03-pain-massage-and-treatment.yml"
    edit(path, "  - id: a03-p002\n", "  - id: a03-p002\n  bad: [\n")
    with pytest.raises(ArticleFormatError) as error:
        read_article(path)
    assert "not valid YAML" in str(error.value) and error.value.line > 1

    edit(path, "  bad: [\n", "")
    edit(path, "  - id: a03-p002\n    section:", "  - id: a03-p002\n    heading:")
    with pytest.raises(ArticleFormatError, match="has no 'section:'"):
        read_article(path)
