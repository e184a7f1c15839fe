"""Reads messages typed in toneless pinyin as the Chinese words they spell.

A visitor without a Chinese keyboard writes "zhenjiu duoshao qian" or "tuina teng bu
teng": to the English tokenizer those are unknown words, so the classifier falls back.
A run of tokens that are all valid pinyin, and mostly not English words, is segmented
into Chinese words the way jieba segments characters: the most probable sequence of
dictionary words (jieba's dictionary with its frequencies and the clinic's words, each
read with pypinyin), whose spelled-out syllables are the visitor's letters. Spaces are
where the visitor put them: a word may span them ("kai men" is 开门) and a token may
hold several words ("woxiang" is 我 + 想), but no syllable straddles a space.

A single token is never read ("tuina", "Minhang" stay as typed), nor a run half of
whose tokens are English words that also spell pinyin ("he can", "a man", "fan ban",
"tuina alongside"): ENGLISH lists them, measured on spacy-lookups-data's English
lexeme probabilities: the words of two syllables or more above -13 (log probability),
and of one syllable above -11.5, as below that the single syllables are romanised
Chinese the corpus picked up (ni, ma, shi, wo, de).
"""

from __future__ import annotations

import itertools
import math
import re
import unicodedata
from functools import lru_cache
from typing import Dict, Iterable, List, Sequence, Tuple

from pypinyin.phrases_dict import phrases_dict
from pypinyin.pinyin_dict import pinyin_dict

_ENGLISH_WORDS = """
    a abide abiding abuse academia ace adequate age agenda aiming aka ale alien
    alike alone along alongside america american amirite an anger angle anime anti
    anticipate anyone aoe are area arena arise asian aside asinine ate awake aware
    bake balance ban banana bane bang banning bare base baseline bending bien bike
    bin binding binge bio bite biting bone boo booze bore boxing buying cabin cache
    cage cake calorie came camo can canada canadian candidate cane capita capitalize
    care career case cashier cease ceiling chance change chase cheating cheer cheese
    chili chime china chinese cinema cite citing citizen courier cue cure cute cutie
    damage dance danger dare data database date dating dealing debate debating
    decade decide deciding dedicate deer defence defending defense delete deleting
    delicate demanding demo den dense denying depending desire dialogue dice die
    dime dining dire disease douche dude due ease easier eating editing educate
    educating een eliminate eliminating elite elo emo emulate ending endurance
    endure engage enhance ensure entire equate era erase eye eyeliner face
    facilitate fade fake fame fan fanbase fare fate fatigue fence footage fuse
    futile future gaining game gaming gang gate gene generalize generate generating
    genocide genre gente guarantee guidance guide guise gun gunna haha hahaha
    hahahaha halo handing hang hate hating he headache heading healing heating hehe
    hen hence here heritage hesitate house hue huge human humane hunting keen
    keeping lake lame landing lane laner language laning late laying leading league
    lean leaning lease lee legalize lending licence license lie like lime limiting
    line liner lining lite loading loan locate lone long longer loose lore lose lure
    machine made magazine mage mailing make male mama man mana manage mandate manga
    manipulate manipulating marijuana marine mario mate mature maximize maxing mayo
    me mean meaning meantime measure media median medicine meeting mega melee meme
    memorize men mentioning menu mere meta mexican mice mile mileage militia mine
    mini minimize mining minute mitigate mixing moan mobile mobo mode modeling
    module moose more mouse musician mute nada name naming nature nazi needing
    negate neo nice niche niece nine nude nuke obama ocean ole one open opener
    orange ore pace page paladin pale paleo pan panda parenting patience paying pen
    pending piano pie piece pile pine ping poke pole police polite politician poo
    pooping populace pose positioning puede puke pure queen queer quo quote quoting
    ran rang range ranger ranting reading realise realize reduce refuse refute regen
    regulate relate relating relaxing release remaining remake reminding remote
    rename renting residence resume retire rice ride ridicule riding rise route
    routine rude ruining rule ruling run rune running safari sailing sake sale
    salute salvage same sane sang santa satire sayin saying sea secure see seeming
    seen semen semi senate sending sense sequence shade shake shame shaming share
    she sheer shine shining shite shouting side siege silence silver simulate site
    size song sue suicide suite sun sunshine sure sushi taboo take taken tale tame
    tan taxi taxing tea tease tee teen teenage tide tie tiene tier tile time
    timeline timing tire titan tuna tune tuning wage waiting wake wanna wanting
    warehouse woke woman women woo wooden wore yea yoga you youre
"""
ENGLISH = frozenset(_ENGLISH_WORDS.split())
# What visitors ask the clinic, in the words they use: among homophones these win
# ("yuyue" is 预约, not 愉悦; "wo xiang" is 我想, not 我向; "yi bao" is 医保, not
# 宝马). Phrases of several words are fine: the characters read are segmented by
# jieba afterwards, as typed Chinese is.
VISITOR_PHRASES = """
    我想 我要 想问 请问 你们 你好 谢谢 再见 可以 能不能 会不会 有没有 是不是 怎么
    什么 多少钱 多少 几点 几号 哪里 在哪 在哪里 怎么走 地址 电话 号码 微信 预约 取消
    改约 改时间 有空 时间 今天 明天 后天 周末 周一 周二 周三 周四 周五 周六 周日
    上午 下午 晚上 开门 关门 营业 营业时间 价格 收费 医保 保险 报销 发票 一次 疗程
    多久 多长时间 效果 疼不疼 痛不痛 会疼 副作用 安全 怀孕 孕妇 孩子 小孩 宝宝 老人
    医生 推拿师 中医 推拿 按摩 针灸 拔罐 刮痧 艾灸 穴位 正骨 理疗 中药 区别 腰疼 腰痛
    颈椎 腰椎 肩膀 脖子 头疼 失眠 落枕 扭伤 运动损伤 机器人 真人 人工 转人工 客服
    救命 救护车 急救 不想活 活着 自杀 想死 胸口疼 胸口痛 胸闷 喘不过气 呼吸困难 晕倒
    昏迷 中风 吞了 电池 磁铁 农药 过敏 医保卡 积食 针灸针 狗狗 我的狗 我家狗 猫咪
    招人 招聘 招不招 招推拿师 工作 培训 学推拿 资格证 考试 考证
"""
_BOOST = 100_000
# Dictionary words this rare or rarer are left out: they win segmentations they
# shouldn't, and leaving them out halves the time to build the reader.
_MIN_FREQUENCY = 10
_MAX_WORD = 4
# A reading other than a character's first (most common) one counts for less: "du"
# is 度 or 读, not 都 (dou).
_OTHER_READING = 0.05
_COMBINATIONS = 8
# A word boundary inside one of the visitor's tokens costs this much (log): a token
# the visitor wrote as one ("yuyue", "jiqiren") is one word where the dictionary has
# it, rather than 项羽 + 月 or 及其 + 人马.
_SPLIT = math.log(1e-4)
_LETTERS = re.compile(r"[a-z]+")
_AFTER_L_OR_N = re.compile(r"(?<=[ln])v")

Token = Tuple[int, int, str]  # start, end, text


def _toneless(syllable: str) -> str:
    """Without tones, and ü as u: nǚ is "nu" (visitors type "nv", "nu" or "nü")."""
    decomposed = unicodedata.normalize("NFD", syllable)
    return "".join(c for c in decomposed if unicodedata.category(c) != "Mn")


def _letters(token: str) -> str:
    # ü typed as v ("lv", "nv"): only after l and n, or "cover" would spell pinyin.
    return _AFTER_L_OR_N.sub("u", _toneless(token.lower()))


def _character_readings(character: str) -> List[str]:
    listed = pinyin_dict.get(ord(character))
    if not listed:
        return []
    readings: List[str] = []
    for syllable in listed.split(","):
        plain = _toneless(syllable)
        if plain not in readings:
            readings.append(plain)
    return readings


def _word_readings(word: str) -> List[Tuple[List[str], bool]]:
    """The syllables a word may be read with, and whether that is its usual reading.

    The usual one is pypinyin's reading of the phrase where it knows one, else each
    character's first; any other combination of the characters' readings is kept too,
    but counts for less (pypinyin reads 颈椎 "jing chui"; visitors write "jing zhui").
    """
    readings = [_character_readings(character) for character in word]
    if not all(readings):
        return []
    if word in phrases_dict:
        usual = [_toneless(options[0]) for options in phrases_dict[word]]
    else:
        usual = [options[0] for options in readings]
    found = [(usual, True)]
    for combination in itertools.islice(itertools.product(*readings), _COMBINATIONS):
        if list(combination) != usual:
            found.append((list(combination), False))
    return found


SYLLABLES = frozenset(
    plain
    for code in pinyin_dict
    for plain in _character_readings(chr(code))
    # Interjections without a vowel ("m", "ng", "hm") would make "hm ok" pinyin.
    if re.search("[aeiouv]", plain)
)
_LONGEST_SYLLABLE = max(map(len, SYLLABLES))


@lru_cache(maxsize=16384)
def is_pinyin(token: str) -> bool:
    """Whether the token is made of toneless pinyin syllables."""
    token = _letters(token)
    if not _LETTERS.fullmatch(token):
        return False
    reachable = [True] + [False] * len(token)
    for end in range(1, len(token) + 1):
        for start in range(max(0, end - _LONGEST_SYLLABLE), end):
            if reachable[start] and token[start:end] in SYLLABLES:
                reachable[end] = True
                break
    return reachable[-1]


class PinyinReader:
    """Segments runs of pinyin tokens into Chinese words (see the module docstring)."""

    def __init__(self, frequencies: Iterable[Tuple[str, int]]) -> None:
        """`frequencies`: (word, count) pairs, as in jieba's dictionary."""
        boosted = {phrase: _BOOST for phrase in VISITOR_PHRASES.split()}
        frequencies = [*frequencies, *boosted.items()]
        # Spelled-out letters -> {syllable boundaries: (log probability, word)}
        self._words: Dict[str, Dict[Tuple[int, ...], Tuple[float, str]]] = {}
        entries = [
            (word, count)
            for word, count in frequencies
            if count >= _MIN_FREQUENCY
            and len(word) <= _MAX_WORD
            and all("\u4e00" <= c <= "\u9fff" for c in word)
        ]
        total = math.log(sum(count for _, count in entries) or 1)
        for word, count in entries:
            if len(word) == 1:
                for rank, syllable in enumerate(_character_readings(word)):
                    weight = count if rank == 0 else count * _OTHER_READING
                    self._add([syllable], word, math.log(weight) - total)
            else:
                for syllables, usual in _word_readings(word):
                    weight = count if usual else count * _OTHER_READING
                    self._add(syllables, word, math.log(weight) - total)
        self._longest = max((len(letters) for letters in self._words), default=0)

    def _add(self, syllables: Sequence[str], word: str, score: float) -> None:
        boundaries, position = [], 0
        for syllable in syllables[:-1]:
            position += len(syllable)
            boundaries.append(position)
        options = self._words.setdefault("".join(syllables), {})
        if score > options.get(tuple(boundaries), (-math.inf, ""))[0]:
            options[tuple(boundaries)] = (score, word)

    def read(self, tokens: Sequence[Token]) -> List[Tuple[int, int, str]] | None:
        """(start, end, character) for each syllable of `tokens`, or None.

        `tokens` are the visitor's consecutive tokens, already known to be pinyin;
        None if they don't spell dictionary words.
        """
        words = self._segment(tokens)
        if words is None:
            return None
        characters = []
        for letters, word in words:
            for (start, end), character in zip(letters, word, strict=True):
                characters.append((start, end, character))
        return characters

    def _segment(
        self, tokens: Sequence[Token]
    ) -> List[Tuple[List[Tuple[int, int]], str]] | None:
        """The most probable words, each with its syllables' (start, end) offsets."""
        letters = "".join(_letters(text) for _, _, text in tokens)
        offsets: List[int] = []  # letter -> offset in the visitor's text
        gaps = {0, len(letters)}  # letter positions where the visitor put a space
        for start, end, _ in tokens:
            gaps.add(len(offsets))
            offsets.extend(range(start, end))
        best: List[Tuple[float, int, str, Tuple[int, ...]] | None]
        best = [None] * (len(letters) + 1)
        best[0] = (0.0, 0, "", ())
        for end in range(1, len(letters) + 1):
            for start in range(max(0, end - self._longest), end):
                if best[start] is None:
                    continue
                for boundaries, (score, word) in self._words.get(
                    letters[start:end], {}
                ).items():
                    inside = {start + b for b in boundaries}
                    if any(start < gap < end and gap not in inside for gap in gaps):
                        continue  # a syllable would straddle the visitor's space
                    total = best[start][0] + score
                    total += (start not in gaps) * _SPLIT + (end not in gaps) * _SPLIT
                    if best[end] is None or total > best[end][0]:
                        best[end] = (total, start, word, boundaries)
        if best[-1] is None:
            return None
        words, end = [], len(letters)
        while end:
            _, start, word, boundaries = best[end]
            edges = [start, *(start + b for b in boundaries), end]
            syllables = [
                (offsets[first], offsets[last - 1] + 1)
                for first, last in itertools.pairwise(edges)
            ]
            words.append((syllables, word))
            end = start
        return words[::-1]


def pinyin_runs(tokens: Sequence[Token]) -> List[Tuple[int, int]]:
    """[first, last) indices of the runs of `tokens` to read as pinyin.

    A run is at least two consecutive pinyin tokens, fewer than half of them English,
    and not all capitalised: "Anna Li", "Wang Fang" are names (a form's answer), while
    people who type pinyin to chat write "ni hao" or "Ni hao".
    """
    runs, first = [], None
    for index, (_, _, text) in enumerate([*tokens, (0, 0, "")]):
        if text and is_pinyin(text):
            if first is None:
                first = index
            continue
        if first is not None and index - first >= 2:
            run = [t for _, _, t in tokens[first:index]]
            english = sum(t.lower() in ENGLISH for t in run)
            a_name = all(t[:1].isupper() for t in run)
            if 2 * english < len(run) and not a_name:
                runs.append((first, index))
        first = None
    return runs
