"""The passage selector: the passages' questions, learnt beside the FAQ examples."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from rasa.engine.graph import ExecutionContext
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.graph_components.validators.default_recipe_validator import GraphSchema
from rasa.shared.nlu.constants import INTENT_RESPONSE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from components.bilingual_tokenizer import BilingualTokenizer
from components.passage_selector import (
    PASSAGE_CHOICE,
    SPARSE_SHARE,
    CountVectorsWithoutPassages,
    MeaningChoice,
    PassageQuestions,
    PassageSelector,
    choice_from,
    is_passage_example,
    passage_key,
    without_passages,
)
from knowledge.passages import Article, Passage, Text, fingerprint, write_article

CONTEXT = ExecutionContext(GraphSchema({}), "test")
FAQ_EXAMPLES = {
    "faq/tuina_what": ["what is tuina", "tuina what is it", "explain tuina to me"],
    "faq/moxa_what": ["what is moxibustion", "moxibustion what is it", "explain moxa"],
}


def article(directory: Path) -> Path:
    """A one-passage article: how long moxibustion lasts, with its questions."""
    title = Text("Moxibustion Explained", "艾灸详解")
    section = Text("A Session", "一次治疗")
    english = "A moxibustion session at our clinics lasts about 20 minutes."
    passage = Passage(
        id="a09-p001",
        article="a09",
        title=title,
        section=section,
        text=Text(english, "我们诊所的一次艾灸约20分钟。"),
        fingerprint=fingerprint(section.en, english),
        questions={
            "en": ("how long does a moxa session last", "minutes per moxibustion"),
            "zh": ("艾灸一次多长时间",),
        },
    )
    write_article(
        Article("a09", "09-moxibustion.txt", title, [passage]),
        directory / "09-moxibustion.yml",
    )
    return directory


def faq_data() -> TrainingData:
    examples = [
        Message.build(text=text, intent=key)
        for key, texts in FAQ_EXAMPLES.items()
        for text in texts
    ]
    responses = {f"utter_{key}": [{TEXT: key}] for key in FAQ_EXAMPLES}
    return TrainingData(training_examples=examples, responses=responses)


def added_to(directory: Path) -> TrainingData:
    """The FAQ examples with the article's passage's questions added."""
    knowledge = article(directory)
    adder = PassageQuestions.create({"knowledge": str(knowledge)}, None, None, CONTEXT)
    return adder.process_training_data(faq_data())


@pytest.fixture
def with_passages(tmp_path) -> TrainingData:
    return added_to(tmp_path)


def test_each_passages_questions_are_added_with_the_passage_as_answer(with_passages):
    added = [m for m in with_passages.training_examples if is_passage_example(m)]
    assert sorted(m.get(TEXT) for m in added) == [
        "how long does a moxa session last",
        "minutes per moxibustion",
        "艾灸一次多长时间",
    ]
    assert {m.get(INTENT_RESPONSE_KEY) for m in added} == {passage_key("a09-p001")}
    assert with_passages.responses["utter_faq/passage_a09-p001"] == [
        {TEXT: "A moxibustion session at our clinics lasts about 20 minutes."}
    ]
    # The FAQ examples and answers are all still there.
    assert len(with_passages.training_examples) == 6 + 3
    assert "utter_faq/tuina_what" in with_passages.responses


def test_the_other_components_learn_without_them(with_passages):
    kept = without_passages(with_passages)
    assert not any(is_passage_example(m) for m in kept.training_examples)
    assert len(kept.training_examples) == 6
    assert set(kept.responses) == {"utter_faq/tuina_what", "utter_faq/moxa_what"}


def tokenized(data: TrainingData) -> TrainingData:
    tokenizer = BilingualTokenizer(BilingualTokenizer.get_default_config())
    return tokenizer.process_training_data(data)


def test_the_vocabulary_is_the_faq_examples_but_every_example_is_counted(
    with_passages, tmp_path
):
    (tmp_path / "storage").mkdir()
    storage = LocalModelStorage(tmp_path / "storage")
    featurizer = CountVectorsWithoutPassages.create(
        {**CountVectorsWithoutPassages.get_default_config(), "min_df": 1},
        storage,
        Resource("counts"),
        CONTEXT,
    )
    data = tokenized(with_passages)
    featurizer.train(data)
    vocabulary = featurizer.vectorizers[TEXT].vocabulary_
    assert "tuina" in vocabulary and "minutes" not in vocabulary
    featurizer.process_training_data(data)
    added = next(m for m in data.training_examples if is_passage_example(m))
    assert added.features_present(TEXT, [])


@pytest.fixture(scope="module")
def selector(tmp_path_factory):
    storage = LocalModelStorage(tmp_path_factory.mktemp("selector"))
    data = tokenized(added_to(tmp_path_factory.mktemp("articles")))
    featurizer = CountVectorsWithoutPassages.create(
        {
            **CountVectorsWithoutPassages.get_default_config(),
            "analyzer": "char_wb",
            "min_ngram": 1,
            "max_ngram": 4,
        },
        storage,
        Resource("chars"),
        CONTEXT,
    )
    featurizer.train(data)
    featurizer.process_training_data(data)
    config = {
        **PassageSelector.get_default_config(),
        "retrieval_intent": "faq",
        "epochs": 60,
        "number_of_transformer_layers": 0,
        "hidden_layers_sizes": {"text": [], "label": []},
        "random_seed": 42,
    }
    trained = PassageSelector.create(config, storage, Resource("passages"), CONTEXT)
    trained.train(data)
    return featurizer, trained


def chose(selector, text: str) -> dict:
    featurizer, passages = selector
    message = Message({TEXT: text})
    tokenizer = BilingualTokenizer(BilingualTokenizer.get_default_config())
    tokenizer.process([message])
    featurizer.process([message])
    passages.process([message])
    # Its choice is its own mark: the parse result's FAQ answer is not touched.
    assert "response_selector" not in message.data
    return message.get(PASSAGE_CHOICE)


def test_the_selector_tells_a_passages_detail_from_the_topics_answer(selector):
    detail = chose(selector, "how long does a moxa session last")
    assert detail["passage"] == "a09-p001"
    assert detail["confidence"] > detail["ranking"]["faq/moxa_what"]
    topic = chose(selector, "explain tuina to me")
    assert topic["passage"] is None
    assert topic["ranking"]["faq/tuina_what"] == topic["confidence"]


def test_a_choice_is_its_most_likely_answer_a_passage_by_its_id():
    assert choice_from({"faq/tuina_what": 0.3, passage_key("a04-p002"): 0.6}) == {
        "passage": "a04-p002",
        "confidence": 0.6,
        "ranking": {"faq/tuina_what": 0.3, passage_key("a04-p002"): 0.6},
    }
    assert (
        choice_from({"faq/tuina_what": 0.7, passage_key("a04-p002"): 0.2})["passage"]
        is None
    )
    assert choice_from({}) == {}


def meaning() -> MeaningChoice:
    """A regression over two directions: one FAQ answer's, one passage's."""
    rng = np.random.default_rng(0)
    topic, detail = np.eye(4)[0], np.eye(4)[1]
    vectors = np.concatenate(
        [
            topic + 0.1 * rng.standard_normal((20, 4)),
            detail + 0.1 * rng.standard_normal((20, 4)),
        ]
    )
    return MeaningChoice.fit(
        vectors, ["faq/tuina_what"] * 20 + [passage_key("a04-p002")] * 20
    )


def test_the_meaning_choice_takes_the_paraphrase_the_words_missed():
    # The words chose the topic's answer, unsure; the meaning is sure of the passage.
    words = {
        "passage": None,
        "confidence": 0.5,
        "ranking": {"faq/tuina_what": 0.5, passage_key("a04-p002"): 0.3},
    }
    blended = meaning().blend(words, np.eye(4)[1])
    assert blended["passage"] == "a04-p002"
    sure = meaning().probabilities(np.eye(4)[1])[passage_key("a04-p002")]
    assert blended["confidence"] == pytest.approx(
        SPARSE_SHARE * 0.3 + (1 - SPARSE_SHARE) * sure
    )
    # ... and keeps the words' answer where the meaning agrees.
    assert meaning().blend(words, np.eye(4)[0])["passage"] is None


def test_the_meaning_choice_is_stored_and_loaded_unchanged():
    fitted = meaning()
    loaded = MeaningChoice.from_arrays(fitted.to_arrays())
    vector = np.array([0.2, 0.9, 0.0, 0.1])
    assert loaded.probabilities(vector) == pytest.approx(fitted.probabilities(vector))
    assert loaded.labels == fitted.labels
