"""The importer drafts a new article and updates one without losing translations."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from knowledge.check import mark_reviewed, run_checks
from knowledge.passages import Text, dump_article, read_article, write_article
from knowledge.split import group, import_article, is_heading, main
from tests.knowledge.conftest import edit

TUINA = "01-medical-massage-and-tuina-for-back-pain"
NEW_ARTICLE = """top of page

Cupping Therapy Guide

What Is Cupping?

Cups are placed on the skin to create suction.   It is an old TCM therapy.

Who Should Try It?

Cupping may help with:
  • tight shoulders
  • back pain

  1. Before Your Session

Tell your doctor about any skin condition.
"""


def errors(articles: Path, sources: Path) -> list[str]:
    return [str(p) for p in run_checks(articles, sources) if p.level == "error"]


def test_a_new_article_is_drafted_with_ids_headings_and_lists(articles, sources):
    source = sources / "06-cupping-therapy-guide.txt"
    source.write_text(NEW_ARTICLE, encoding="utf-8")
    target, article, report = import_article(source, articles)
    assert target == articles / "06-cupping-therapy-guide.yml" and target.exists()
    assert (article.id, article.source) == ("a06", source.name)
    assert article.title == Text("Cupping Therapy Guide", "")
    assert [(p.id, p.section.en, p.text.en) for p in article.passages] == [
        (
            "a06-p001",
            "What Is Cupping?",
            "Cups are placed on the skin to create suction. It is an old TCM therapy.",
        ),
        (
            "a06-p002",
            "Who Should Try It?",
            "Cupping may help with:\n- tight shoulders\n- back pain",
        ),
        (
            "a06-p003",
            "Before Your Session",
            "Tell your doctor about any skin condition.",
        ),
    ]
    assert report.new == article.passages and not report.changed
    for passage in article.passages:
        assert passage.needs_translation and passage.text.zh == ""
        assert passage.fingerprint == passage.current_fingerprint
    draft = errors(articles, sources)
    assert any("06-cupping-therapy-guide.yml:1: error: the title has no 'zh:'" in p
               for p in draft)  # fmt: skip
    assert sum("it has no reviewed Chinese translation" in p for p in draft) == 3
    # A heading with no text under it is left for a person to skip or keep.
    assert any("line 1, 'top of page', is in no passage" in p for p in draft)


def test_a_translated_draft_passes_the_check(articles, sources):
    """Adding an article: drop the .txt, import, skip, translate, review."""
    source = sources / "06-cupping-therapy-guide.txt"
    source.write_text(NEW_ARTICLE, encoding="utf-8")
    target, _, _ = import_article(source, articles)
    article = read_article(target)
    chinese = {
        "a06-p001": "将罐放在皮肤上形成吸力。这是一种古老的中医疗法。",
        "a06-p002": "拔罐可能有助于：\n- 肩部紧绷\n- 背痛",
        "a06-p003": "请告诉医生您有任何皮肤问题。",
    }
    headings = {
        "What Is Cupping?": "什么是拔罐？",
        "Who Should Try It?": "谁适合拔罐？",
        "Before Your Session": "治疗之前",
    }
    write_article(
        replace(
            article,
            title=Text(article.title.en, "拔罐疗法指南"),
            passages=[
                replace(
                    p,
                    section=Text(p.section.en, headings[p.section.en]),
                    text=Text(p.text.en, chinese[p.id]),
                )
                for p in article.passages
            ],
        ),
        target,
    )
    edit(
        target, "skipped: []", "skipped:\n  - text: top of page\n    reason: navigation"
    )
    assert any("is in no passage" not in p for p in errors(articles, sources))
    edit(target, "    needs_translation: true\n", "")
    edit(target, "    needs_translation: true\n", "")
    edit(target, "    needs_translation: true\n", "")
    mark_reviewed(["a06"], articles)
    assert errors(articles, sources) == []


def test_re_importing_the_published_articles_changes_nothing(articles, sources):
    for source in sorted(sources.glob("*.txt")):
        before = (articles / f"{source.stem}.yml").read_text(encoding="utf-8")
        _, article, report = import_article(source, articles, dry_run=True)
        assert not (report.new or report.changed or report.removed), source.name
        assert dump_article(article) == before


def test_a_changed_paragraph_keeps_its_id_and_chinese_for_review(articles, sources):
    old = read_article(articles / f"{TUINA}.yml").passages[8]
    edit(sources / f"{TUINA}.txt", "Tuina uses 21 different", "Tuina uses 22 different")
    _, article, report = import_article(sources / f"{TUINA}.txt", articles)
    passage = article.passages[8]
    assert [(o.id, n.id) for o, n in report.changed] == [("a01-p009", "a01-p009")]
    assert "Tuina uses 22 different" in passage.text.en
    assert passage.text.zh == old.text.zh and passage.questions == old.questions
    assert passage.fingerprint == old.fingerprint != passage.current_fingerprint
    found = errors(articles, sources)
    assert len(found) == 2  # its review, and the 22 its Chinese does not say yet
    assert all("passage a01-p009" in p for p in found)


def test_an_inserted_paragraph_gets_the_next_id_and_no_other_id_moves(
    articles, sources
):
    before = [p.id for p in read_article(articles / f"{TUINA}.yml").passages]
    edit(
        sources / f"{TUINA}.txt",
        "Tuina Massage\n",
        "Tuina Massage\n\nTuina is taught at our clinics.\n",
    )
    _, article, report = import_article(sources / f"{TUINA}.txt", articles)
    ids = [p.id for p in article.passages]
    assert [p.id for p in report.new] == ["a01-p017"]
    assert ids == [*before[:8], "a01-p017", *before[8:]]
    new = article.passages[8]
    assert new.section == Text("Tuina Massage", "推拿按摩")
    assert new.needs_translation and not report.changed and not report.removed


def test_a_removed_paragraph_is_reported_with_its_chinese(articles, sources, capsys):
    path = sources / "03-pain-massage-and-treatment.txt"
    text = path.read_text(encoding="utf-8")
    paragraph = next(line for line in text.splitlines() if line.startswith("However"))
    path.write_text(text.replace(paragraph, ""), encoding="utf-8")
    assert main(["--articles", str(articles), str(path)]) == 0
    out = capsys.readouterr().out
    assert "5 passages, 0 new, 0 changed, 1 removed." in out
    assert "removed  a03-p005" in out and "不建议进行任何痛症按摩" in out
    assert "a03-p005" not in (articles / f"{path.stem}.yml").read_text()
    assert errors(articles, sources) == []


def test_a_renamed_heading_is_carried_to_its_passages(articles, sources):
    edit(sources / f"{TUINA}.txt", "Tuina Massage\n", "Tuina Massage Explained\n")
    _, article, report = import_article(sources / f"{TUINA}.txt", articles)
    assert [n.id for _, n in report.changed] == ["a01-p009", "a01-p010", "a01-p011"]
    for passage in article.passages[8:11]:
        assert passage.section == Text("Tuina Massage Explained", "推拿按摩")
    assert article.passages[11].section.en.startswith("What to Expect")


def test_a_new_list_item_joins_its_list(articles, sources):
    path = sources / "04-tcm-lower-back-pain.txt"
    edit(path, "- Reduce inflammation\n", "- Reduce inflammation\n- Calm the mind\n")
    _, _, report = import_article(path, articles)
    (changed,) = [n for _, n in report.changed]
    assert changed.id == "a04-p010" and changed.text.en.endswith(
        "- Reduce inflammation\n- Calm the mind\n"
        "- Alleviate pain caused by cold-damp retention or blood stagnation"
    )
    assert not report.new


def test_a_dry_run_writes_nothing(articles, sources, capsys):
    edit(sources / f"{TUINA}.txt", "Tuina uses 21 different", "Tuina uses 22 different")
    before = (articles / f"{TUINA}.yml").read_text(encoding="utf-8")
    assert (
        main(["--dry-run", "--articles", str(articles), str(sources / f"{TUINA}.txt")])
        == 0
    )
    assert (articles / f"{TUINA}.yml").read_text(encoding="utf-8") == before
    out = capsys.readouterr().out
    assert out.startswith("would write") and "changed  a01-p009" in out
    assert main(["--articles", str(articles), str(sources / "nothing.txt")]) == 1


@pytest.mark.parametrize(
    ("line", "heading"),
    [
        ("Tuina Massage", True),
        ("When is medical massage helpful?", True),
        ("🤕 What Causes Lower Back Pain?", True),
        ("Kidney Deficiency (肾虚)", True),
        ("Downtown -Anji Plaza,", False),
        ("(+86 21) 6345 5101 * 223/ 225", False),
        ("- Promotes blood flow", False),
        ("Cups are placed on the skin to create suction. This:", False),
    ],
)
def test_what_looks_like_a_heading(line, heading):
    assert is_heading(line) is heading


def test_a_list_joins_its_lead_in_and_nothing_else():
    assert group(["Intro.", "It:", "- a", "- b", "Next.", "- c"]) == [
        ("passage", ["Intro."]),
        ("passage", ["It:", "- a", "- b"]),
        ("passage", ["Next."]),
        ("passage", ["- c"]),
    ]
