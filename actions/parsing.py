"""Pure parsers for the booking form: services, clinics, practitioners, names, phones.

When the visitor would like to come is parsed in actions/preferred_time.py.

The form validator passes the visitor's words here and keeps what comes back, so
every function depends only on its arguments and is tested without a tracker.
Nothing here imports Rasa.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from typing import Dict, Iterable, List, Tuple
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import phonenumbers

try:
    SHANGHAI: dt.tzinfo = ZoneInfo("Asia/Shanghai")
except ZoneInfoNotFoundError:  # pragma: no cover - only on images without tzdata
    # Shanghai has had no daylight saving time since 1991: a fixed offset is exact.
    SHANGHAI = dt.timezone(dt.timedelta(hours=8), "Asia/Shanghai")

# ---------------------------------------------------------------------------
# What can be booked, and where
# ---------------------------------------------------------------------------

SERVICES: Dict[str, Tuple[str, str]] = {
    "tuina": ("tuina", "推拿"),
    "medical_massage": ("medical massage", "医疗按摩"),
    "acupuncture": ("acupuncture", "针灸"),
    "cupping": ("cupping", "拔罐"),
    "herbal_medicine": ("herbal medicine consultation", "中药咨询"),
    "acupressure": ("acupuncture massage (acupressure)", "穴位按摩"),
    "osteopathy": ("osteopathy", "整骨疗法"),
}


@dataclass(frozen=True)
class Clinic:
    """One of the clinic's locations, as visitors are told about it."""

    key: str
    name_en: str
    name_zh: str
    address_en: str
    address_zh: str
    phone: str

    def phone_in(self, language: str) -> str:
        """Returns the reception number as written in `language` ("en" or "zh")."""
        if language.lower().startswith("zh"):
            return self.phone.replace("ext.", "转")
        return self.phone


CLINICS: Dict[str, Clinic] = {
    "downtown": Clinic(
        key="downtown",
        name_en="Downtown clinic",
        name_zh="市区诊所",
        address_en="Anji Plaza, 14th floor, Room 05, 760 South Xizang Road",
        address_zh="西藏南路760号安基大厦14楼05室",
        phone="(+86 21) 6345 5101 ext. 223 / 225",
    ),
    "minhang": Clinic(
        key="minhang",
        name_en="Minhang clinic",
        name_zh="闵行诊所",
        address_en="Zhidi Plaza, 211 Cheng Jia Qiao Zhi Road",
        address_zh="程家桥支路211号 Zhidi Plaza",
        phone="(+86 21) 6461 6550 ext. 0 / 219",
    ),
}

PRACTITIONERS: Dict[str, Tuple[str, str]] = {
    "matthew_stevens": ("Matthew Stevens", "Matthew Stevens"),
    "joe_teh": ("Joe Teh", "Joe Teh"),
    "tcm_doctor": ("one of our TCM doctors", "中医师"),
}

_SERVICE_SYNONYMS: Dict[str, Tuple[str, ...]] = {
    "tuina": (
        "tuina", "tui na", "tuina massage", "tui na massage", "chinese massage",
        "推拿", "推拿按摩", "中医按摩",
    ),
    "medical_massage": (
        "medical massage", "therapeutic massage", "massage therapy", "massage",
        "医疗按摩", "医学按摩", "治疗性按摩", "按摩",
    ),
    "acupuncture": (
        "acupuncture", "needles", "needle", "needling", "针灸", "扎针", "针刺",
    ),
    "cupping": ("cupping", "cupping therapy", "拔罐", "拔火罐", "火罐"),
    "herbal_medicine": (
        "herbal medicine", "herbal medicine consultation", "herbal", "herbs",
        "herbal consultation", "chinese herbal medicine",
        "chinese medicine consultation", "tcm consultation", "tcm doctor consultation",
        "中药", "草药", "中医咨询", "看中医", "开中药", "中药咨询",
    ),
    "acupressure": (
        "acupressure", "acupuncture massage", "acupressure massage", "pressure points",
        "pressure point", "穴位按摩", "点穴", "指压",
    ),
    "osteopathy": (
        "osteopathy", "osteopath", "osteopathic", "整骨", "整骨疗法", "正骨",
    ),
}  # fmt: skip
_CLINIC_SYNONYMS: Dict[str, Tuple[str, ...]] = {
    "downtown": (
        "downtown", "down town", "downtown clinic", "city centre", "city center",
        "xizang", "xizang road", "south xizang road", "xizang nan lu", "anji",
        "anji plaza", "huangpu",
        "市区", "市中心", "西藏南路", "西藏路", "安基", "安基大厦", "黄浦",
    ),
    "minhang": (
        "minhang", "min hang", "minhang clinic", "zhidi", "zhidi plaza",
        "cheng jia qiao", "chengjiaqiao", "闵行", "智地", "程家桥",
    ),
}  # fmt: skip
_PRACTITIONER_SYNONYMS: Dict[str, Tuple[str, ...]] = {
    "matthew_stevens": (
        "matthew", "matthew stevens", "matt", "stevens", "mr stevens", "马修",
    ),
    "joe_teh": ("joe", "joe teh", "dr teh", "mr teh"),
    "tcm_doctor": (
        "tcm doctor", "tcm doctors", "tcm physician", "tcm practitioner",
        "chinese doctor", "chinese medicine doctor", "中医师", "中医大夫", "中医医生",
        "中医",
    ),
}  # fmt: skip
# Real words one typo away from a synonym ("message", "needless", "needing").
_NO_TYPOS = ("massage", "needles", "needling")


def fold(text: str) -> str:
    """NFKC (full-width digits and letters become ASCII), casefold, single spaces."""
    text = unicodedata.normalize("NFKC", text).casefold().replace("\u2019", "'")
    return " ".join(text.split())


def _fold_phrase(text: str) -> str:
    # "Tui-na", "tui_na" (a button payload's key) and "tui  na" are one spelling.
    return " ".join(re.sub(r"[-_\u2010-\u2015]", " ", fold(text)).split())


def _edit_distance(a: str, b: str) -> int:
    """Optimal string alignment distance (a swap of neighbours is one edit)."""
    before_previous: List[int] = []
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        current = [i]
        for j, char_b in enumerate(b, 1):
            value = min(
                previous[j] + 1,
                current[j - 1] + 1,
                previous[j - 1] + (char_a != char_b),
            )
            if i > 1 and j > 1 and char_a == b[j - 2] and a[i - 2] == char_b:
                value = min(value, before_previous[j - 2] + 1)
            current.append(value)
        before_previous, previous = previous, current
    return previous[-1]


@dataclass(frozen=True)
class _Match:
    start: int
    end: int
    key: str
    exact: bool


@dataclass(frozen=True)
class _Phrase:
    key: str
    text: str
    pattern: re.Pattern[str]
    typos: int  # edits still recognised; short words get none ("tina" is a name)


class _Vocabulary:
    """Synonyms of a few canonical keys, found in free text."""

    def __init__(
        self, synonyms: Dict[str, Tuple[str, ...]], no_typos: Iterable[str] = ()
    ) -> None:
        """Compiles the synonyms; those in `no_typos` are only found as spelt."""
        exact_only = {_fold_phrase(word) for word in no_typos}
        self._phrases: List[_Phrase] = []
        for key, spellings in synonyms.items():
            for text in dict.fromkeys(_fold_phrase(word) for word in spellings):
                if re.search(r"[a-z0-9]", text):
                    pattern = re.compile(rf"(?<![a-z]){re.escape(text)}(?![a-z])")
                else:  # Chinese has no spaces between words to anchor on
                    pattern = re.compile(re.escape(text))
                typos = 0
                if text.isascii() and text not in exact_only:
                    typos = 2 if len(text) >= 10 else 1 if len(text) >= 7 else 0
                self._phrases.append(_Phrase(key, text, pattern, typos))

    def find(self, text: str, typos: bool = True) -> List[_Match]:
        """Returns every synonym in `text`, misspelt ones too when `typos`."""
        folded = _fold_phrase(text)
        found = [
            _Match(match.start(), match.end(), phrase.key, exact=True)
            for phrase in self._phrases
            for match in phrase.pattern.finditer(folded)
        ]
        if typos:
            found.extend(self._misspelt(folded))
        return found

    def key_in(self, text: str) -> str | None:
        """Returns the one key `text` names, None if it names none or several."""
        if not text:
            return None
        chosen: List[_Match] = []
        # Longest first, so "acupuncture massage" beats "acupuncture" and "massage".
        for match in sorted(
            self.find(text), key=lambda m: (m.start - m.end, not m.exact, m.start)
        ):
            if all(
                match.end <= other.start or match.start >= other.end for other in chosen
            ):
                chosen.append(match)
        keys = {match.key for match in chosen}
        return keys.pop() if len(keys) == 1 else None

    def _misspelt(self, folded: str) -> List[_Match]:
        words = list(re.finditer(r"[a-z]+", folded))
        found = []
        for phrase in self._phrases:
            if not phrase.typos:
                continue
            size = phrase.text.count(" ") + 1
            for first in range(len(words) - size + 1):
                window = words[first : first + size]
                written = " ".join(word.group() for word in window)
                if (
                    written != phrase.text
                    # Typos rarely hit the first letter; requiring it keeps real
                    # words from being read as a near-miss.
                    and written[0] == phrase.text[0]
                    and abs(len(written) - len(phrase.text)) <= phrase.typos
                    and _edit_distance(written, phrase.text) <= phrase.typos
                ):
                    found.append(
                        _Match(window[0].start(), window[-1].end(), phrase.key, False)
                    )
        return found


_SERVICES = _Vocabulary(_SERVICE_SYNONYMS, no_typos=_NO_TYPOS)
_CLINICS = _Vocabulary(_CLINIC_SYNONYMS)
_PRACTITIONERS = _Vocabulary(_PRACTITIONER_SYNONYMS)


def parse_service(text: str) -> str | None:
    """Returns the service key `text` names ("推拿" -> "tuina"), else None."""
    return _SERVICES.key_in(text)


def parse_clinic(text: str) -> str | None:
    """Returns "downtown" or "minhang" for `text`; None if it names neither or both."""
    return _CLINICS.key_in(text)


def parse_practitioner(text: str) -> str | None:
    """Returns the practitioner key `text` names ("Joe" -> "joe_teh"), else None."""
    return _PRACTITIONERS.key_in(text)


# ---------------------------------------------------------------------------
# Names
# ---------------------------------------------------------------------------

_NAME_LEAD_IN = re.compile(
    r"^(?:(?:hi|hello|hey|dear)\b|你好|您好|嗨)[\s,.!:;]*"
    r"|^(?:my\s+name\s+is|my\s+name's|my\s+name|name\s+is|name|i\s+am|i'm|this\s+is"
    r"|it's|it\s+is|call\s+me)(?:\s*[:\-]\s*|\s+)"
    r"|^(?:我的名字是|我的名字叫|我的名字|名字是|名字叫|名字|姓名是|姓名|我叫|我是)[\s:]*",
    re.IGNORECASE,
)
_NAME_TAIL = re.compile(
    r"[\s,;:]*(?:thanks|thank\s+you|please|谢谢)?[\s.,!;:~。，！；、…]*$",
    re.IGNORECASE,
)
_QUESTION = re.compile(r"(?:\?|吗|嗎)[\s.。!！]*$")
_NAME_PUNCTUATION = frozenset(" '\u2019.-·‧・,")
_NOT_NAMES = frozenset(
    {
        "no", "nope", "yes", "yeah", "yep", "ok", "okay", "sure", "hello", "hi", "hey",
        "thanks", "thank you", "cancel", "stop", "never mind", "nevermind", "skip",
        "none", "nothing", "n/a", "anonymous", "idk", "unknown", "test", "help",
        "不知道", "不", "不是", "是", "是的", "好", "好的", "对", "嗯", "没有", "谢谢",
        "你好", "您好", "取消", "算了", "不要", "可以", "行", "随便", "无", "匿名",
    }
)  # fmt: skip
# Words that make a message a sentence, not a name ("I want to book", "don't know").
_SENTENCE_WORDS = frozenset(
    {
        "i", "you", "want", "would", "like", "book", "appointment", "please", "the",
        "what", "when", "where", "how", "why", "don't", "dont", "tomorrow", "today",
        "phone", "number", "know", "not",
    }
)  # fmt: skip
_CHINESE_SENTENCE = re.compile(
    r"[我你您吗呢吧啥谁]|什么|怎么|预约|不知道|不用|可以|时间|电话|号码|明天|今天"
)
_MAX_NAME_LENGTH = 60


def parse_name(text: str) -> str | None:
    """Returns the visitor's name from `text` ("I'm Wang Fang" -> "Wang Fang")."""
    name = " ".join(unicodedata.normalize("NFKC", text or "").split())
    name = name.replace("\u2019", "'")
    if _QUESTION.search(name):
        return None
    for _ in range(3):  # "Hi, my name is ...": a greeting, then a lead-in
        stripped = _NAME_LEAD_IN.sub("", name, count=1)
        if stripped == name:
            break
        name = stripped
    name = _NAME_TAIL.sub("", name).lstrip(" .,!;:-'")
    folded = fold(name)
    if (
        not 1 <= len(name) <= _MAX_NAME_LENGTH
        or any(char.isdigit() for char in name)
        or not any(char.isalpha() for char in name)
        or not all(
            char.isalpha()
            or unicodedata.category(char).startswith("M")
            or char in _NAME_PUNCTUATION
            for char in name
        )
        or folded in _NOT_NAMES
        or _SENTENCE_WORDS.intersection(re.findall(r"[a-z']+", folded))
        or _CHINESE_SENTENCE.search(name)
        or _SERVICES.find(name, typos=False)
        or _CLINICS.find(name, typos=False)
    ):
        return None
    return name


def mask_name(name: str) -> str:
    """Returns `name` with all but initials hidden: "Wang Fang" -> "W*** F***"."""
    parts = unicodedata.normalize("NFKC", name or "").split()
    if not parts:
        return ""
    if len(parts) == 1 and len(parts[0]) == 1:
        return "*"
    return " ".join(_mask_name_part(part) for part in parts)


def _mask_name_part(part: str) -> str:
    if len(part) == 1:
        return "*"
    if unicodedata.name(part[0], "").startswith("LATIN"):
        # A fixed number of stars: the length of a name says something about it.
        return part[0] + "***"
    # Chinese names have no spaces: keep the family name, one star a character.
    return part[0] + "*" * (len(part) - 1)


# ---------------------------------------------------------------------------
# Phone numbers
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class PhoneResult:
    """A phone number in E.164, or why the text is not one."""

    e164: str | None
    problem: str | None  # None, or see parse_phone


_MIN_PHONE_DIGITS = 7
_MAX_PHONE_DIGITS = 15  # E.164's limit
_SPACES = " \t\u3000"
# Digits (full-width too) with the separators people type between them.
_PHONE_RUN = re.compile(
    rf"(?:[+\uff0b][{_SPACES}]*|[(\uff08][{_SPACES}]*(?:[+\uff0b][{_SPACES}]*)?)?"
    rf"\d(?:[\d{_SPACES}\-.()\u2010-\u2015\u2212\uff08\uff09\uff0d\uff0e]*\d)?"
)
_ISO_DATE_RUN = re.compile(r"(\d{4})[-.](\d{1,2})[-.](\d{1,2})")
_TIME_RANGE_RUN = re.compile(r"\d{1,2}\.\d{2}\s*[-\u2010-\u2015]\s*\d{1,2}\.\d{2}")
_CHINESE_MOBILE = re.compile(r"1[3-9]\d{9}")


def _decimal_digits(text: str) -> str:
    return "".join(str(unicodedata.decimal(char)) for char in text if char.isdecimal())


def _is_iso_date(run: str) -> bool:
    match = _ISO_DATE_RUN.fullmatch(unicodedata.normalize("NFKC", run))
    if not match:
        return False
    try:
        dt.date(*(int(part) for part in match.groups()))
    except ValueError:
        return False
    return True


def find_phone_candidate(text: str) -> str | None:
    """Returns the part of `text` that looks like a phone number (>= 7 digits)."""
    for match in _PHONE_RUN.finditer(text or ""):
        run = match.group()
        if (
            len(_decimal_digits(run)) >= _MIN_PHONE_DIGITS
            and not _is_iso_date(run)
            # "10.30-11.30" is a time range.
            and not _TIME_RANGE_RUN.fullmatch(unicodedata.normalize("NFKC", run))
        ):
            return run
    return None


def parse_phone(text: str) -> PhoneResult:
    """Returns the phone number in `text` as E.164, or the problem with it.

    Problems: "not_a_number" (no digits), "too_short" (< 7 digits), "too_long"
    (> 15), "invalid_mobile", "invalid_landline" (also a local number without its
    area code), "invalid_international" (also a long number that is neither Chinese
    nor written with its "+" country code).
    """
    normalised = unicodedata.normalize("NFKC", text or "")
    runs = [match.group() for match in _PHONE_RUN.finditer(normalised)]
    if not runs:
        return PhoneResult(None, "not_a_number")
    run = find_phone_candidate(normalised) or max(
        runs, key=lambda run: len(_decimal_digits(run))
    )
    return _classify_phone(run)


def _classify_phone(run: str) -> PhoneResult:
    digits = _decimal_digits(run)
    international = run.lstrip("(" + _SPACES).startswith("+")
    if not international and digits.startswith("00"):
        international, digits = True, digits[2:]
    if len(digits) < _MIN_PHONE_DIGITS:
        return PhoneResult(None, "too_short")
    if len(digits) > _MAX_PHONE_DIGITS:
        return PhoneResult(None, "too_long")
    if international and not digits.startswith("86"):
        return _international_phone(digits)
    if digits.startswith("86") and (international or len(digits) >= 11):
        # "86 138 1234 5678" is Chinese with the country code and no "+".
        result = _chinese_phone(digits[2:], after_country_code=True)
        if international or result.e164:
            return result
    return _chinese_phone(digits, after_country_code=False)


def _chinese_phone(national: str, after_country_code: bool) -> PhoneResult:
    if after_country_code and not national.startswith("0"):
        # Abroad, landlines drop the trunk 0: "+86 21 ..." is "021 ..." at home.
        # Beijing's area code 10 would otherwise look like the start of a mobile.
        beijing = national.startswith("10") and len(national) in (9, 10)
        if beijing or not national.startswith("1"):
            national = "0" + national
    if national.startswith("1"):
        if _CHINESE_MOBILE.fullmatch(national):
            return PhoneResult("+86" + national, None)
        return PhoneResult(None, "invalid_mobile")
    if national.startswith("0"):
        # Beijing (010) and 02x cities have 3-digit area codes, the rest 4 digits;
        # subscribers have 7 or 8 digits.
        area = 3 if national.startswith(("010", "02")) else 4
        if len(national) - area in (7, 8):
            return PhoneResult("+86" + national[1:], None)
        return PhoneResult(None, "invalid_landline")
    if len(national) <= 8:
        return PhoneResult(None, "invalid_landline")
    return PhoneResult(None, "invalid_international")


def _international_phone(digits: str) -> PhoneResult:
    try:
        number = phonenumbers.parse("+" + digits, None)
    except phonenumbers.NumberParseException:
        return PhoneResult(None, "invalid_international")
    if not phonenumbers.is_valid_number(number):
        return PhoneResult(None, "invalid_international")
    return PhoneResult(
        phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164), None
    )


def mask_phone(e164: str) -> str:
    """Returns `e164` with the middle hidden: "+8613812345678" -> "+86 138****5678"."""
    digits = _decimal_digits(unicodedata.normalize("NFKC", e164 or ""))
    country = ""
    if (e164 or "").strip().startswith("+"):
        for size in (1, 2, 3):
            prefix = digits[:size]
            if int(prefix or 0) in phonenumbers.COUNTRY_CODE_TO_REGION_CODE:
                country = prefix
                break
    national = digits[len(country) :]
    # At least 4 digits always hidden; at most the first 3 and last 4 shown.
    shown = max(0, min(7, len(national) - 4))
    tail = min(4, shown)
    head = shown - tail
    masked = (
        national[:head]
        + "*" * (len(national) - shown)
        + national[len(national) - tail :]
    )
    return f"+{country} {masked}" if country else masked
