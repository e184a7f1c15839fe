import re
from typing import List, Tuple

import jieba
import pytest

from components.bilingual_tokenizer import CLINIC_DICTIONARY
from components.pinyin import PinyinReader, is_pinyin, pinyin_runs


@pytest.fixture(scope="module")
def reader() -> PinyinReader:
    words = jieba.Tokenizer()
    words.load_userdict(str(CLINIC_DICTIONARY))
    words.initialize()
    return PinyinReader(words.FREQ.items())


def spaced(text: str) -> List[Tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group()) for m in re.finditer(r"\S+", text)]


def chinese(reader: PinyinReader, text: str) -> str:
    tokens = spaced(text)
    read = reader.read(tokens)
    assert read is not None
    return "".join(character for _, _, character in read)


@pytest.mark.parametrize(
    "typed, meant",
    [
        ("zhenjiu duoshao qian", "针灸多少钱"),
        ("ni men ji dian guan men", "你们几点关门"),
        ("wo xiang yuyue ba guan", "我想预约拔罐"),
        ("ke yi yong yi bao ma", "可以用医保吗"),
        ("an mo teng bu teng", "按摩疼不疼"),
        ("xiawu you kong ma", "下午有空吗"),
        ("wo yao qu xiao yu yue", "我要取消预约"),
        ("nimen zai nali", "你们在哪里"),
        ("ni shi zhenren ma", "你是真人吗"),
        ("xiexie", "谢谢"),
        # Red flags and off-topic requests are read too, for the rules after.
        ("wo bu xiang huo le", "我不想活了"),
        ("haizi tun le dianchi", "孩子吞了电池"),
        ("ni men zhao ren ma", "你们招人吗"),
        ("wo de gou neng zuo zhenjiu ma", "我的狗能做针灸吗"),
    ],
)
def test_pinyin_is_read_as_the_chinese_it_spells(reader, typed, meant):
    assert chinese(reader, typed) == meant


def test_each_character_keeps_the_offsets_of_its_syllable(reader):
    read = reader.read(spaced("tuina duoshao qian"))
    assert read == [
        (0, 3, "推"),
        (3, 5, "拿"),
        (6, 9, "多"),
        (9, 13, "少"),
        (14, 18, "钱"),
    ]


def test_a_syllable_never_straddles_the_visitors_space(reader):
    # "xi an" is two syllables (西安 would do), never "xian" (先).
    read = reader.read(spaced("xi an"))
    assert [(start, end) for start, end, _ in read] == [(0, 2), (3, 5)]


@pytest.mark.parametrize(
    "token", ["tuina", "zhuang", "xian", "nv", "nü", "Lvse", "jiqiren", "a"]
)
def test_valid_syllables_are_pinyin(token):
    assert is_pinyin(token)


@pytest.mark.parametrize("token", ["tuinas", "hurt", "ok", "hm", "ng", "I", "x", "123"])
def test_other_words_are_not_pinyin(token):
    assert not is_pinyin(token)


@pytest.mark.parametrize(
    "text",
    [
        "tuina",  # one token: the clinic's word as typed
        "Minhang",
        "he can long",  # every token spells pinyin, and is English
        "a man",
        "fan ban",
        "women",
        "does tuina hurt",  # "does", "hurt" are not pinyin: runs of one
        "can tuina help",  # a run of two, half of it English
        "I want tuina on sunday",
        "does my insurance cover tuina",  # "cover" spells no pinyin: v is not ü
        "can I reserve tuina",
        "tuina alongside physio",  # "alongside": an English word spelling pinyin
        "Anna Li",  # a name given to the booking form
        "Wang Fang",
    ],
)
def test_english_and_single_words_are_not_read(text):
    assert pinyin_runs(spaced(text)) == []


@pytest.mark.parametrize(
    "text, runs",
    [
        ("zhenjiu duoshao qian", [(0, 3)]),
        ("xiexie ni a", [(0, 3)]),
        ("zhouri kai men ma", [(0, 4)]),  # "men": English, but one of four
        ("hi zhouri kai men ma ok", [(1, 5)]),
        ("tuina duoshao qian? and cupping", [(0, 3)]),
        ("Ni hao", [(0, 2)]),  # a capital at the start of a sentence
    ],
)
def test_runs_of_pinyin_are_found_among_other_words(text, runs):
    tokens = [(m.start(), m.end(), m.group()) for m in re.finditer(r"\w+|\S", text)]
    assert pinyin_runs(tokens) == runs
