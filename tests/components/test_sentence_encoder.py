import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.tokenizers.tokenizer import Token
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from components.sentence_encoder import (
    SentenceEncoderClassifier,
    current_label,
    encoder_text,
)

EXAMPLES = {
    "faq/locations": [
        "where are your clinics",
        "what is the address of the clinic",
        "how do i get to your branch",
        "你们诊所在哪里",
        "地址在哪",
    ],
    "faq/does_it_hurt": [
        "does tuina hurt",
        "is the massage painful",
        "will it be sore",
        "推拿疼吗",
        "按摩会痛吗",
    ],
    "emergency": [
        "my father has chest pain and cannot breathe",
        "she collapsed and is not responding",
        "我爸胸口剧痛喘不上气",
    ],
    "inform": ["saturday morning", "minhang", "周六上午"],
}


def training_data() -> TrainingData:
    messages = []
    for label, texts in EXAMPLES.items():
        intent, _, key = label.partition("/")
        for text in texts:
            data = {"text": text, "intent": intent}
            if key:
                data["intent_response_key"] = label
            messages.append(Message(data))
    responses = {"utter_faq/locations": [{"text": "We have two clinics."}]}
    return TrainingData(training_examples=messages, responses=responses)


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    storage = LocalModelStorage(tmp_path_factory.mktemp("storage"))
    resource = Resource("sentence_encoder")
    context = ExecutionContext(GraphSchema({}), "test")
    classifier = SentenceEncoderClassifier.create({}, storage, resource, context)
    classifier.train(training_data())
    return SentenceEncoderClassifier.load({}, storage, resource, context)


def parsed(text: str, intent: str, confidence: float, key: str = "") -> Message:
    data = {
        "text": text,
        "intent": {"name": intent, "confidence": confidence},
        "intent_ranking": [{"name": intent, "confidence": confidence}],
    }
    if key:
        response = {"intent_response_key": key, "confidence": confidence}
        data["response_selector"] = {intent: {"response": response, "ranking": []}}
    return Message(data)


def test_unsure_fallback_gets_the_answer_the_meaning_points_to(trained):
    message = parsed(
        "could you tell me where your clinic is located", "nlu_fallback", 0.5
    )
    trained.process([message])
    assert current_label(message)[0] == "faq/locations"
    response = message.get("response_selector")["faq"]["response"]
    assert response["utter_action"] == "utter_faq/locations"
    assert response["responses"] == [{"text": "We have two clinics."}]


def test_unsure_answer_is_replaced_by_a_sure_one(trained):
    message = parsed("诊所地址在什么地方", "faq", 1.0, key="faq/does_it_hurt")
    message.data["response_selector"]["faq"]["response"]["confidence"] = 0.4
    trained.process([message])
    assert current_label(message)[0] == "faq/locations"


def test_confident_prediction_is_not_consulted(trained):
    message = parsed("where are your clinics", "greet", 0.95)
    trained.process([message])
    assert current_label(message) == ("greet", 0.95)


def test_an_emergency_is_never_taken_away(trained):
    message = parsed("does tuina hurt", "emergency", 0.3)
    trained.process([message])
    assert current_label(message)[0] == "emergency"


def test_a_form_answer_is_never_chosen(trained):
    message = parsed("周六上午", "nlu_fallback", 0.5)
    trained.process([message])
    assert current_label(message)[0] == "nlu_fallback"


def test_encoder_reads_corrected_chinese_words():
    message = Message({"text": "推那疼吗 ok"})
    message.set(
        "text_tokens",
        [
            Token("推那", 0, lemma="推拿"),
            Token("疼", 2, lemma="疼"),
            Token("吗", 3, lemma="吗"),
            Token("ok", 5, lemma="ok"),
        ],
    )
    assert encoder_text(message) == "推拿疼吗 ok"


def test_what_is_asked_instead_decides(trained):
    message = parsed(
        "I'm not asking whether it hurts, just where your clinic is",
        "faq",
        1.0,
        key="faq/does_it_hurt",
    )
    trained.process([message])
    assert current_label(message)[0] == "faq/locations"


def test_encoder_reads_pinyin_as_the_chinese_the_tokenizer_read():
    message = Message({"text": "zhenjiu duoshao qian ok"})
    message.set(
        "text_tokens",
        [
            Token("zhenjiu", 0, lemma="针灸"),
            Token("duoshao qian", 8, lemma="多少钱"),
            Token("ok", 21, lemma="ok"),
        ],
    )
    assert encoder_text(message) == "针灸 多少钱 ok"


def test_english_lemmas_are_not_encoded():
    message = Message({"text": "My shoulders hurt"})
    message.set(
        "text_tokens",
        [
            Token("My", 0, lemma="my"),
            Token("shoulders", 3, lemma="shoulder"),
            Token("hurt", 13, lemma="hurt"),
        ],
    )
    assert encoder_text(message) == "My shoulders hurt"


def test_two_questions_read_apart_keep_an_answer_only_a_whole_message_names(trained):
    # The whole message names the second answer: it is the only one, not asked twice.
    text = "地址在哪？推拿疼吗 按摩会痛吗 会不会很疼很痛"
    message = parsed(text, "out_of_scope", 0.5)
    trained.process([message])
    assert current_label(message)[0] == "faq/does_it_hurt"
    assert "more_questions" not in message.get("response_selector")


def test_two_questions_read_apart_are_not_declined_as_one(trained, monkeypatch):
    # Each part is surely a question of the clinic's; the whole, "off-topic".
    classify = trained._classify

    def whole_off_topic(texts):
        if len(texts) == 1 and "？" in texts[0]:
            return [("out_of_scope", 0.9)]
        return classify(texts)

    monkeypatch.setattr(trained, "_classify", whole_off_topic)
    message = parsed("地址在哪？推拿疼吗？", "out_of_scope", 0.5)
    trained.process([message])
    assert current_label(message)[0] == "faq/locations"
    more = message.get("response_selector")["more_questions"]
    assert more["second"] == "faq/does_it_hurt"
