import pytest
from rasa.nlu.tokenizers.tokenizer import Token
from rasa.shared.nlu.training_data.message import Message

from components.language import (
    LanguageDetector,
    detect_language,
    language_hint,
    read_as_chinese,
    requested_language,
)


@pytest.mark.parametrize(
    "text, language",
    [
        ("does tuina hurt", "en"),
        ("推拿会疼吗", "zh"),
        ("推拿 hurt吗", "zh"),
        ("tuina多少钱", "zh"),
        ("Body & Soul在哪", "zh"),
        ("what is 拔罐", "en"),
        ("I live in 闵行, where is the nearest clinic", "en"),
        ("好", "zh"),
        ("ok", "en"),
    ],
)
def test_detects_the_language_a_visitor_writes_in(text, language):
    assert detect_language(text) == language


@pytest.mark.parametrize(
    "text", ["", "   ", "👍", "12345", '/book_appointment{"service": "tuina"}']
)
def test_no_language_without_words_or_for_button_payloads(text):
    assert detect_language(text) is None


@pytest.mark.parametrize(
    "text, language",
    [
        ("can you speak chinese", "zh"),
        ("Mandarin please", "zh"),
        ("说英文", "en"),
        ("能用英语回答吗", "en"),
        ("用中文", "zh"),
        ("不要中文，说英文", "en"),
        ("chinese instead of english please", "zh"),
        ("another language please", None),
    ],
)
def test_finds_the_language_a_visitor_asks_for(text, language):
    assert requested_language(text) == language


@pytest.mark.parametrize(
    "metadata, language",
    [
        ({"language": "zh-CN"}, "zh"),
        ({"language": "zh_Hans"}, "zh"),
        ({"language": "en-US"}, "en"),
        ({"language": "fr"}, None),
        ({}, None),
        (None, None),
    ],
)
def test_a_channels_language_hint_is_normalised(metadata, language):
    assert language_hint(metadata) == language


def process(text: str, intent: str, metadata: dict | None = None) -> list:
    message = Message(
        {
            "text": text,
            "intent": {"name": intent, "confidence": 1.0},
            "metadata": metadata,
        }
    )
    LanguageDetector().process([message])
    return [
        e["value"] for e in message.get("entities", []) if e["entity"] == "language"
    ]


def test_sets_the_written_language_on_ordinary_messages():
    assert process("推拿会疼吗", "faq") == ["zh"]
    assert process("does it hurt", "faq") == ["en"]


def test_a_switch_request_sets_the_language_asked_for():
    assert process("can you speak chinese", "switch_language") == ["zh"]
    assert process("说英文", "switch_language") == ["en"]


def test_messages_without_words_leave_the_language_alone():
    assert process("👍", "affirm") == []
    assert process("👍", "affirm", {"language": "fr"}) == []


def test_a_message_without_words_takes_the_channels_hint():
    assert process("👍", "affirm", {"language": "zh-CN"}) == ["zh"]
    assert process(
        '/book_appointment{"service": "tuina"}', "book_appointment", {"language": "en"}
    ) == ["en"]


def test_words_win_over_the_channels_hint():
    assert process("does it hurt", "faq", {"language": "zh-CN"}) == ["en"]


def test_keeps_entities_found_before_it():
    message = Message(
        {
            "text": "book tuina",
            "intent": {"name": "book_appointment"},
            "entities": [{"entity": "service", "value": "tuina"}],
        }
    )
    LanguageDetector().process([message])
    assert [e["entity"] for e in message.get("entities")] == ["service", "language"]


def test_pinyin_typed_without_a_chinese_keyboard_is_answered_in_chinese():
    spelled = [Token("ni", 0, lemma="你"), Token("shi", 3, lemma="是")]
    english = [Token("tuina", 0, lemma="推拿"), Token("hurts", 6, lemma="hurt")]
    assert read_as_chinese(spelled)
    assert not read_as_chinese(english)  # a Chinese term in an English sentence
    message = Message({"text": "ni shi"})
    message.set("text_tokens", spelled)
    LanguageDetector().process([message])
    assert message.get("entities")[0]["value"] == "zh"
