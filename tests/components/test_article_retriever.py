"""The articles' retriever: what it reads, how it decides, a new article answered."""

from __future__ import annotations

from pathlib import Path

import pytest
from rasa.engine.graph import ExecutionContext
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.graph_components.validators.default_recipe_validator import GraphSchema
from rasa.nlu.constants import TOKENS_NAMES
from rasa.shared.nlu.constants import INTENT_RESPONSE_KEY
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from components.article_index import Ranked
from components.article_retriever import (
    ABSTAIN,
    FAQ,
    PASSAGE,
    ArticleRetriever,
    Fixed,
    _add_covered_passages,
    adds_detail,
    asking_sentences,
    confirms,
    decide,
    faq_answers,
    named,
    on_subject,
    question_focus,
    reads,
)
from components.bilingual_tokenizer import BilingualTokenizer
from components.follow_up import read_mark
from components.passage_selector import PASSAGE_CHOICE
from knowledge.passages import Article, Passage, Text, fingerprint, write_article


def ranked(score: float, coverage: float = 1.0, cosine: float = 0.6) -> list:
    return [Ranked(0, score, cosine, coverage, 1.0)]


def fixed(
    key="faq/tuina_what",
    coverage=0.5,
    covers=(),
    confidence=0.5,
    fits=True,
    typical=0.9,
    unanswered=frozenset(),
):
    return Fixed(
        key, fits, coverage, frozenset(covers), confidence, unanswered, typical=typical
    )


def choose(intent="faq", answer=None, top=None, question="what is tuina?"):
    passages = top or []
    return decide(intent, answer, passages, [True] * len(passages), question, 1.0, 0.6)[
        0
    ]


def test_the_fixed_answer_stays_unless_a_passage_has_every_word_asked():
    assert choose(answer=fixed(), top=ranked(1.2, 0.8)) == FAQ
    assert choose(answer=fixed(), top=ranked(0.5)) == FAQ
    assert choose(answer=fixed(), top=ranked(1.1, 1.0)) == PASSAGE


def test_an_unsure_answer_that_says_little_gives_way_to_a_passage_that_says_more():
    # "身体的自愈能力失灵了会怎么样", taken for what the clinic is: it says none of it.
    says_nothing = fixed("faq/about_clinic", coverage=0.0, confidence=0.43)
    assert choose(answer=says_nothing, top=ranked(1.1, 0.6)) == PASSAGE
    assert choose(answer=says_nothing, top=ranked(1.1, 0.3)) == FAQ
    assert choose(answer=fixed(coverage=0.3), top=ranked(1.1, 0.6)) == FAQ
    # "穴位按摩有哪些手法": asked almost as the techniques passage's own question.
    says_all = fixed("faq/acupressure_what", coverage=1.0, confidence=0.54)
    assert choose(answer=says_all, top=ranked(1.5, 1.0, cosine=0.97)) == PASSAGE
    assert choose(answer=says_all, top=ranked(1.5, 1.0, cosine=0.8)) == FAQ
    assert choose(answer=says_all, top=ranked(1.5, 0.9, cosine=0.97)) == FAQ
    # A sure classifier keeps its answer.
    sure = fixed("faq/acupressure_what", coverage=0.0, confidence=0.8)
    assert choose(answer=sure, top=ranked(1.5, 1.0, cosine=0.97)) == FAQ


def test_a_question_unlike_the_answers_examples_takes_the_passage_that_says_it():
    # "推拿能改善腰部的血液循環嗎", taken for what tuina is (0.21): like none of its
    # examples, and the passage on tuina for the lower back says as much of it.
    unlike = fixed("faq/tuina_what", coverage=0.3, confidence=0.7, typical=0.5)
    assert choose(answer=unlike, top=ranked(1.05, 0.25)) == PASSAGE
    assert choose(answer=unlike, top=ranked(1.05, 0.1)) == FAQ  # says less
    assert choose(answer=unlike, top=ranked(0.5, 0.7)) == FAQ  # below answer_at
    # A typical question, a sure classifier or a covered passage keeps the answer.
    typical = fixed("faq/tuina_what", coverage=0.3, confidence=0.7, typical=0.8)
    assert choose(answer=typical, top=ranked(1.05, 0.7)) == FAQ
    sure = fixed("faq/tuina_what", coverage=0.3, confidence=0.85, typical=0.5)
    assert choose(answer=sure, top=ranked(1.05, 0.7)) == FAQ
    covered = fixed(coverage=0.3, confidence=0.7, typical=0.5, covers=[0])
    assert choose(answer=covered, top=ranked(1.05, 0.7)) == FAQ


def test_a_sure_classifier_or_a_covered_passage_keeps_the_fixed_answer():
    assert choose(answer=fixed(confidence=0.9), top=ranked(1.4)) == FAQ
    assert choose(answer=fixed(covers=[0]), top=ranked(1.4)) == FAQ
    assert choose(answer=fixed(coverage=1.0), top=ranked(1.4)) == FAQ


def leaves_out(*words, confidence=0.97, covers=()):
    """A sure FAQ answer that never says `words` (nor do its examples)."""
    return Fixed(
        "faq/medical_massage_what",
        True,
        0.5,
        frozenset(covers),
        confidence,
        frozenset(words),
    )


def test_a_passage_answers_what_a_sure_faq_answer_leaves_out():
    # "why is medical massage compared to psychology?": the answer never says it.
    answer = leaves_out("psycholog")
    top = [Ranked(3, 1.4, 0.9, 1.0, 1.0), Ranked(5, 1.0, 0.7, 0.5, 0.5)]
    naming = named(answer, top, [True, True], [True, False], 1.0)
    picked = decide("faq", answer, top, [True, True], "why?", 1.0, 0.6, naming)
    assert picked == (PASSAGE, [3])
    # Without such a passage, or without the word, the FAQ answer stays.
    assert (
        decide(
            "faq",
            answer,
            top,
            [True, True],
            "why?",
            1.0,
            0.6,
            named(answer, top, [True, True], [False] * 2, 1.0),
        )[0]
        == FAQ
    )
    assert (
        decide(
            "faq",
            leaves_out(),
            top,
            [True, True],
            "why?",
            1.0,
            0.6,
            named(leaves_out(), top, [True, True], [True] * 2, 1.0),
        )[0]
        == FAQ
    )


def test_the_naming_passage_must_say_the_whole_question_and_come_first():
    answer = leaves_out("psycholog")
    partial = [Ranked(3, 1.4, 0.9, 0.7, 1.0)]
    assert named(answer, partial, [True], [True], 1.0) is None
    assert named(answer, partial, [True], [True], 0.6) == partial[0]
    # A passage the FAQ answer already covers is passed over; the next must name it.
    covered = leaves_out("psycholog", covers=[3])
    two = [Ranked(3, 1.4, 0.9, 1.0, 1.0), Ranked(4, 1.2, 0.8, 1.0, 1.0)]
    assert named(covered, two, [True, True], [True, True], 1.0) == two[1]
    # The best uncovered passage decides: a lower one that names it does not count.
    assert named(answer, two, [True, True], [False, True], 1.0) is None
    # Nor one that does not give the kind of thing asked (a number, a place).
    assert named(answer, two, [False, True], [True, True], 1.0) is None


def test_a_question_of_the_kind_the_articles_leave_open_is_told_so():
    # "is there parking at the downtown clinic?", taken for the addresses.
    answer = fixed("faq/locations", coverage=0.6, confidence=0.95)
    top = ranked(1.2, 0.6)
    assert decide("faq", answer, top, [True], "parking?", 1.0, 0.6) == (FAQ, [])
    assert (
        decide("faq", answer, top, [True], "parking?", 1.0, 0.6, left_open=True)[0]
        == ABSTAIN
    )
    # A passage that answers what the FAQ answer leaves out still comes first.
    named_first = decide(
        "faq",
        leaves_out("psycholog"),
        top,
        [True],
        "why?",
        1.0,
        0.6,
        named(leaves_out("psycholog"), top, [True], [True], 0.5),
        left_open=True,
    )
    assert named_first == (PASSAGE, [0])


def test_how_many_is_not_a_price_question():
    prices = fixed("faq/prices", coverage=0.0, confidence=0.99, fits=False)
    assert choose(answer=prices, question="闵行诊所有多少个医生") == ABSTAIN
    assert choose(answer=prices, top=ranked(1.2)) == PASSAGE


def test_unclear_questions_on_the_clinics_subject_are_told_the_articles_dont_say():
    assert choose("nlu_fallback", question="do you make home visits?") == ABSTAIN
    assert choose("nlu_fallback", question="第一次去要提前多久到") == ABSTAIN
    # What to bring is about the clinic's visits, whatever words it is asked in.
    assert choose("out_of_scope", question="第一次去要带什么？") == ABSTAIN
    assert choose("out_of_scope", question="who won the football?") is None
    assert choose("nlu_fallback", question="tuina") is None  # no question
    # The classifier's off-topic is answered with a passage only if asked nearly as
    # one of its texts.
    assert choose("out_of_scope", top=ranked(1.5), question="tuina for cats?") is None


def test_an_off_topic_question_asked_nearly_as_a_passage_gets_it():
    # "honestly i hate the gym. does keeping up regular exercise matter much if i
    # have chronic pain?": the classifier's off-topic, the exercise passage at 0.84.
    question = "does keeping up regular exercise matter much if i have chronic pain?"
    near = ranked(1.25, 0.7, cosine=0.84)
    assert choose("out_of_scope", top=near, question=question) == PASSAGE
    # Below the threshold the passage is never quoted, however near.
    assert choose("out_of_scope", top=ranked(0.9, cosine=0.84), question=question) != (
        PASSAGE
    )
    assert choose("out_of_scope", top=ranked(1.25, cosine=0.64), question=question) != (
        PASSAGE
    )


def test_a_bare_answer_is_no_question_for_a_passage():
    # "with joe teh please" names the practitioner's passage's words, but answers a
    # booking form's question; a question the classifier took for a bare answer is
    # read, and gets the passage.
    assert not reads("inform", "with joe teh please")
    assert reads("inform", "does joe teh do tuina?")
    question = "does joe teh do tuina?"
    assert choose("inform", top=ranked(1.5), question=question) == PASSAGE


def test_a_story_before_the_question_is_left_out():
    text = "My mum is 70 and her back aches. What is kidney deficiency?"
    assert question_focus(text) == "What is kidney deficiency?"
    assert question_focus("what is tuina? I read about it.") == (
        "what is tuina? I read about it."
    )
    # A question that points back to the story keeps the sentence it points to.
    story = "Hi, my mum is 70. Her lower back aches every evening. What is that called?"
    assert question_focus(story) == (
        "Her lower back aches every evening. What is that called?"
    )
    assert question_focus("我爸天天坐办公室。他腰很酸。这是什么原因？") == (
        "他腰很酸。 这是什么原因？"
    )
    assert question_focus("我看了你们的文章。那针灸呢？") == "那针灸呢？"


def test_bookings_and_cancellations_are_read_only_when_asked_about():
    assert reads("book_appointment", "how early should I arrive for my appointment?")
    assert not reads("book_appointment", "how do I book an appointment?")
    assert not reads("book_appointment", "I'd like to come on Friday")
    assert reads("cancel", "预约了去不了怎么取消")
    assert not reads("cancel", "算了")
    assert not reads("emergency", "what is this chest pain?")


def test_a_booking_asking_what_the_front_desk_is_asked_is_read():
    # A referral, a refund, what to bring, a home visit: no article states them.
    assert reads("book_appointment", "do I need a doctor's referral to book tuina")
    assert reads("cancel", "预约了临时去不了 钱能退吗")
    assert reads("book_appointment", "can i book a home visit?")
    # Asked for, not about; and what the booking form takes itself.
    assert not reads("book_appointment", "book tuina for two people tomorrow")
    assert not reads("book_appointment", "can i book with a female therapist?")
    assert not reads("human_handoff", "can i talk to someone about a refund?")
    # The classifier's hand-over for a question about a visit.
    assert reads("human_handoff", "anything i need to bring to my first appointment?")


def test_a_visit_asked_about_gets_no_passage():
    # "预约了去不了怎么取消" is near the passage inviting visitors to book.
    question = "预约了去不了怎么取消"
    for intent in ("cancel", "book_appointment", "human_handoff"):
        assert choose(intent, top=ranked(1.5, cosine=0.7), question=question) == ABSTAIN


def test_off_topic_requests_are_not_the_clinics_subject():
    assert on_subject("is there parking at your clinic?")
    assert on_subject("你们有学生优惠吗")
    # The clinic's facilities and paperwork.
    assert on_subject("is there wifi in the waiting area, i might need to take a call")
    assert on_subject("看完能开病假条吗 公司hr要")
    assert on_subject("is an online consultation possible?")
    assert on_subject("可以线上问诊吗")
    # Addressed as visitors write: "u", "ur", 你家, 店里.
    assert on_subject("do u have a place to park")
    assert on_subject("你家附近好停车吗")
    assert on_subject("driving there, can i park in the building?")
    assert on_subject("any showers there? coming from the gym")
    assert on_subject("how many minutes are the cups left on")
    assert not on_subject("how do I become a tuina therapist?")
    assert not on_subject("明天天气怎么样")
    # Cupping said as visitors say it: 拔完罐, 拔个火罐.
    assert on_subject("拔完罐当天可以去游泳吗") and on_subject("想拔个火罐")


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


def trained_retriever(tmp_path_factory, examples=()) -> ArticleRetriever:
    """The retriever trained on the new article and the tuina answer (`examples`)."""
    articles = tmp_path_factory.mktemp("articles")
    new_article(articles)
    storage = LocalModelStorage(tmp_path_factory.mktemp("storage"))
    resource = Resource("article_retriever")
    context = ExecutionContext(GraphSchema({}), "test")
    config = {"knowledge": str(articles)}
    trained = ArticleRetriever.create(config, storage, resource, context)
    answers = {"utter_faq/tuina_what": [{"text": "Tuina is a TCM massage."}]}
    training = [
        Message({"text": text, "intent": "faq", INTENT_RESPONSE_KEY: "faq/tuina_what"})
        for text in examples
    ]
    trained.train(TrainingData(training_examples=training, responses=answers))
    return ArticleRetriever.load(config, storage, resource, context)


@pytest.fixture(scope="module")
def retriever(tmp_path_factory):
    return trained_retriever(tmp_path_factory)


@pytest.fixture(scope="module")
def retriever_with_examples(tmp_path_factory):
    """The same, with the FAQ answer's examples: it learns to choose by meaning too."""
    return trained_retriever(
        tmp_path_factory,
        ("what is tuina", "tell me about tuina", "推拿是什么", "介绍一下推拿"),
    )


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
    response = {"intent_response_key": "faq/tuina_what", "confidence": 0.95}
    message.data["response_selector"] = {"faq": {"response": response}}
    retriever.process([message])
    verdict = read_mark(message.data, "article")
    assert verdict["answer"] == FAQ and verdict["words_only"]


def asked_with_the_tuina_answer(text: str) -> Message:
    """`text`, taken for what tuina is; the word-based selector chose that too."""
    message = parsed(text, "faq")
    response = {"intent_response_key": "faq/tuina_what", "confidence": 0.55}
    message.data["response_selector"] = {"faq": {"response": response}}
    ranking = {"faq/tuina_what": 0.6, "faq/passage_a09-p001": 0.3}
    message.set(
        PASSAGE_CHOICE, {"passage": None, "confidence": 0.6, "ranking": ranking}
    )
    return message


def test_the_passage_the_meaning_chooses_follows_the_answer_its_words_kept(
    retriever, retriever_with_examples
):
    text = "what do they burn close to your skin during moxa?"
    # Its words alone keep the answer, and nothing follows it...
    alone = asked_with_the_tuina_answer(text)
    retriever.process([alone])
    assert "added" not in read_mark(alone.data, "article")
    # ... its meaning is the passage's: quoted before the answer, which stays.
    message = asked_with_the_tuina_answer(text)
    retriever_with_examples.process([message])
    verdict = read_mark(message.data, "article")
    assert verdict["answer"] == FAQ and verdict["added"] == "a09-p001", verdict
    # A question its meaning agrees is the answer's gets the answer alone.
    topic = asked_with_the_tuina_answer("tell me what tuina massage is")
    retriever_with_examples.process([topic])
    assert "added" not in (read_mark(topic.data, "article") or {})


def test_a_bare_topic_is_left_to_the_fallback(retriever):
    message = parsed("moxibustion?")
    retriever.process([message])
    assert read_mark(message.data, "article") is None


def test_red_flags_and_greetings_are_not_read(retriever):
    for intent in ("emergency", "greet", "human_handoff"):
        message = parsed("I feel chest pain after moxibustion, what is it?", intent)
        retriever.process([message])
        assert read_mark(message.data, "article") is None


def test_an_answer_covers_a_passage_by_what_the_passage_itself_says():
    # The passage says "cup suction skin"; its questions add a visitor's words. The
    # answer that says the passage's words covers it however many questions it has,
    # and then knows the questions' words too.
    said = {"en": [["cup", "suction", "skin"]], "zh": [[]]}
    documents = {
        "en": [["cup", "suction", "skin", "leave", "mark", "hurt", "bruise", "long"]],
        "zh": [[]],
    }
    answers = {"faq/cupping": {"en": ["cup", "suction", "skin"], "zh": []}}
    words = {"faq/cupping": {"en": ["cup", "suction", "skin"], "zh": []}}
    covers = _add_covered_passages(words, answers, documents, said)
    assert covers["faq/cupping"]["en"] == [0]
    assert "bruise" in words["faq/cupping"]["en"]


def test_a_question_asked_as_a_passage_rather_than_as_the_answer_takes_the_passage():
    # "why is medical massage compared to psychology?": the classifier is fairly sure
    # of what medical massage is, whose examples ask it only in other words. A passage
    # asked as nearly, that says somewhat fewer of the words asked, takes it too.
    answer = fixed(coverage=0.14, confidence=0.77, typical=0.86)
    assert choose(answer=answer, top=ranked(1.5, 1.0, cosine=0.99)) == PASSAGE
    fuller = fixed(coverage=0.5, confidence=0.77, typical=0.7)
    assert choose(answer=fuller, top=ranked(1.2, 0.35, cosine=0.85)) == PASSAGE
    assert choose(answer=fuller, top=ranked(1.2, 0.25, cosine=0.85)) == FAQ
    # Not asked as nearly: the answer stays; nor when an example asks it as nearly.
    assert choose(answer=answer, top=ranked(1.5, 1.0, cosine=0.9)) == FAQ
    typical = fixed(coverage=0.14, confidence=0.77, typical=0.97)
    assert choose(answer=typical, top=ranked(1.5, 1.0, cosine=0.99)) == FAQ
    # ... and a classifier this sure keeps it.
    sure = fixed(coverage=0.14, confidence=0.92, typical=0.86)
    assert choose(answer=sure, top=ranked(1.5, 1.0, cosine=0.99)) == FAQ


def test_a_condition_no_article_names_is_left_open_whatever_the_intent():
    # "可以帮忙戒烟吗" (can you help me quit smoking), taken for a fallback: not the
    # clinic's subject in so many words, but left open.
    question = "可以帮忙戒烟吗"
    assert decide("nlu_fallback", None, [], [], question, 1.0, 0.6)[0] is None
    left_open = decide("nlu_fallback", None, [], [], question, 1.0, 0.6, left_open=True)
    assert left_open == (ABSTAIN, [])
    # Not a question: left to the other rules.
    assert (
        decide("nlu_fallback", None, [], [], "我在戒烟", 1.0, 0.6, left_open=True)[0]
        is None
    )


def test_only_the_sentences_that_ask_name_what_is_asked_about():
    story = (
        "I had a rough massage once. Now I'm recovering from whiplash. "
        "What techniques does it involve?"
    )
    assert asking_sentences(story) == "What techniques does it involve?"
    assert asking_sentences("老是耳鸣 针灸能治不") == "老是耳鸣 针灸能治不"


@pytest.mark.parametrize(
    "story",
    [
        "my jaw clicks, dentist says TMJ. would acupuncture help with that?",
        "I'm breastfeeding my 4-month-old. Is it safe for me to take herbs?",
        "I've had long covid for a year. Is there anything TCM can do?",
        "我下巴一张嘴就响。这个能推拿吗？",
    ],
)
def test_a_question_whether_a_treatment_helps_what_the_story_told_reads_the_story(
    story,
):
    assert asking_sentences(story).replace(" ", "") == story.replace(" ", "")


def test_a_question_about_the_treatment_itself_reads_only_the_question():
    story = "My son has had a poor appetite for weeks. Is tuina suitable for a child?"
    assert asking_sentences(story) == "Is tuina suitable for a child?"


def test_a_condition_no_article_names_is_told_so(retriever):
    # The moxibustion article and the tuina answer name no tinnitus (耳鸣).
    for text in ("does moxibustion help tinnitus?", "艾灸能治耳鸣吗"):
        message = parsed(text, "faq")
        response = {"intent_response_key": "faq/tuina_what", "confidence": 0.95}
        message.data["response_selector"] = {"faq": {"response": response}}
        retriever.process([message])
        verdict = read_mark(message.data, "article")
        assert verdict["answer"] == ABSTAIN and verdict["names_unnamed"], verdict


def choice(passage="a04-p002", confidence=0.6, answers=None):
    return {
        "passage": passage,
        "confidence": confidence,
        "ranking": {"faq/tuina_what": 0.05} if answers is None else answers,
    }


PASSAGES = [{"id": "a04-p001"}, {"id": "a04-p002"}]


def test_the_faq_answer_the_passage_selector_chose_too_is_never_replaced():
    # "tuina is what kind of therapy": the classifier was unsure (0.5), a passage says
    # every word; the selector, which knows the passages, chose the answer too.
    answer = fixed(confidence=0.5, coverage=0.4)
    top = [Ranked(1, 1.2, 0.8, 1.0, 1.0)]
    assert decide("faq", answer, top, [True], "what?", 1.0, 0.6)[0] == PASSAGE
    assert decide("faq", answer, top, [True], "what?", 1.0, 0.6, kept=True) == (
        FAQ,
        [],
    )
    # ... but it still gives way where it does not fit, or the articles leave it open.
    unfit = fixed(confidence=0.5, fits=False)
    assert decide("faq", unfit, top, [True], "?", 1.0, 0.6, kept=True)[0] == PASSAGE
    left = decide("faq", answer, top, [True], "?", 1.0, 0.6, None, True, True)
    assert left[0] == ABSTAIN


@pytest.mark.parametrize(
    ("chosen", "confirmed"),
    [
        (choice(passage=None, confidence=0.3, answers={"faq/tuina_what": 0.3}), True),
        (choice(passage=None, confidence=0.6, answers={"faq/cupping": 0.6}), False),
        (choice(confidence=0.4, answers={"faq/tuina_what": 0.3}), False),
        ({}, False),
    ],
)
def test_the_selector_confirms_only_the_classifiers_own_answer(chosen, confirmed):
    assert confirms(chosen, "faq/tuina_what") is confirmed


def test_a_passage_the_selector_prefers_but_is_unsure_of_follows_the_faq_answer():
    # "中医说我这个腰疼是肾虚引起的是什么意思": the causes in TCM, then the passage on
    # kidney deficiency, which the selector prefers (0.42 > 0.3).
    top = [Ranked(1, 0.7, 0.6, 0.5, 1.0)]
    chosen = choice(confidence=0.42, answers={"faq/tuina_what": 0.3})
    answer = fixed(confidence=0.95)
    assert adds_detail(answer, top[0], chosen, PASSAGES) == top[0]


@pytest.mark.parametrize(
    ("top", "chosen", "covers"),
    [
        # The selector is surer of the FAQ answer, or chose no passage.
        ([Ranked(1, 1.2, 0.8, 0.8, 1.0)], choice(answers={"faq/tuina_what": 0.7}), ()),
        ([Ranked(1, 1.2, 0.8, 0.8, 1.0)], choice(passage=None), ()),
        # The retriever ranks another passage first.
        ([Ranked(0, 1.2, 0.8, 0.8, 1.0)], choice(), ()),
        # The FAQ answer already states the passage.
        ([Ranked(1, 1.2, 0.8, 0.8, 1.0)], choice(), (1,)),
        # No passage gives the kind of thing asked.
        ([None], choice(), ()),
    ],
)
def test_nothing_follows_the_faq_answer_unless_both_prefer_a_passage_it_leaves_out(
    top, chosen, covers
):
    answer = fixed(confidence=0.9, covers=covers)
    assert adds_detail(answer, top[0], chosen, PASSAGES) is None


def test_a_passage_the_answer_states_follows_it_for_a_word_the_answer_leaves_unsaid():
    # "according to tcm what makes kidney qi weak": the causes of back pain repeat
    # most of the kidney-deficiency passage, but not what weakens kidney qi.
    top = [Ranked(1, 1.2, 0.8, 0.8, 1.0)]
    said = fixed(confidence=0.97, covers=(1,))
    unsaid = fixed(confidence=0.97, covers=(1,), unanswered=frozenset({"weak"}))
    assert adds_detail(said, top[0], choice(), PASSAGES) is None
    assert adds_detail(unsaid, top[0], choice(), PASSAGES) == top[0]
    # "is the idea that your body then heals itself": the passage says "heal",
    # which the answer on what acupressure is does not.
    assert adds_detail(said, top[0], choice(), PASSAGES, says_unsaid=True) == top[0]
