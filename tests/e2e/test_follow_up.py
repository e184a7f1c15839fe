"""Two questions in one message, and follow-ups answered from the conversation."""

from __future__ import annotations

from tests.e2e.conversation import sender, text_of


def texts(replies):
    return [reply["text"] for reply in replies]


def test_two_english_questions_get_both_answers_in_order(assistant, responses):
    replies = assistant.say(sender(), "where are you and does tuina hurt?")
    assert texts(replies) == [
        text_of(responses["utter_faq/locations"], "en"),
        text_of(responses["utter_faq/does_it_hurt"], "en"),
    ]


def test_two_chinese_questions_get_both_answers_in_order(assistant, responses):
    replies = assistant.say(sender(), "推拿疼吗？多少钱？")
    assert texts(replies) == [
        text_of(responses["utter_faq/does_it_hurt"], "zh"),
        text_of(responses["utter_faq/prices"], "zh"),
    ]


def test_a_third_question_is_left_for_a_follow_up(assistant, responses):
    replies = assistant.say(
        sender(), "Where are your clinics? Does tuina hurt? Do you take insurance?"
    )
    assert texts(replies) == [
        text_of(responses["utter_faq/locations"], "en"),
        text_of(responses["utter_faq/does_it_hurt"], "en"),
        text_of(responses["utter_one_more_question"], "en"),
    ]


def test_another_therapy_keeps_the_question_and_says_the_articles_are_silent(
    assistant, responses
):
    visitor = sender()
    assistant.say(visitor, "推拿疼吗")
    reply = texts(assistant.say(visitor, "那针灸呢"))
    silent = text_of(responses["utter_follow_up_not_in_articles"], "zh")
    assert reply == [silent.replace("{topic}", "针灸会不会疼")]


def test_an_aspect_follows_the_therapy_of_the_previous_answer(assistant, responses):
    visitor = sender()
    assistant.say(visitor, "does tuina hurt?")
    assert texts(assistant.say(visitor, "and for children?")) == [
        text_of(responses["utter_faq/tuina_children"], "en")
    ]


def test_does_it_hurt_after_cupping_is_about_cupping(assistant, responses):
    visitor = sender()
    assistant.say(visitor, "what is cupping")
    silent = text_of(responses["utter_follow_up_not_in_articles"], "en")
    assert texts(assistant.say(visitor, "does it hurt?")) == [
        silent.replace("{topic}", "whether cupping hurts")
    ]


def test_chinese_how_often_after_tuina_gets_the_frequency_answer(assistant, responses):
    visitor = sender()
    assistant.say(visitor, "推拿是什么")
    assert texts(assistant.say(visitor, "多久做一次")) == [
        text_of(responses["utter_faq/therapy_frequency"], "zh")
    ]


def test_a_follow_up_after_a_follow_up_keeps_the_new_topic(assistant, responses):
    visitor = sender()
    assistant.say(visitor, "what is cupping")
    assistant.say(visitor, "what about acupuncture?")
    silent = text_of(responses["utter_follow_up_not_in_articles"], "en")
    assert texts(assistant.say(visitor, "and for kids?")) == [
        silent.replace("{topic}", "whether acupuncture is suitable for children")
    ]


def test_without_a_previous_answer_the_question_stands_alone(assistant, responses):
    assert texts(assistant.say(sender(), "会疼吗")) == [
        text_of(responses["utter_faq/does_it_hurt"], "zh")
    ]
