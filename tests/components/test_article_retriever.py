"""The articles' retriever: what it reads, how it decides, a new article answered."""

from __future__ import annotations

from pathlib import Path

import pytest
from rasa.engine.graph import ExecutionContext
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.graph_components.validators.default_recipe_validator import GraphSchema
from rasa.nlu.constants import TOKENS_NAMES
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from components.article_index import Ranked
from components.article_retriever import (
    ABSTAIN,
    FAQ,
    PASSAGE,
    ArticleRetriever,
    decide,
    faq_answers,
    on_subject,
    question_focus,
    reads,
)
from components.bilingual_tokenizer import BilingualTokenizer
from components.follow_up import read_mark
from knowledge.passages import Article, Passage, Text, fingerprint, write_article


def ranked(score: float, coverage: float = 1.0) -> list:
    return [Ranked(0, score, score, coverage, 1.0)]


def choose(intent="faq", key="faq/tuina_what", faq_coverage=1.0, top=None, **more):
    settings = {"answer_at": 1.0, "faq_kept_at": 0.5, "passage_over_faq_at": 1.3}
    settings.update(more)
    question = settings.pop("question", "what is tuina?")
    passages = top or []
    return decide(
        intent,
        key,
        settings.pop("abstains", False),
        passages,
        [True] * len(passages),
        faq_coverage,
        question,
        **settings,
    )[0]


def test_the_fixed_answer_stays_when_it_says_as_much_as_the_passage():
    assert choose(top=ranked(1.2, 0.8), faq_coverage=0.8) == FAQ
    assert choose(top=ranked(0.5), faq_coverage=0.9) == FAQ


def test_a_passage_that_says_more_of_what_was_asked_replaces_it():
    assert choose(top=ranked(1.1, 1.0), faq_coverage=0.4) == PASSAGE
    # As much said either way, but the passage is much surer.
    assert choose(top=ranked(1.4, 1.0), faq_coverage=1.0) == PASSAGE


def test_a_neighbouring_fixed_answer_with_no_passage_to_quote_gives_way():
    assert choose(top=ranked(0.7, 0.3), faq_coverage=0.3) == ABSTAIN


def test_how_many_is_not_a_price_question():
    asked = {"key": "faq/prices", "faq_coverage": 0.0, "abstains": True}
    assert choose(question="闵行诊所有多少个医生", **asked) == ABSTAIN
    assert choose(question="针灸多少钱一次", **asked) == FAQ
    years = choose(question="推拿有多少年历史", top=ranked(1.2), **asked)
    assert years == PASSAGE


def test_unclear_questions_on_the_clinics_subject_are_told_the_articles_dont_say():
    assert choose("nlu_fallback", None, 0.0, question="do you make home visits?") == (
        ABSTAIN
    )
    assert choose("out_of_scope", None, 0.0, question="who won the football?") is None
    assert choose("nlu_fallback", None, 0.0, question="tuina") is None  # no question


def test_a_story_before_the_question_is_left_out():
    text = "My mum is 70 and her back aches. What is kidney deficiency?"
    assert question_focus(text) == "What is kidney deficiency?"
    assert question_focus("what is tuina? I read about it.") == (
        "what is tuina? I read about it."
    )


def test_bookings_and_cancellations_are_read_only_when_asked_about():
    assert reads("book_appointment", "how early should I arrive for my appointment?")
    assert not reads("book_appointment", "how do I book an appointment?")
    assert not reads("book_appointment", "I'd like to come on Friday")
    assert reads("cancel", "预约了去不了怎么取消")
    assert not reads("cancel", "算了")
    assert not reads("emergency", "what is this chest pain?")


def test_off_topic_requests_are_not_the_clinics_subject():
    assert on_subject("is there parking at your clinic?")
    assert on_subject("你们有学生优惠吗")
    assert not on_subject("how do I become a tuina therapist?")
    assert not on_subject("明天天气怎么样")


def test_faq_answers_are_read_in_both_languages():
    responses = {
        "utter_faq/prices": [
            {"text": "Our articles do not list prices."},
            {"text": "文章没有列出价格。", "condition": [{"value": "zh"}]},
        ],
        "utter_greet": [{"text": "Hello"}],
    }
    assert faq_answers(responses) == {
        "faq/prices": {
            "en": "Our articles do not list prices.",
            "zh": "文章没有列出价格。",
        }
    }


def new_article(directory: Path) -> None:
    """An article that is not among the clinic's five: moxibustion."""
    title = Text("Moxibustion Explained", "艾灸详解")
    section = Text("What Is Moxibustion?", "什么是艾灸？")
    english = (
        "Moxibustion warms acupuncture points by burning dried mugwort near the skin. "
        "A session at our clinics lasts about 20 minutes."
    )
    chinese = "艾灸是在皮肤附近燃烧干艾叶来温热穴位。我们诊所的一次艾灸约20分钟。"
    passage = Passage(
        id="a09-p001",
        article="a09",
        title=title,
        section=section,
        text=Text(english, chinese),
        fingerprint=fingerprint(section.en, english),
        questions={
            "en": ("What is moxibustion?", "How long is a moxibustion session?"),
            "zh": ("什么是艾灸？", "艾灸一次多长时间？"),
        },
    )
    article = Article("a09", "09-moxibustion.txt", title, [passage])
    write_article(article, directory / "09-moxibustion.yml")


@pytest.fixture(scope="module")
def retriever(tmp_path_factory):
    articles = tmp_path_factory.mktemp("articles")
    new_article(articles)
    storage = LocalModelStorage(tmp_path_factory.mktemp("storage"))
    resource = Resource("article_retriever")
    context = ExecutionContext(GraphSchema({}), "test")
    config = {"knowledge": str(articles)}
    trained = ArticleRetriever.create(config, storage, resource, context)
    answers = {"utter_faq/tuina_what": [{"text": "Tuina is a TCM massage."}]}
    trained.train(TrainingData(training_examples=[], responses=answers))
    return ArticleRetriever.load(config, storage, resource, context)


TOKENIZER = BilingualTokenizer(BilingualTokenizer.get_default_config())


def parsed(text: str, intent: str = "nlu_fallback") -> Message:
    message = Message({"text": text, "intent": {"name": intent, "confidence": 0.3}})
    message.set(TOKENS_NAMES["text"], TOKENIZER.tokenize(message, "text"))
    return message


@pytest.mark.parametrize(
    ("text", "language"),
    [("how long does a moxibustion session last?", "en"), ("艾灸一次要多久？", "zh")],
)
def test_a_new_article_is_answered_after_training(retriever, text, language):
    message = parsed(text)
    retriever.process([message])
    verdict = read_mark(message.data, "article")
    assert verdict["answer"] == PASSAGE, verdict
    [passage] = verdict["passages"]
    assert passage["id"] == "a09-p001"
    assert "20" in passage["text"][language]
    assert passage["source"] == {
        "en": "From our article 'Moxibustion Explained'",
        "zh": "摘自我们的文章《艾灸详解》",
    }


def test_what_the_new_article_does_not_say_is_abstained_on(retriever):
    message = parsed("is there a student discount for moxibustion?")
    retriever.process([message])
    assert read_mark(message.data, "article")["answer"] == ABSTAIN


def test_a_fixed_answer_that_says_more_than_any_passage_needs_no_vector(retriever):
    message = parsed("what is tuina?", "faq")
    message.data["response_selector"] = {
        "faq": {"response": {"intent_response_key": "faq/tuina_what"}}
    }
    retriever.process([message])
    verdict = read_mark(message.data, "article")
    assert verdict["answer"] == FAQ and verdict["words_only"]


def test_red_flags_and_greetings_are_not_read(retriever):
    for intent in ("emergency", "greet", "human_handoff"):
        message = parsed("I feel chest pain after moxibustion, what is it?", intent)
        retriever.process([message])
        assert read_mark(message.data, "article") is None
