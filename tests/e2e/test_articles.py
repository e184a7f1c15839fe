"""Answers from the whole articles over REST: a passage with its source, or silence."""

from __future__ import annotations

import pytest

from knowledge.passages import load_passages, passages_by_id
from tests.e2e.conversation import sender, text_of

PASSAGES = passages_by_id(load_passages())
PHONES = ("6345 5101", "6461 6550")


def quoted(passage_id: str, language: str) -> str:
    passage = PASSAGES[passage_id]
    colon = "：" if language == "zh" else ":"
    return f"{passage.source(language)}{colon}\n{passage.text.of(language)}"


@pytest.mark.parametrize(
    ("question", "passage_id", "language"),
    [
        ("Which techniques does acupuncture massage use?", "a05-p012", "en"),
        ("推拿对脊柱压力和筋膜有什么作用", "a04-p008", "zh"),
        ("what happens when the body's self healing fails", "a02-p010", "en"),
        # Both say it: "can provide relief from the stresses ... many health
        # benefits", and "can be useful for stress relief and a healthy lifestyle".
        ("放松按摩对健康有好处吗", "a02-p005 a01-p013", "zh"),
        # A sure fixed answer (what medical massage is) that never says psychology
        # gives way to the passage that does.
        ("why is medical massage compared to psychology?", "a02-p012", "en"),
        ("为什么说医疗按摩像心理学", "a02-p012", "zh"),
    ],
)
def test_a_question_no_fixed_answer_is_about_gets_the_passage_and_its_source(
    assistant, question, passage_id, language
):
    replies = assistant.say(sender(), question)
    said = [r["text"] for r in replies]
    assert any(said == [quoted(p, language)] for p in passage_id.split()), said


@pytest.mark.parametrize(
    ("question", "language"),
    [
        ("do you make home visits?", "en"),
        ("你们可以上门服务吗", "zh"),
        # Taken for the addresses, and for tuina for children; the articles leave
        # both open.
        ("is there parking at the downtown clinic", "en"),
        ("孩子能跟我一起进去吗", "zh"),
        # They name a fact no text states: a count (the practitioners' answer gives
        # their names) and a language spoken, which is no request to switch: the
        # reply stays in the language the visitor wrote in.
        ("how many therapists work at the Minhang clinic", "en"),
        ("Joe Teh 会说英语吗", "zh"),
        ("does Joe Teh speak Chinese?", "en"),
        ("离市区诊所最近的地铁站是哪个", "zh"),
        ("can I shower after cupping", "en"),
    ],
)
def test_what_the_articles_do_not_say_is_said_honestly_with_the_numbers(
    assistant, responses, question, language
):
    [reply] = assistant.say(sender(), question)
    template = text_of(responses["utter_articles_do_not_say"], language)
    assert reply["text"] == template.replace("{question}", question)
    assert all(phone in reply["text"] for phone in PHONES)
    assert len(reply["buttons"]) == 3


def test_how_many_is_not_taken_for_a_price_question(assistant, responses):
    for question in ("闵行诊所有多少个医生", "推拿有多少年历史了"):
        [reply] = assistant.say(sender(), question)
        assert reply["text"] != text_of(responses["utter_faq/prices"], "zh")


def test_a_fixed_answer_that_answers_the_question_stays(assistant, responses):
    replies = assistant.say(sender(), "does tuina hurt?")
    assert [r["text"] for r in replies] == [
        text_of(responses["utter_faq/does_it_hurt"], "en")
    ]


@pytest.mark.parametrize(
    ("question", "answer", "passage_id", "language"),
    [
        # The passage on kidney deficiency, then the causes of back pain in TCM.
        (
            "中医说我腰疼是肾虚，肾虚到底是什么意思",
            "tcm_back_pain_causes",
            "a04-p002",
            "zh",
        ),
        # The causes of back pain mostly repeat the kidney-deficiency passage, but
        # not what weakens kidney qi: the passage first all the same.
        (
            "in chinese medicine what weakens kidney qi? i work long hours, never rest",
            "tcm_back_pain_causes",
            "a04-p002",
            "en",
        ),
        # The passage that names pregnancy, then who should not have acupressure.
        (
            "is acupressure safe if i'm pregnant and my back hurts",
            "contraindications",
            "a05-p013",
            "en",
        ),
    ],
)
def test_a_detail_the_fixed_answer_leaves_out_is_quoted_before_it(
    assistant, responses, question, answer, passage_id, language
):
    replies = assistant.say(sender(), question)
    assert [r["text"] for r in replies] == [
        quoted(passage_id, language),
        text_of(responses[f"utter_faq/{answer}"], language),
    ]


def test_red_flags_and_diagnoses_never_get_a_passage(assistant, responses):
    [emergency] = assistant.say(sender(), "after cupping I suddenly can't breathe")
    assert emergency["text"] == text_of(responses["utter_emergency"], "en")
    [diagnosis] = assistant.say(sender(), "我腰疼是不是得了腰椎间盘突出")
    assert diagnosis["text"] == text_of(responses["utter_see_a_doctor"], "zh")
    [dose] = assistant.say(sender(), "how many mg of ibuprofen can I take for my back?")
    assert dose["text"] == text_of(responses["utter_see_a_doctor"], "en")
    # Anything else the assistant does not do gets the topics it can answer.
    [weather] = assistant.say(sender(), "what's the weather like tomorrow")
    assert weather["text"] == text_of(responses["utter_out_of_scope"], "en")
