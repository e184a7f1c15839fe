"""The drift check fails, naming the passage and what to do, whenever it should."""

from __future__ import annotations

from pathlib import Path

from knowledge import check
from knowledge.check import mark_reviewed, numbers, run_checks
from knowledge.passages import SOURCES, read_article
from tests.knowledge.conftest import edit, needs_sources

TUINA = "01-medical-massage-and-tuina-for-back-pain"


def errors(articles: Path, sources: Path | None = None) -> list[str]:
    return [str(p) for p in run_checks(articles, sources) if p.level == "error"]


@needs_sources
def test_the_real_articles_pass():
    assert errors(check.ARTICLES, SOURCES) == []


def test_changed_english_fails_until_the_chinese_is_reviewed(articles):
    path = articles / f"{TUINA}.yml"
    edit(path, "Tuina uses 21 different", "Tuina uses 21 distinct")
    (problem,) = errors(articles)
    assert problem.startswith(f"{path}:")
    assert "passage a01-p009: its English (heading or text) changed" in problem
    new = read_article(path).passages[8].current_fingerprint
    assert f"--reviewed a01-p009` (or set 'fingerprint: {new}')" in problem

    assert mark_reviewed(["a01-p009"], articles) == ["a01-p009"]
    assert errors(articles) == []
    assert read_article(path).passages[8].fingerprint == new


def test_a_changed_heading_needs_its_passages_reviewed_too(articles):
    path = articles / f"{TUINA}.yml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("      en: Tuina Massage\n", "      en: Tuina\n"), encoding="utf-8"
    )
    found = errors(articles)
    assert len(found) == 3
    assert all("changed since its Chinese was last reviewed" in p for p in found)


def test_setting_the_fingerprint_by_hand_also_records_the_review(articles):
    path = articles / f"{TUINA}.yml"
    passage = read_article(path).passages[8]
    edit(path, "Tuina uses 21 different", "Tuina uses 21 distinct")
    changed = read_article(path).passages[8]
    edit(path, passage.fingerprint, changed.current_fingerprint)
    assert errors(articles) == []


def test_a_passage_without_chinese_fails(articles):
    path = articles / "03-pain-massage-and-treatment.yml"
    article = read_article(path)
    edit(path, f"    zh: |-\n      {article.passages[2].text.zh}\n", "    zh: ''\n")
    (problem,) = errors(articles)
    assert "passage a03-p003: it has no reviewed Chinese translation" in problem
    assert "Write the Chinese under 'zh:'" in problem


def test_a_passage_still_marked_for_translation_fails(articles):
    path = articles / "03-pain-massage-and-treatment.yml"
    edit(path, "    fingerprint: ", "    needs_translation: true\n    fingerprint: ")
    (problem,) = errors(articles)
    assert "passage a03-p001: it has no reviewed Chinese translation" in problem
    assert "(it deletes 'needs_translation: true')" in problem


def test_a_heading_or_title_without_chinese_fails(articles):
    path = articles / "03-pain-massage-and-treatment.yml"
    edit(path, "  zh: 痛症按摩与治疗\n", "  zh: ''\n")
    edit(path, "      zh: 痛症按摩与治疗\n", "      zh: ''\n")
    found = errors(articles)
    assert any("the title has no 'zh:'" in p for p in found)
    assert any(
        "passage a03-p001: its heading 'Pain massage and treatment' has no Chinese" in p
        for p in found
    )


def test_a_duplicated_id_fails_and_names_both_places(articles):
    path = articles / "04-tcm-lower-back-pain.yml"
    edit(path, "  - id: a04-p003\n", "  - id: a04-p002\n")
    (problem,) = errors(articles)
    assert "passage a04-p002: the id is also used at" in problem
    assert "never change an id already given" in problem


def test_an_id_of_another_article_fails(articles):
    edit(
        articles / "04-tcm-lower-back-pain.yml", "- id: a04-p003\n", "- id: a05-p099\n"
    )
    (problem,) = errors(articles)
    assert "passage a05-p099: its id should be 'a04-p'" in problem


def test_a_number_missing_from_the_chinese_fails(articles):
    edit(articles / f"{TUINA}.yml", "程家桥支路211号", "程家桥支路")
    (problem,) = errors(articles)
    assert "passage a01-p004: its Chinese lacks 211 from the English" in problem
    assert numbers("over 2,000 years, 6345 5101") == ["2000", "6345", "5101"]


def test_a_list_translated_on_fewer_lines_fails(articles):
    edit(articles / "04-tcm-lower-back-pain.yml", "      - 减轻炎症\n", "")
    (problem,) = errors(articles)
    assert "passage a04-p010: its English has 5 lines and its Chinese 4" in problem


def test_a_question_in_the_wrong_language_fails(articles):
    edit(
        articles / f"{TUINA}.yml",
        "        - 推拿会疼吗？\n",
        "        - Does it hurt?\n",
    )
    (problem,) = errors(articles)
    assert "the question 'Does it hurt?' is under 'questions: zh:'" in problem


def test_a_changed_article_is_noticed_and_the_passage_named(articles, sources):
    edit(sources / f"{TUINA}.txt", "dates back to at least", "goes back to at least")
    (problem,) = errors(articles, sources)
    assert (
        f"passage a01-p009: its English differs from {sources / TUINA}.txt" in problem
    )
    assert "python -m knowledge.split" in problem and "keeps the" in problem


def test_a_new_paragraph_in_an_article_is_noticed_with_its_line(articles, sources):
    edit(
        sources / f"{TUINA}.txt",
        "Tuina Massage\n",
        "Tuina Massage\n\nTuina is taught at our clinics.\n",
    )
    (problem,) = errors(articles, sources)
    assert "'Tuina is taught at our clinics.', is in no passage" in problem
    assert ", line 40," in problem
    assert "list it under 'skipped:'" in problem


def test_a_removed_paragraph_is_noticed(articles, sources):
    path = sources / "03-pain-massage-and-treatment.txt"
    text = path.read_text(encoding="utf-8")
    paragraph = next(line for line in text.splitlines() if line.startswith("However"))
    path.write_text(text.replace(paragraph, ""), encoding="utf-8")
    (problem,) = errors(articles, sources)
    assert "passage a03-p005: its English 'However, in certain" in problem
    assert "is not in" in problem and "any more" in problem


def test_an_article_without_its_file_and_a_file_without_its_article(articles, sources):
    (sources / "06-cupping.txt").write_text("Cupping\n\nCups are placed.\n")
    (sources / "03-pain-massage-and-treatment.txt").unlink()
    found = errors(articles, sources)
    assert any(
        "06-cupping.txt:1: error: this article has no article file yet" in p
        for p in found
    )
    assert any(
        "its source '03-pain-massage-and-treatment.txt' is not in" in p for p in found
    )


def test_without_the_sources_folder_only_a_warning_is_given(articles, tmp_path):
    problems = run_checks(articles, tmp_path / "nowhere")
    assert [p.level for p in problems] == ["warning"]
    assert "were not compared" in problems[0].message


def test_make_validate_runs_the_check():
    validate = (check.ROOT / "staff" / "validate.py").read_text(encoding="utf-8")
    assert "from knowledge.check import run_checks" in validate
    assert "knowledge_problems()" in validate


def test_the_command_exits_1_on_errors_and_records_reviews(articles, monkeypatch):
    monkeypatch.setattr(check, "ARTICLES", articles)
    monkeypatch.setattr(
        check, "run_checks", lambda: run_checks(articles, check.SOURCES)
    )
    monkeypatch.setattr(
        check, "mark_reviewed", lambda names: mark_reviewed(names, articles)
    )
    edit(articles / f"{TUINA}.yml", "Tuina uses 21 different", "Tuina uses 21 distinct")
    assert check.main([]) == 1
    assert check.main(["--reviewed", "a01-p009"]) == 0
    assert check.main(["--reviewed", "a01-p999"]) == 1
