"""When a visitor would like to come: actions/preferred_time.py."""

import datetime as dt
import json

import pytest

from actions.parsing import SHANGHAI
from actions.preferred_time import PreferredTime, TimeResult, parse_preferred_time

SUNDAY = dt.datetime(2026, 11, 22, 10, 0, tzinfo=SHANGHAI)
MONDAY = dt.datetime(2026, 11, 23, 10, 0, tzinfo=SHANGHAI)


def on(day: int, month: int = 11, year: int = 2026) -> dt.date:
    return dt.date(year, month, day)


def understood(text, now=SUNDAY, previous=None) -> PreferredTime:
    result = parse_preferred_time(text, now, previous)
    assert result.problem is None, result
    return result.value


@pytest.mark.parametrize(
    "text, date",
    [
        ("today", on(22)),
        ("tomorrow", on(23)),
        ("Tomorrow please", on(23)),
        ("day after tomorrow", on(24)),
        ("the day after tomorrow", on(24)),
        ("今天", on(22)),
        ("明天", on(23)),
        ("后天", on(24)),
        ("大后天", on(25)),
        ("monday", on(23)),
        ("Mon", on(23)),
        ("on Wednesday", on(25)),
        ("this saturday", on(28)),
        ("next monday", on(23)),
        ("sunday", on(29)),
        ("周一", on(23)),
        ("周日", on(29)),
        ("周天", on(29)),
        ("星期一", on(23)),
        ("星期日", on(29)),
        ("星期天", on(29)),
        ("礼拜一", on(23)),
        ("礼拜天", on(29)),
        ("这周六", on(28)),
        ("本周六", on(28)),
        ("下周一", on(23)),
        ("下星期一", on(23)),
        ("下周日", on(29)),
        ("3 December", on(3, 12)),
        ("December 3", on(3, 12)),
        ("Dec 3rd", on(3, 12)),
        ("3 dec", on(3, 12)),
        ("the 3rd of December", on(3, 12)),
        ("12月3号", on(3, 12)),
        ("12月3日", on(3, 12)),
        ("十二月三号", on(3, 12)),
        ("１２月３号", on(3, 12)),
        ("3号", on(3, 12)),
        ("25号", on(25)),
        ("22号", on(22)),
        ("2026-12-03", on(3, 12)),
        ("2026/12/03", on(3, 12)),
        ("2026年12月3日", on(3, 12)),
        ("25/12", on(25, 12)),
        ("12/25", on(25, 12)),
        ("3/3", on(3, 3, 2027)),
        ("3 November", on(3, 11, 2027)),
        ("January 5", on(5, 1, 2027)),
        ("15号", on(15, 12)),
    ],
)
def test_understands_dates_on_a_sunday(text, date):
    value = understood(text, SUNDAY)
    assert value.date == date
    assert value.time is None


@pytest.mark.parametrize(
    "text, date",
    [
        ("monday", on(30)),
        ("next monday", on(30)),
        ("this saturday", on(28)),
        ("sunday", on(29)),
        ("周一", on(30)),
        ("下周一", on(30)),
        ("下星期一", on(30)),
        ("下周日", on(6, 12)),
        ("这周六", on(28)),
        ("today", on(23)),
        ("明天", on(24)),
    ],
)
def test_understands_weekdays_on_a_monday(text, date):
    assert understood(text, MONDAY).date == date


@pytest.mark.parametrize(
    "text, time",
    [
        ("3pm", dt.time(15)),
        ("3 pm", dt.time(15)),
        ("3:30pm", dt.time(15, 30)),
        ("3.30 p.m.", dt.time(15, 30)),
        ("10am", dt.time(10)),
        ("12pm", dt.time(12)),
        ("15:00", dt.time(15)),
        ("15.30", dt.time(15, 30)),
        ("１５：３０", dt.time(15, 30)),
        ("at 3", dt.time(15)),
        ("at 9", dt.time(9)),
        ("at 11", dt.time(11)),
        ("at 12", dt.time(12)),
        ("3 o'clock", dt.time(15)),
        ("half past 3", dt.time(15, 30)),
        ("noon", dt.time(12)),
        ("midday", dt.time(12)),
        ("两点", dt.time(14)),
        ("2点", dt.time(14)),
        ("两点半", dt.time(14, 30)),
        ("三点一刻", dt.time(15, 15)),
        ("十点", dt.time(10)),
        ("十二点", dt.time(12)),
        ("14点", dt.time(14)),
        ("14:30", dt.time(14, 30)),
        ("下午三点", dt.time(15)),
        ("下午3点半", dt.time(15, 30)),
        ("上午十点", dt.time(10)),
        ("上午八点", dt.time(8)),
        ("晚上七点", dt.time(19)),
        ("晚上8点", dt.time(20)),
        ("中午十二点", dt.time(12)),
        ("中午一点", dt.time(13)),
        ("afternoon at 5", dt.time(17)),
        ("evening at 8", dt.time(20)),
        ("morning at 8", dt.time(8)),
    ],
)
def test_understands_clock_times(text, time):
    value = understood(text)
    assert value.time == time
    assert value.date is None
    assert value.normalised() == time.strftime("%H:%M")


@pytest.mark.parametrize(
    "text, period",
    [
        ("morning", "morning"),
        ("in the afternoon", "afternoon"),
        ("evening", "evening"),
        ("lunchtime", "noon"),
        ("上午", "morning"),
        ("早上", "morning"),
        ("早晨", "morning"),
        ("中午", "noon"),
        ("下午", "afternoon"),
        ("傍晚", "evening"),
        ("晚上", "evening"),
    ],
)
def test_understands_parts_of_the_day(text, period):
    value = understood(text)
    assert (value.date, value.time, value.period) == (None, None, period)
    assert value.normalised() == period


@pytest.mark.parametrize(
    "text, normalised",
    [
        ("tomorrow afternoon", "2026-11-23 afternoon"),
        ("tomorrow am", "2026-11-23 morning"),
        ("next Monday 3pm", "2026-11-23T15:00+08:00"),
        ("Monday at 10:30", "2026-11-23T10:30+08:00"),
        ("周六上午", "2026-11-28 morning"),
        ("12月3号下午两点", "2026-12-03T14:00+08:00"),
        ("2026年12月3日下午3点", "2026-12-03T15:00+08:00"),
        ("明天下午三点", "2026-11-23T15:00+08:00"),
        ("下周一上午十点", "2026-11-23T10:00+08:00"),
        ("3 dec at 11am", "2026-12-03T11:00+08:00"),
        ("tonight at 8", "2026-11-22T20:00+08:00"),
        ("今晚7点", "2026-11-22T19:00+08:00"),
        ("good morning, tomorrow at 3", "2026-11-23T15:00+08:00"),
        ("I am free tomorrow", "2026-11-23"),
        ("book tuina at Minhang tomorrow at 3pm", "2026-11-23T15:00+08:00"),
        ("today at 4pm", "2026-11-22T16:00+08:00"),
        ("today 10:00", "2026-11-22T10:00+08:00"),
        ("2026-12-03 15:00", "2026-12-03T15:00+08:00"),
    ],
)
def test_understands_a_date_with_a_time_or_part_of_the_day(text, normalised):
    assert understood(text).normalised() == normalised


def test_keeps_the_visitors_own_words():
    value = understood("  周六上午  ")
    assert value.words == "周六上午"


@pytest.mark.parametrize(
    "text, normalised",
    [
        ("yesterday", "2026-11-21"),
        ("2025-12-03", "2025-12-03"),
        ("21 November 2026", "2026-11-21"),
        ("today 9am", "2026-11-22T09:00+08:00"),
        ("今天上午九点", "2026-11-22T09:00+08:00"),
        ("last monday", "2026-11-16"),
    ],
)
def test_refuses_a_time_in_the_past_but_returns_it_to_quote(text, normalised):
    result = parse_preferred_time(text, SUNDAY)
    assert result.problem == "past"
    assert result.value.normalised() == normalised


@pytest.mark.parametrize("text", ["12/3", "3/4", "12/3 at 3pm", "5/6/2027"])
def test_a_slash_date_readable_both_ways_is_ambiguous(text):
    result = parse_preferred_time(text, SUNDAY)
    assert result.problem == "ambiguous"
    assert result.value.date is None
    assert result.value.words == text


def test_an_ambiguous_slash_date_keeps_the_time_it_was_given_with():
    assert parse_preferred_time("12/3 3pm", SUNDAY).value.time == dt.time(15)


@pytest.mark.parametrize(
    "text",
    [
        "", "blah", "soon", "31 November", "2026-02-30", "13月5号", "早一点",
        "my name is Sun Li", "wed like to come",
    ],
)  # fmt: skip
def test_says_when_a_time_is_not_understood(text):
    assert parse_preferred_time(text, SUNDAY) == TimeResult(None, "not_understood")


@pytest.mark.parametrize(
    "text",
    [
        "13812345678",
        "138 1234 5678",
        "１３８１２３４５６７８",
        "+86 21 6345 5101",
        "021-63455101",
        "0571 8888 8888",
        "tomorrow 3pm, 13812345678",
        "明天下午两点 13812345678",
    ],
)
def test_a_phone_number_is_never_read_as_a_time(text):
    assert parse_preferred_time(text, SUNDAY) == TimeResult(None, "not_understood")


@pytest.mark.parametrize(
    "text",
    [
        "any time",
        "Anytime",
        "whenever",
        "I'm flexible",
        "随时",
        "都可以",
        "什么时候都行",
    ],
)
def test_a_flexible_answer_is_understood(text):
    result = parse_preferred_time(text, SUNDAY)
    assert result == TimeResult(PreferredTime(text, None, None, None), None)
    assert result.value.normalised() == "flexible"


def test_any_time_on_a_given_day_is_that_day():
    assert understood("any time tomorrow").normalised() == "2026-11-23"


def test_nothing_understood_normalises_to_none():
    assert PreferredTime("blah", None, None, None).normalised() is None


@pytest.mark.parametrize(
    "text, normalised",
    [
        ("change the time to 4pm", "2026-11-23T16:00+08:00"),
        ("4点", "2026-11-23T16:00+08:00"),
        ("make it the afternoon", "2026-11-23 afternoon"),
        ("make it Saturday instead", "2026-11-28T15:00+08:00"),
        ("改到周六", "2026-11-28T15:00+08:00"),
        ("Friday at 10am", "2026-11-27T10:00+08:00"),
        ("any time", "flexible"),
    ],
)
def test_a_correction_keeps_what_it_does_not_change(text, normalised):
    previous = understood("tomorrow 3pm")
    assert understood(text, previous=previous).normalised() == normalised


def test_a_date_correction_keeps_the_previous_part_of_the_day():
    previous = understood("tomorrow morning")
    value = understood("Saturday instead", previous=previous)
    assert (value.date, value.period) == (on(28), "morning")


def test_a_correction_into_the_past_is_refused():
    previous = understood("today 4pm")
    assert parse_preferred_time("9am", SUNDAY, previous).problem == "past"


def test_now_in_another_time_zone_is_read_in_shanghai():
    # 23:30 in London on Saturday is already Sunday morning in Shanghai.
    london = dt.datetime(2026, 11, 21, 23, 30, tzinfo=dt.timezone.utc)
    assert understood("today", london).date == on(22)


def test_year_less_dates_roll_over_to_next_year_on_new_years_eve():
    new_years_eve = dt.datetime(2026, 12, 31, 18, 0, tzinfo=SHANGHAI)
    assert understood("2 January", new_years_eve).date == on(2, 1, 2027)
    assert understood("1/15", new_years_eve).date == on(15, 1, 2027)
    assert understood("3号", new_years_eve).date == on(3, 1, 2027)
    assert understood("明天", new_years_eve).date == on(1, 1, 2027)


@pytest.mark.parametrize(
    "value",
    [
        PreferredTime("12月3号下午两点", on(3, 12), dt.time(14), "afternoon"),
        PreferredTime("tomorrow", on(23), None, None),
        PreferredTime("3pm", None, dt.time(15), None),
        PreferredTime("any time", None, None, None),
    ],
)
def test_preferred_time_round_trips_through_json(value):
    data = json.loads(json.dumps(value.as_dict()))
    assert PreferredTime.from_dict(data) == value
    assert PreferredTime.from_dict(data).normalised() == value.normalised()
