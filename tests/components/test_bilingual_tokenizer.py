from typing import List, Tuple

import pytest
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from components.bilingual_tokenizer import BilingualTokenizer


@pytest.fixture(scope="module")
def tokenizer() -> BilingualTokenizer:
    return BilingualTokenizer(BilingualTokenizer.get_default_config())


def tokens(tokenizer: BilingualTokenizer, text: str) -> List[Tuple[str, int, int]]:
    return [
        (t.text, t.start, t.end)
        for t in tokenizer.tokenize(Message({"text": text}), "text")
    ]


def test_english_is_split_into_words_without_punctuation(tokenizer):
    assert tokens(tokenizer, "Does tuina hurt?") == [
        ("Does", 0, 4),
        ("tuina", 5, 10),
        ("hurt", 11, 15),
    ]


def test_english_words_carry_lowercase_lookup_lemmas(tokenizer):
    message = Message({"text": "My Shoulders were HURTING"})
    lemmas = [t.lemma for t in tokenizer.tokenize(message, "text")]
    assert lemmas == ["my", "shoulder", "be", "hurt"]


def test_chinese_is_segmented_with_the_clinic_dictionary(tokenizer):
    words = [w for w, _, _ in tokens(tokenizer, "推拿会疼吗？我在闵行，想做针灸和拔罐")]
    assert words == [
        "推拿",
        "会",
        "疼",
        "吗",
        "我",
        "在",
        "闵行",
        "想",
        "做",
        "针灸",
        "和",
        "拔罐",
    ]


def test_clinic_terms_stay_whole_words(tokenizer):
    words = [w for w, _, _ in tokens(tokenizer, "穴位按摩和医疗按摩都在西藏南路吗")]
    assert "穴位按摩" in words and "医疗按摩" in words and "西藏南路" in words


@pytest.mark.parametrize(
    "text, expected",
    [
        ("推拿 hurt吗", [("推拿", 0, 2), ("hurt", 3, 7), ("吗", 7, 8)]),
        ("tuina多少钱", [("tuina", 0, 5), ("多少钱", 5, 8)]),
        (
            "I'm in 闵行 now",
            [("I", 0, 1), ("'m", 1, 3), ("in", 4, 6), ("闵行", 7, 9), ("now", 10, 13)],
        ),
    ],
)
def test_mixed_text_keeps_both_scripts_with_exact_offsets(tokenizer, text, expected):
    assert tokens(tokenizer, text) == expected
    for word, start, end in expected:
        assert text[start:end] == word


def test_emoji_and_punctuation_are_dropped(tokenizer):
    assert [w for w, _, _ in tokens(tokenizer, "tuina 😀👍!! 推拿🙏")] == [
        "tuina",
        "推拿",
    ]


@pytest.mark.parametrize("text", ["", "   ", "😀👍", "？！"])
def test_text_without_words_becomes_one_token(tokenizer, text):
    assert tokens(tokenizer, text) == [(text, 0, len(text))]


def test_full_width_digits_and_latin_are_words(tokenizer):
    words = [w for w, _, _ in tokens(tokenizer, "１３８ ＡＢＣ")]
    assert words == ["１３８", "ＡＢＣ"]


def test_traditional_characters_are_featurized_as_simplified(tokenizer):
    message = Message({"text": "針灸會痛嗎？診所幾點關門"})
    found = tokenizer.tokenize(message, "text")
    assert [t.lemma for t in found][:3] == ["针灸", "会痛", "吗"]
    assert "诊所" in [t.lemma for t in found]
    # The visitor's own characters and offsets are kept.
    assert (found[0].text, found[0].start, found[0].end) == ("針灸", 0, 2)


def faq_training_data() -> TrainingData:
    return TrainingData(
        [
            Message(
                {
                    "text": "does tuina hurt",
                    "intent": "faq",
                    "intent_response_key": "faq/does_it_hurt",
                    "response": "It should not hurt: tell your therapist.",
                }
            )
        ]
    )


def test_training_data_is_tokenized_without_the_answers_by_default(tokenizer):
    example = tokenizer.process_training_data(faq_training_data()).training_examples[0]
    assert [t.text for t in example.get("text_tokens")] == ["does", "tuina", "hurt"]
    assert [t.text for t in example.get("intent_response_key_tokens")] == [
        "faq",
        "does_it_hurt",
    ]
    assert example.get("response_tokens") is None


def test_answers_are_tokenized_when_configured():
    config = {**BilingualTokenizer.get_default_config(), "tokenize_responses": True}
    data = BilingualTokenizer(config).process_training_data(faq_training_data())
    answer = data.training_examples[0].get("response_tokens")
    assert [t.text for t in answer][:3] == ["It", "should", "not"]


def lemmas(tokenizer: BilingualTokenizer, text: str) -> List[Tuple[str, str]]:
    found = tokenizer.process([Message({"text": text})])[0].get("text_tokens")
    return [(t.text, t.lemma) for t in found]


def test_pinyin_is_read_as_chinese_words_keeping_the_visitors_text(tokenizer):
    assert lemmas(tokenizer, "zhenjiu duoshao qian?") == [
        ("zhenjiu", "针灸"),
        ("duoshao qian", "多少钱"),  # one word, as jieba segments 多少钱
    ]
    assert lemmas(tokenizer, "hi, zhouri kai men ma") == [
        ("hi", "hello"),
        ("zhouri", "周日"),
        ("kai men", "开门"),
        ("ma", "吗"),
    ]


@pytest.mark.parametrize(
    "text", ["tuina", "how much is tuina", "he can long", "a man on a fan"]
)
def test_english_and_a_lone_clinic_word_are_not_read_as_pinyin(tokenizer, text):
    assert all(lemma.isascii() for _, lemma in lemmas(tokenizer, text)), lemmas(
        tokenizer, text
    )


def test_only_visitors_messages_are_read_as_pinyin(tokenizer):
    typed = Message({"text": "tuina teng bu teng", "intent": "faq"})
    tokenizer.process_training_data(TrainingData([typed]))
    assert [t.lemma for t in typed.get("text_tokens")] == [
        "tuina",
        "teng",
        "bu",
        "teng",
    ]
    # Segmented as the same message typed in Chinese is.
    heard = [lemma for _, lemma in lemmas(tokenizer, "tuina teng bu teng")]
    assert heard == [lemma for _, lemma in lemmas(tokenizer, "推拿疼不疼")]
