"""The articles' index: words, kinds of question, coverage and the fused ranking."""

from __future__ import annotations

import numpy as np
import pytest

from components.article_index import (
    ArticleIndex,
    Speller,
    Vocabulary,
    asked_kinds,
    content_words,
    gives,
    stem,
)


def test_derived_english_words_meet_at_their_stem():
    assert stem("rainy") == stem("rain") == "rain"
    assert stem("insurers") == stem("insurance")
    assert stem("pregnant") == stem("pregnancy")
    assert stem("推拿") == "推拿"


def test_content_words_drop_function_words_but_keep_negation():
    assert content_words(["who", "should", "not", "try", "it", "?"]) == ["not", "try"]
    assert content_words(["doe", "tuina", "hurt"]) == ["tuina", "hurt"]
    assert content_words(["推拿", "会", "疼", "吗"]) == ["推拿", "痛"]


@pytest.mark.parametrize(
    ("question", "kinds"),
    [
        ("推拿有多少年历史了", ["number"]),
        ("针灸多少钱一次", ["price"]),
        ("how much does tuina cost", ["price"]),
        ("how many manipulations does tuina have", ["number"]),
        ("市区诊所在几楼", ["place"]),
        ("who should not have acupressure?", []),
    ],
)
def test_what_kind_of_thing_is_asked(question, kinds):
    assert asked_kinds(question) == kinds


def test_phone_and_street_numbers_are_no_count():
    address = "Room 05, 760 South Xizang Road (+86 21) 6345 5101 * 223/ 225"
    assert not gives(address, "number")
    assert gives("Tuina uses 21 different manipulations", "number")
    assert gives(address, "place")
    assert not gives("any text at all", "price")


def test_chinese_words_count_when_cut_differently():
    vocabulary = Vocabulary(["肌肉骨骼疾病", "腰痛", "massage"])
    assert "疾病" in vocabulary  # a part of one of its words
    assert "腰痛吗" in vocabulary  # has one of its words in it
    assert "massage" in vocabulary
    assert "停车位" not in vocabulary
    assert "mass" not in vocabulary  # English words are whole


def index() -> ArticleIndex:
    documents = {
        "en": [["tuina", "manipulation", "21"], ["cup", "suction", "skin"]],
        "zh": [["推拿", "手法"], ["拔罐", "吸力"]],
    }
    vectors = np.eye(3, dtype=np.float32)[
        [0, 1, 2]
    ]  # text 0 -> passage 0, 1 and 2 -> 1
    return ArticleIndex(documents, vectors, [0, 1, 1])


def test_the_passage_with_the_words_and_the_meaning_ranks_first():
    articles = index()
    found = articles.words_found(["cup", "suction"], "en")
    ranked = articles.rank(found, np.array([0, 0, 1.0], np.float32))
    assert [r.index for r in ranked] == [1, 0]
    assert ranked[0].coverage == 1.0 and ranked[0].cosine == 1.0


def test_how_many_passages_use_a_word_and_which():
    articles = index()
    assert articles.used_by("cup", "en") == 1
    assert articles.used_by("parking", "en") == 0
    assert articles.says(1, "suction", "en") and not articles.says(0, "suction", "en")
    assert articles.says(0, "推拿", "zh")


def test_a_word_the_articles_never_use_weighs_most():
    articles = index()
    weights = articles.weights(["推拿", "停车位"], "zh")
    assert weights["停车位"] > weights["推拿"]
    found = articles.words_found(["推拿", "停车位"], "zh")
    ranked = articles.rank(found, np.zeros(3, np.float32))
    assert ranked[0].index == 0 and ranked[0].coverage < 0.5


def test_a_misspelt_word_is_read_as_the_known_word_closest_to_it():
    speller = Speller(["acupunctur", "cup", "tuina", "manipulation"])
    assert speller("acupunture") == "acupunctur"
    assert speller("manipulaton") == "manipulation"
    assert speller("parking") == "parking"  # nothing close: stays unknown
    assert speller("cups") == "cups"  # short words are left as they are
