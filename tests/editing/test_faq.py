"""editing/faq.py: topics read and written without disturbing the rest of the file."""

from __future__ import annotations

from pathlib import Path

from editing.faq import (
    Button,
    Topic,
    add_examples,
    dump,
    faq_files,
    find_topic,
    load,
    load_topics,
    save_topic,
)
from staff.checks import run_checks


def _changed_lines(before: str, after: str) -> list:
    return [
        (old, new)
        for old, new in zip(before.splitlines(), after.splitlines(), strict=True)
        if old != new
    ]


def test_every_data_file_round_trips_unchanged(project: Path) -> None:
    for path in [*faq_files(project), project / "data" / "nlu.yml"]:
        assert dump(load(path)) == path.read_text(encoding="utf-8"), path


def test_topics_have_both_answers_buttons_and_examples(project: Path) -> None:
    topics = load_topics(project)
    assert len(topics) >= 25
    tuina = find_topic(project, "tuina_what")
    assert tuina.file == "data/faq/tuina.yml"
    assert tuina.answers["en"].startswith("Tuina is")
    assert tuina.answers["zh"].startswith("推拿是")
    assert (
        Button("预约推拿", '/book_appointment{{"service": "tuina"}}')
        in (tuina.buttons["zh"])
    )
    assert "What is tuina?" in tuina.examples["en"]
    assert "推拿是什么" in tuina.examples["zh"]


def test_editing_one_answer_changes_only_its_line(project: Path) -> None:
    path = project / "data" / "faq" / "tuina.yml"
    before = path.read_text(encoding="utf-8")
    topic = find_topic(project, "tuina_what")
    topic.answers["zh"] = "推拿是一种中医按摩。"
    save_topic(project, topic)
    changed = _changed_lines(before, path.read_text(encoding="utf-8"))
    assert changed == [(changed[0][0], '      text: "推拿是一种中医按摩。"')]
    assert "# " not in before or "# " in path.read_text(encoding="utf-8")


def test_comments_are_kept(project: Path) -> None:
    path = project / "data" / "faq" / "tuina.yml"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "responses:\n", "# Answers reviewed by Dr. Li\nresponses:\n"
        ),
        encoding="utf-8",
    )
    topic = find_topic(project, "tuina_what")
    topic.answers["en"] = "Tuina is Chinese medical massage."
    save_topic(project, topic)
    assert "# Answers reviewed by Dr. Li\nresponses:" in path.read_text("utf-8")


def test_a_button_change_rewrites_only_that_answers_buttons(project: Path) -> None:
    path = project / "data" / "faq" / "tuina.yml"
    before = path.read_text(encoding="utf-8")
    topic = find_topic(project, "tuina_what")
    topic.buttons["en"] = topic.buttons["en"][:2]
    save_topic(project, topic)
    after = path.read_text(encoding="utf-8")
    assert len(after.splitlines()) == len(before.splitlines()) - 2
    assert (
        after.count('/book_appointment{{"service": "tuina"}}\'')
        == before.count('/book_appointment{{"service": "tuina"}}\'') - 1
    )


def test_a_new_topic_is_added_in_both_languages_and_validates(project: Path) -> None:
    topic = Topic("parking", "data/faq/practical.yml")
    topic.answers = {"en": "There is paid parking.", "zh": "附近有收费停车场。"}
    topic.examples = {
        "en": [f"where do i park number {n}" for n in range(20)],
        "zh": [f"停车场在哪里第{n}个问题" for n in range(12)],
    }
    save_topic(project, topic)
    found = find_topic(project, "parking")
    assert found.answers == topic.answers and found.examples == topic.examples
    text = (project / "data/faq/practical.yml").read_text(encoding="utf-8")
    assert "\n\n  - intent: faq/parking\n" in text
    assert "\n\n  utter_faq/parking:\n" in text
    assert not [p for p in run_checks(project) if p.level == "error"]


def test_examples_are_added_at_the_end_of_their_block(project: Path) -> None:
    add_examples(project, "out_of_scope", ["how tall is the tv tower"])
    add_examples(project, "faq/locations", ["where can i park my car"])
    assert "where can i park my car" in find_topic(project, "locations").examples["en"]
    assert "- how tall is the tv tower\n" in (project / "data/nlu.yml").read_text()
