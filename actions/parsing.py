"""Pure parsers for the booking form: services, clinics, names, phones and times.

The form validator passes the visitor's words here and keeps what comes back, so
every function depends only on its arguments and is tested without a tracker.
Nothing here imports Rasa.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from typing import Any, Callable, Dict, Iterable, List, Tuple
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


def _fold(text: str) -> str:
    """NFKC (full-width digits and letters become ASCII), casefold, single spaces."""
    text = unicodedata.normalize("NFKC", text).casefold().replace("\u2019", "'")
    return " ".join(text.split())


def _fold_phrase(text: str) -> str:
    # "Tui-na", "tui_na" (a button payload's key) and "tui  na" are one spelling.
    return " ".join(re.sub(r"[-_\u2010-\u2015]", " ", _fold(text)).split())


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
    folded = _fold(name)
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


# ---------------------------------------------------------------------------
# Preferred date and time
# ---------------------------------------------------------------------------

MORNING, NOON, AFTERNOON, EVENING = "morning", "noon", "afternoon", "evening"
FLEXIBLE = "flexible"
_FLEXIBLE = re.compile(
    r"\bany\s*time\b|\bany\s+day\b|\bwhenever\b|\bflexible\b|\bdoesn'?t\s+matter\b"
    r"|\b24\s*/\s*7\b|随时|隨時|都可以|什么时候都行|都行|无所谓"
)


@dataclass(frozen=True)
class PreferredTime:
    """When the visitor would like to come: their words and what they mean."""

    words: str
    date: dt.date | None
    time: dt.time | None
    period: str | None  # "morning", "noon", "afternoon", "evening"

    def normalised(self) -> str | None:
        """Returns e.g. "2026-12-03T14:00+08:00", "2026-12-03 afternoon", "flexible"."""
        if self.date and self.time:
            moment = dt.datetime.combine(self.date, self.time, tzinfo=SHANGHAI)
            return moment.isoformat(timespec="minutes")
        if self.date:
            day = self.date.isoformat()
            return f"{day} {self.period}" if self.period else day
        if self.time:
            return self.time.strftime("%H:%M")
        if self.period:
            return self.period
        return FLEXIBLE if _FLEXIBLE.search(_fold(self.words)) else None

    def as_dict(self) -> Dict[str, Any]:
        """Returns a JSON-safe dict (the form keeps it in a slot)."""
        return {
            "words": self.words,
            "date": self.date.isoformat() if self.date else None,
            "time": self.time.strftime("%H:%M") if self.time else None,
            "period": self.period,
        }

    @classmethod
    def from_dict(cls, data: Dict[str, Any]) -> PreferredTime:
        """Returns the PreferredTime that `as_dict` gave `data` for."""
        return cls(
            words=data.get("words") or "",
            date=dt.date.fromisoformat(data["date"]) if data.get("date") else None,
            time=dt.time.fromisoformat(data["time"]) if data.get("time") else None,
            period=data.get("period"),
        )


@dataclass(frozen=True)
class TimeResult:
    """A preferred time, or why it cannot be used.

    problem: None, "not_understood", "past" (value still given, to quote it back)
    or "ambiguous" (a slash date such as 12/3; value without a date).
    """

    value: PreferredTime | None
    problem: str | None


_CN_NUMERAL = "[零〇一二两兩三四五六七八九十]{1,3}"
_CN_DIGITS = {
    "零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "兩": 2, "三": 3, "四": 4, "五": 5,
    "六": 6, "七": 7, "八": 8, "九": 9,
}  # fmt: skip
_EN_HOURS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
}  # fmt: skip
_EN_HOUR = r"\d{1,2}|" + "|".join(sorted(_EN_HOURS, key=len, reverse=True))
_MONTHS = (
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
_MONTH_NUMBERS = {
    name: number
    for number, name in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov",
         "dec"),
        1,
    )
}  # fmt: skip
_EN_WEEKDAYS = (
    r"monday|mon|tuesday|tues|tue|wednesday|weds|wed|thursday|thurs|thur|thu"
    r"|friday|fri|saturday|sat|sunday|sun"
)
_EN_WEEKDAY_NUMBERS = {"mo": 0, "tu": 1, "we": 2, "th": 3, "fr": 4, "sa": 5, "su": 6}
_CN_WEEKDAY_NUMBERS = {
    "一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6,
    "1": 0, "2": 1, "3": 2, "4": 3, "5": 4, "6": 5, "7": 6,
}  # fmt: skip

# Greetings name a part of the day without asking for it; 24/7 is no date.
_NOT_A_TIME = re.compile(
    r"\bgood\s+(?:morning|afternoon|evening|night)\b|早上好|早安|下午好|晚上好|晚安"
    r"|\b24\s*/\s*7\b"
)
_ISO_DATE = re.compile(
    r"(?<!\d)(?P<y>\d{4})\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})"
    r"\s*[日号號]?(?!\d)"
)
# 号 ends a day; without it, "12月3 14:00" is still a date but "十二月三点" is not.
_DAY_END = r"(?:\s*[日号號]|(?!\s*[点點:.]|\d))"
_CN_MONTH_DAY = re.compile(
    rf"(?P<m>\d{{1,2}}|{_CN_NUMERAL})\s*月份?\s*(?P<d>\d{{1,2}}|{_CN_NUMERAL})"
    rf"{_DAY_END}"
)
_CN_NEXT_MONTH_DAY = re.compile(rf"下个?月\s*(?P<d>\d{{1,2}}|{_CN_NUMERAL}){_DAY_END}")
_EN_DAY_MONTH = re.compile(
    rf"\b(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s*(?:of\s+)?(?P<m>{_MONTHS})\b\.?"
    r"(?:,?\s*(?P<y>\d{4})\b)?"
)
_EN_MONTH_DAY = re.compile(
    rf"\b(?P<m>{_MONTHS})\.?\s*(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\b"
    r"(?:,?\s*(?P<y>\d{4})\b)?"
)
_SLASH_DATE = re.compile(
    r"(?<![\d/])(?P<a>\d{1,2})\s*/\s*(?P<b>\d{1,2})(?:\s*/\s*(?P<y>\d{4}|\d{2}))?"
    r"(?![\d/])"
)
_EN_ORDINAL_DAY = re.compile(r"\b(?:the|on)\s+(?P<d>\d{1,2})(?:st|nd|rd|th)\b")
# "3号线" is metro line 3, "3号楼" building 3.
_CN_DAY = re.compile(
    rf"(?<![\d月])(?P<d>\d{{1,2}}|{_CN_NUMERAL})\s*[日号號](?![线線楼樓])"
)
_RELATIVE_DAYS: Tuple[Tuple[re.Pattern[str], int, str | None], ...] = tuple(
    (re.compile(pattern), offset, period)
    for pattern, offset, period in (
        (r"\b(?:the\s+)?day\s+after\s+(?:tomorrow|tmrw?)\b", 2, None),
        (r"\btonight\b", 0, EVENING),
        (r"\bthis\s+morning\b", 0, MORNING),
        (r"\bthis\s+afternoon\b", 0, AFTERNOON),
        (r"\bthis\s+evening\b", 0, EVENING),
        (r"\btoday\b", 0, None),
        (r"\b(?:tomorrow|tomorow|tommorow|tommorrow|tmrw|tmr)\b", 1, None),
        (r"\byesterday\b", -1, None),
        (r"大后天|大後天", 3, None),
        (r"后天|後天", 2, None),
        (r"今晚", 0, EVENING),
        (r"今早", 0, MORNING),
        (r"今天|今日", 0, None),
        (r"明晚", 1, EVENING),
        (r"明早", 1, MORNING),
        (r"明天|明日|明儿|明兒", 1, None),
        (r"昨天|昨日", -1, None),
        (r"前天", -2, None),
    )
)
_CN_WEEKDAY = re.compile(
    r"(?P<rel>下下个?|下个?|上个?|这个?|這個?|本)?\s*(?:周|週|星期|礼拜|禮拜)\s*"
    r"(?P<day>[一二三四五六日天1-7])"
)
_EN_NEXT_WEEK_DAY = re.compile(
    rf"\bnext\s+week\s+(?:on\s+)?(?P<day>{_EN_WEEKDAYS})\b"
    rf"|\b(?P<day2>{_EN_WEEKDAYS})\s+(?:of\s+)?next\s+week\b"
)
# "Sun" is a common surname and "wed" a "we'd" without its apostrophe: alone,
# they are no weekday.
_EN_WEEKDAY = re.compile(
    rf"\b(?:(?P<rel>this|next|coming|last)\s+)?(?!(?:sun|wed)\b)(?P<day>{_EN_WEEKDAYS})\b"
    r"|\b(?:(?P<rel2>this|next|coming|last)|on)\s+(?P<day2>sun|wed)\b"
)

_NOON_TIME = re.compile(r"(?:\b12\s*)?\b(?:noon|midday)\b|正午")
_CN_CLOCK = re.compile(
    rf"(?P<h>\d{{1,2}}|{_CN_NUMERAL})\s*[点點](?![穴儿兒])"
    rf"(?:\s*(?P<half>半)|\s*(?P<quarter>[一三])刻|\s*(?P<m>\d{{1,2}}|{_CN_NUMERAL})\s*分?)?"
)
# Before "一点" these mean "a little": 早一点 is "a bit earlier", not 1 o'clock.
_A_LITTLE = "早晚快慢多少好差"
_EN_QUARTER = re.compile(
    rf"\b(?P<which>half|quarter)\s+(?P<dir>past|to)\s+(?P<h>{_EN_HOUR})\b"
    r"(?:\s*(?P<ap>[ap])\.?m\b\.?)?"
)
_EN_MERIDIEM = re.compile(
    rf"(?<![\d:.a-z])(?P<h>{_EN_HOUR})(?:[:.](?P<m>\d{{2}}))?\s*(?P<ap>[ap])\.?m\b\.?"
)
_CLOCK = re.compile(r"(?<![\d:.])(?P<h>\d{1,2})[:.](?P<m>\d{2})(?![\d:.])")
_EN_OCLOCK = re.compile(rf"(?<![\d:.a-z])(?P<h>{_EN_HOUR})\s*o'?\s*clock\b")
_EN_AT_HOUR = re.compile(
    r"\b(?:at|around|about)\s+(?:around\s+|about\s+)?(?P<h>\d{1,2})(?![\d:.])"
    r"(?!\s*(?:days?|weeks?|months?|hours?|hrs?|mins?|minutes?|people|persons?)\b)"
)
_PERIODS: Tuple[Tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), period)
    for pattern, period in (
        (r"\bafter\s+lunch\b|午饭后|午飯後|午后|午後", AFTERNOON),
        (
            r"\bmornings?\b|上午|早上|早晨|清晨|一早|早(?=\s*[\d一二两三四五六七八九十])",
            MORNING,
        ),
        (r"\blunch\s*time\b|\blunch\b|中午|午饭|午飯|午餐", NOON),
        (r"\bafternoons?\b|下午", AFTERNOON),
        (
            r"\bevenings?\b|\bnight\b|晚上|傍晚|夜里|夜裡|晚间|晚間"
            r"|晚(?=\s*[\d一二两三四五六七八九十])",
            EVENING,
        ),
    )
)
# "tomorrow am"; never the "am" of "I am".
_BARE_MERIDIEM = re.compile(r"(?<!\bi )\b(?P<ap>[ap])\.?m\b\.?")


@dataclass(frozen=True)
class _DateReading:
    start: int
    date: dt.date | None  # None: a date was said but is impossible or ambiguous
    explicit: bool  # a calendar date ("3 December"), not a relative one ("Monday")
    period: str | None = None  # "tonight" names the evening too
    ambiguous: bool = False


@dataclass(frozen=True)
class _ClockReading:
    start: int
    hour: int
    minute: int
    meridiem: str | None  # "a" or "p"
    period: str | None = None  # "noon" names its part of the day


def _number(token: str) -> int | None:
    """Returns the value of "12", "十二", "二十五", "两" or "零五"."""
    if token.isdigit():
        return int(token)
    if "十" in token:
        tens, _, units = token.partition("十")
        ten = _CN_DIGITS.get(tens) if tens else 1
        unit = _CN_DIGITS.get(units) if units else 0
        return None if ten is None or unit is None else ten * 10 + unit
    if len(token) == 2 and token[0] in "零〇":
        token = token[1:]
    return _CN_DIGITS.get(token) if len(token) == 1 else None


def _hour_number(token: str) -> int | None:
    return _EN_HOURS.get(token) if token in _EN_HOURS else _number(token)


def _consume(pattern: re.Pattern[str], text: str) -> Tuple[List[re.Match[str]], str]:
    """Returns the matches of `pattern` and `text` with them blanked out.

    Blanking (rather than deleting) keeps positions, so later patterns can neither
    read the same words again ("3号" is not 3 o'clock) nor join their neighbours.
    """
    matches = list(pattern.finditer(text))
    for match in reversed(matches):
        text = (
            text[: match.start()]
            + " " * (match.end() - match.start())
            + text[match.end() :]
        )
    return matches, text


def _calendar_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _upcoming(today: dt.date, month: int, day: int) -> dt.date | None:
    """Returns the first `month`/`day` on or after today (a past one is next year's)."""
    for year in range(today.year, today.year + 9):  # 29 February comes back in <= 8
        candidate = _calendar_date(year, month, day)
        if candidate and candidate >= today:
            return candidate
    return None


def _upcoming_day(today: dt.date, day: int, months_ahead: int = 0) -> dt.date | None:
    """Returns day `day` of this month, or of the first later month that has it."""
    for offset in range(months_ahead, months_ahead + 12):
        year, month = divmod(today.month - 1 + offset, 12)
        candidate = _calendar_date(today.year + year, month + 1, day)
        if candidate and (candidate >= today or offset > months_ahead):
            return candidate
    return None


def _week_day(today: dt.date, weekday: int, relation: str | None) -> dt.date:
    """Returns the date of `weekday` (Monday 0) for "this", "next week", ... ."""
    coming = today + dt.timedelta(days=(weekday - today.weekday()) % 7 or 7)
    this_week = today + dt.timedelta(days=weekday - today.weekday())
    if relation == "this":
        # This week's day, unless it is gone: on a Sunday "this Saturday" is the
        # coming one, nobody books yesterday.
        return this_week if this_week >= today else coming
    if relation == "next_week":
        return this_week + dt.timedelta(days=7)
    if relation == "week_after_next":
        return this_week + dt.timedelta(days=14)
    if relation == "last_week":
        return this_week - dt.timedelta(days=7)
    if relation == "last":
        return today - dt.timedelta(days=(today.weekday() - weekday) % 7 or 7)
    return coming  # "Monday", "next Monday": the first one after today


def _year(text: str | None, today: dt.date) -> int | None:
    if not text:
        return None
    year = int(text)
    return year + 2000 if year < 100 else year


def _read_dates(text: str, today: dt.date) -> Tuple[List[_DateReading], str]:
    """Returns every date said in `text` (already folded) and the text without them."""
    readings: List[_DateReading] = []

    def add(
        pattern: re.Pattern[str], read: Callable[[re.Match[str]], _DateReading]
    ) -> None:
        nonlocal text
        matches, text = _consume(pattern, text)
        readings.extend(read(match) for match in matches)

    def month_day(match: re.Match[str], month: int | None) -> _DateReading:
        day = _number(match["d"])
        year = _year(match.groupdict().get("y"), today)
        date = None
        if month and day:
            if year:
                date = _calendar_date(year, month, day)
            else:
                date = _upcoming(today, month, day)
        return _DateReading(match.start(), date, explicit=True)

    def slash(match: re.Match[str]) -> _DateReading:
        first, second = int(match["a"]), int(match["b"])
        year = _year(match["y"], today)
        # Both readings checked in a leap year: 29/2 is possible when no year is given.
        check_year = year or 2000
        month_first = _calendar_date(check_year, first, second)
        day_first = _calendar_date(check_year, second, first)
        if month_first and day_first and first != second:
            return _DateReading(match.start(), None, explicit=True, ambiguous=True)
        reading = month_first or day_first
        date = None
        if reading:
            date = (
                _calendar_date(year, reading.month, reading.day)
                if year
                else _upcoming(today, reading.month, reading.day)
            )
        return _DateReading(match.start(), date, explicit=True)

    def relative(offset: int, period: str | None) -> Callable[..., _DateReading]:
        return lambda match: _DateReading(
            match.start(), today + dt.timedelta(days=offset), False, period
        )

    def chinese_weekday(match: re.Match[str]) -> _DateReading:
        relation = {
            "下下": "week_after_next", "下": "next_week", "上": "last_week",
            "这": "this", "這": "this", "本": "this",
        }.get((match["rel"] or "").rstrip("个個"))  # fmt: skip
        weekday = _CN_WEEKDAY_NUMBERS[match["day"]]
        return _DateReading(match.start(), _week_day(today, weekday, relation), False)

    def english_weekday(match: re.Match[str], relation: str | None) -> _DateReading:
        day = match["day"] or match.groupdict().get("day2")
        weekday = _EN_WEEKDAY_NUMBERS[day[:2]]
        return _DateReading(match.start(), _week_day(today, weekday, relation), False)

    add(_ISO_DATE, lambda m: month_day(m, int(m["m"])))
    add(_CN_NEXT_MONTH_DAY, lambda m: _DateReading(
        m.start(), _upcoming_day(today, _number(m["d"]) or 0, months_ahead=1), True
    ))  # fmt: skip
    add(_CN_MONTH_DAY, lambda m: month_day(m, _number(m["m"])))
    add(_EN_DAY_MONTH, lambda m: month_day(m, _MONTH_NUMBERS[m["m"][:3]]))
    add(_EN_MONTH_DAY, lambda m: month_day(m, _MONTH_NUMBERS[m["m"][:3]]))
    add(_SLASH_DATE, slash)
    for pattern, offset, period in _RELATIVE_DAYS:
        add(pattern, relative(offset, period))
    add(_CN_WEEKDAY, chinese_weekday)
    add(_EN_NEXT_WEEK_DAY, lambda m: english_weekday(m, "next_week"))
    add(_EN_WEEKDAY, lambda m: english_weekday(
        m, {"this": "this", "last": "last"}.get(m["rel"] or m["rel2"] or "")
    ))  # fmt: skip
    add(_EN_ORDINAL_DAY, lambda m: _DateReading(
        m.start(), _upcoming_day(today, int(m["d"])), True
    ))  # fmt: skip
    add(_CN_DAY, lambda m: _DateReading(
        m.start(), _upcoming_day(today, _number(m["d"]) or 0), True
    ))  # fmt: skip
    return readings, text


def _read_clocks(text: str) -> Tuple[List[_ClockReading], str]:
    """Returns every clock time said in `text` and the text without them."""
    readings: List[_ClockReading] = []

    def add(
        start: int,
        hour: int | None,
        minute: int | None,
        meridiem: str | None,
        period: str | None = None,
    ) -> None:
        limit = 12 if meridiem else 23
        if (
            hour is not None
            and minute is not None
            and 0 <= hour <= limit
            and minute < 60
        ):
            readings.append(_ClockReading(start, hour, minute, meridiem, period))

    matches, text = _consume(_NOON_TIME, text)
    for match in matches:
        add(match.start(), 12, 0, None, NOON)
    matches, text = _consume(_CN_CLOCK, text)
    for match in matches:
        before = text[match.start() - 1] if match.start() else ""
        if match["h"] == "一" and before in _A_LITTLE:
            continue
        minute = 30 if match["half"] else 0
        if match["quarter"]:
            minute = 15 if match["quarter"] == "一" else 45
        elif match["m"]:
            minute = _number(match["m"])
        add(match.start(), _number(match["h"]), minute, None)
    matches, text = _consume(_EN_QUARTER, text)
    for match in matches:
        hour = _hour_number(match["h"])
        minute = 30 if match["which"] == "half" else 15
        if hour is not None and match["dir"] == "to":
            hour, minute = (hour - 1) or 12, 45
        add(match.start(), hour, minute, match["ap"])
    for pattern in (_EN_MERIDIEM, _CLOCK, _EN_OCLOCK, _EN_AT_HOUR):
        matches, text = _consume(pattern, text)
        for match in matches:
            groups = match.groupdict()
            minute = int(groups["m"]) if groups.get("m") else 0
            add(match.start(), _hour_number(match["h"]), minute, groups.get("ap"))
    return readings, text


def _read_period(text: str, after_a_date: bool) -> Tuple[int, str] | None:
    """Returns where `text` first names a part of the day, and which part."""
    found = [
        (match.start(), period)
        for pattern, period in _PERIODS
        for match in pattern.finditer(text)
    ]
    if after_a_date:
        found.extend(
            (match.start(), MORNING if match["ap"] == "a" else AFTERNOON)
            for match in _BARE_MERIDIEM.finditer(text)
        )
    return min(found) if found else None


def _hour_of_day(clock: _ClockReading, period: str | None) -> int:
    """Returns the 24-hour hour: "3" is 15:00 in a clinic's day, "下午3点" too."""
    hour = clock.hour
    if clock.meridiem == "a":
        return 0 if hour == 12 else hour
    if clock.meridiem == "p":
        return hour if hour == 12 else hour + 12
    if hour == 0 or hour > 12:
        return hour
    if period in (AFTERNOON, EVENING):
        return hour + 12 if hour < 12 else hour
    if period == NOON:
        return hour + 12 if hour <= 5 else hour
    if period == MORNING:
        return hour
    # Nobody books a clinic for 3 at night: 1-7 are afternoon hours, 8-11 morning.
    return hour + 12 if hour <= 7 else hour


def parse_preferred_time(
    text: str, now: dt.datetime, previous: PreferredTime | None = None
) -> TimeResult:
    """Returns the date and time `text` asks for, as of `now` in Shanghai.

    With `previous` (the time already given), a text with only a time keeps its
    date ("change the time to 4pm") and one with only a date keeps its time.
    """
    words = (text or "").strip()
    if now.tzinfo is None:
        now = now.replace(tzinfo=SHANGHAI)
    now = now.astimezone(SHANGHAI)
    today = now.date()

    _, folded = _consume(_NOT_A_TIME, _fold(words))
    _, without_iso = _consume(_ISO_DATE, folded)
    # A phone number is never a time, even where its digits could be read as one.
    if find_phone_candidate(without_iso):
        return TimeResult(None, "not_understood")
    dates, rest = _read_dates(folded, today)
    clocks, rest = _read_clocks(rest)
    named_period = _read_period(rest, after_a_date=bool(dates))

    if any(reading.date is None and not reading.ambiguous for reading in dates):
        return TimeResult(None, "not_understood")  # "31 November", "2026-02-30"
    known = [reading for reading in dates if not reading.ambiguous]
    # A calendar date is more precise than a weekday or "tomorrow" said with it.
    known.sort(key=lambda reading: (not reading.explicit, reading.start))
    ambiguous = not known and any(reading.ambiguous for reading in dates)
    date = known[0].date if known else None
    first = min(clocks, key=lambda reading: reading.start) if clocks else None
    period = named_period[1] if named_period else None
    if period is None:
        period = next((reading.period for reading in known if reading.period), None)
    if period is None and first is not None:
        period = first.period
    clock = dt.time(_hour_of_day(first, period), first.minute) if first else None

    if ambiguous:
        return TimeResult(PreferredTime(words, None, clock, period), "ambiguous")
    if date is None and clock is None and period is None:
        if _FLEXIBLE.search(_fold(words)):
            return TimeResult(PreferredTime(words, None, None, None), None)
        return TimeResult(None, "not_understood")
    if previous is not None:
        if date is None:
            date = previous.date
        elif clock is None and period is None:
            clock, period = previous.time, previous.period

    value = PreferredTime(words, date, clock, period)
    if date is not None and (
        date < today
        or (
            date == today
            and clock is not None
            and clock < now.time().replace(second=0, microsecond=0)
        )
    ):
        return TimeResult(value, "past")
    return TimeResult(value, None)
