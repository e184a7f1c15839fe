"""Pure parser for when a visitor would like to come ("周六上午", "next Monday 3pm").

Used by the booking form; depends only on its arguments (the current time is passed
in), so it is tested without a tracker or a clock. Nothing here imports Rasa.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any, Callable, Dict, List, Tuple

from actions.parsing import SHANGHAI, find_phone_candidate, fold

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
        return FLEXIBLE if _FLEXIBLE.search(fold(self.words)) else None

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

    _, folded = _consume(_NOT_A_TIME, fold(words))
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
        if _FLEXIBLE.search(fold(words)):
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
