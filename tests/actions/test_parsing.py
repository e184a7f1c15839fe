import datetime as dt
import json

import pytest

from actions.parsing import (
    CLINICS,
    PRACTITIONERS,
    SERVICES,
    SHANGHAI,
    PhoneResult,
    PreferredTime,
    TimeResult,
    find_phone_candidate,
    mask_name,
    mask_phone,
    parse_clinic,
    parse_name,
    parse_phone,
    parse_practitioner,
    parse_preferred_time,
    parse_service,
)

SUNDAY = dt.datetime(2026, 11, 22, 10, 0, tzinfo=SHANGHAI)
MONDAY = dt.datetime(2026, 11, 23, 10, 0, tzinfo=SHANGHAI)


def on(day: int, month: int = 11, year: int = 2026) -> dt.date:
    return dt.date(year, month, day)


def understood(text, now=SUNDAY, previous=None) -> PreferredTime:
    result = parse_preferred_time(text, now, previous)
    assert result.problem is None, result
    return result.value


# --- Catalogue ---------------------------------------------------------------


def test_services_are_listed_in_the_order_the_form_offers_them():
    assert list(SERVICES) == [
        "tuina", "medical_massage", "acupuncture", "cupping", "herbal_medicine",
        "acupressure", "osteopathy",
    ]  # fmt: skip
    assert SERVICES["acupressure"] == ("acupuncture massage (acupressure)", "穴位按摩")
    assert SERVICES["herbal_medicine"] == ("herbal medicine consultation", "中药咨询")


@pytest.mark.parametrize("key", list(SERVICES))
def test_every_service_name_shown_to_visitors_reads_back_as_its_key(key):
    english, chinese = SERVICES[key]
    assert parse_service(english) == key
    assert parse_service(chinese) == key
    assert parse_service(key) == key  # button payloads carry the key


@pytest.mark.parametrize("key", list(CLINICS))
def test_every_clinic_name_and_address_reads_back_as_its_key(key):
    clinic = CLINICS[key]
    assert clinic.key == key
    for text in (clinic.name_en, clinic.name_zh, clinic.address_en, clinic.address_zh):
        assert parse_clinic(text) == key


@pytest.mark.parametrize("key", list(PRACTITIONERS))
def test_every_practitioner_name_reads_back_as_its_key(key):
    english, chinese = PRACTITIONERS[key]
    assert parse_practitioner(english) == key
    assert parse_practitioner(chinese) == key
    assert parse_practitioner(key) == key


def test_clinic_phone_says_extension_in_the_visitors_language():
    downtown, minhang = CLINICS["downtown"], CLINICS["minhang"]
    assert downtown.phone_in("en") == "(+86 21) 6345 5101 ext. 223 / 225"
    assert downtown.phone_in("zh") == "(+86 21) 6345 5101 转 223 / 225"
    assert minhang.phone_in("zh") == "(+86 21) 6461 6550 转 0 / 219"
    assert minhang.address_en == "Zhidi Plaza, 211 Cheng Jia Qiao Zhi Road"


# --- Services, clinics, practitioners -------------------------------------------


@pytest.mark.parametrize(
    "text, key",
    [
        ("tuina", "tuina"),
        ("Tui Na", "tuina"),
        ("tui-na please", "tuina"),
        ("TUINA", "tuina"),
        ("推拿", "tuina"),
        ("推拿按摩", "tuina"),
        ("tuina massage", "tuina"),
        ("medical massage", "medical_massage"),
        ("therapeutic massage", "medical_massage"),
        ("医疗按摩", "medical_massage"),
        ("医学按摩", "medical_massage"),
        ("治疗性按摩", "medical_massage"),
        ("just a massage", "medical_massage"),
        ("按摩", "medical_massage"),
        ("acupuncture", "acupuncture"),
        ("needles", "acupuncture"),
        ("针灸", "acupuncture"),
        ("我想扎针", "acupuncture"),
        ("针刺", "acupuncture"),
        ("cupping", "cupping"),
        ("拔罐", "cupping"),
        ("拔火罐", "cupping"),
        ("火罐", "cupping"),
        ("herbal medicine", "herbal_medicine"),
        ("herbs", "herbal_medicine"),
        ("herbal consultation", "herbal_medicine"),
        ("Chinese medicine consultation", "herbal_medicine"),
        ("TCM doctor consultation", "herbal_medicine"),
        ("中药", "herbal_medicine"),
        ("草药", "herbal_medicine"),
        ("中医咨询", "herbal_medicine"),
        ("看中医", "herbal_medicine"),
        ("开中药", "herbal_medicine"),
        ("acupressure", "acupressure"),
        ("acupuncture massage", "acupressure"),
        ("pressure points", "acupressure"),
        ("穴位按摩", "acupressure"),
        ("点穴", "acupressure"),
        ("指压", "acupressure"),
        ("osteopathy", "osteopathy"),
        ("an osteopath", "osteopathy"),
        ("整骨", "osteopathy"),
        ("整骨疗法", "osteopathy"),
        ("正骨", "osteopathy"),
        ("book tuina at Minhang tomorrow at 3pm", "tuina"),
        ("我想明天下午在闵行做推拿", "tuina"),
    ],
)
def test_finds_the_service_from_english_and_chinese_synonyms(text, key):
    assert parse_service(text) == key


@pytest.mark.parametrize(
    "text, key",
    [
        ("accupuncture", "acupuncture"),
        ("acupunture", "acupuncture"),
        ("cuping", "cupping"),
        ("osteopaty", "osteopathy"),
        ("medical massge", "medical_massage"),
    ],
)
def test_tolerates_a_typo_in_a_long_service_name(text, key):
    assert parse_service(text) == key


@pytest.mark.parametrize(
    "text", ["acupuncture massage", "穴位按摩", "Acupuncture-Massage"]
)
def test_acupuncture_massage_is_acupressure_not_acupuncture_or_massage(text):
    assert parse_service(text) == "acupressure"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "hello",
        "what are your prices",
        "please leave a message",
        "cupping and tuina",
    ],
)
def test_no_service_when_none_or_several_are_named(text):
    assert parse_service(text) is None


@pytest.mark.parametrize(
    "text, key",
    [
        ("downtown", "downtown"),
        ("Downtown please", "downtown"),
        ("city centre", "downtown"),
        ("the city center one", "downtown"),
        ("Xizang Road", "downtown"),
        ("south xizang road", "downtown"),
        ("Anji Plaza", "downtown"),
        ("anji", "downtown"),
        ("Huangpu", "downtown"),
        ("市区", "downtown"),
        ("市中心", "downtown"),
        ("西藏南路那家", "downtown"),
        ("西藏路", "downtown"),
        ("安基", "downtown"),
        ("黄浦区", "downtown"),
        ("dowtown", "downtown"),
        ("minhang", "minhang"),
        ("Min Hang", "minhang"),
        ("min-hang", "minhang"),
        ("Minghang", "minhang"),
        ("zhidi", "minhang"),
        ("Zhidi Plaza", "minhang"),
        ("cheng jia qiao", "minhang"),
        ("Chengjiaqiao", "minhang"),
        ("闵行", "minhang"),
        ("我在闵行区", "minhang"),
        ("智地", "minhang"),
        ("程家桥", "minhang"),
    ],
)
def test_finds_the_clinic_from_english_and_chinese_synonyms(text, key):
    assert parse_clinic(text) == key


@pytest.mark.parametrize(
    "text", ["downtown or minhang?", "市区还是闵行", "either", "where are you", ""]
)
def test_no_clinic_when_both_or_neither_are_named(text):
    assert parse_clinic(text) is None


@pytest.mark.parametrize(
    "text, key",
    [
        ("Matthew", "matthew_stevens"),
        ("matthew stevens", "matthew_stevens"),
        ("with Mathew please", "matthew_stevens"),
        ("马修", "matthew_stevens"),
        ("Joe", "joe_teh"),
        ("joe teh", "joe_teh"),
        ("a TCM doctor", "tcm_doctor"),
        ("中医师", "tcm_doctor"),
        ("中医大夫", "tcm_doctor"),
    ],
)
def test_finds_the_practitioner(text, key):
    assert parse_practitioner(text) == key


@pytest.mark.parametrize("text", ["anyone", "Joe or Matthew", "no preference", ""])
def test_no_practitioner_when_none_or_several_are_named(text):
    assert parse_practitioner(text) is None


# --- Names ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, name",
    [
        ("Wang Fang", "Wang Fang"),
        ("my name is Wang Fang", "Wang Fang"),
        ("My name is   john  SMITH.", "john SMITH"),
        ("I'm Anna", "Anna"),
        ("I’m Anna!", "Anna"),
        ("i am Li Na", "Li Na"),
        ("this is Mr. Chen", "Mr. Chen"),
        ("It's Ms Li", "Ms Li"),
        ("name: Zhang Wei", "Zhang Wei"),
        ("Hi, my name is Marie-Claire O'Neil", "Marie-Claire O'Neil"),
        ("Tina", "Tina"),
        ("王先生", "王先生"),
        ("我叫王小明", "王小明"),
        ("我是李女士。", "李女士"),
        ("我的名字是张伟", "张伟"),
        ("名字是陈静", "陈静"),
        ("姓名：刘洋", "刘洋"),
        ("Ｗａｎｇ　Ｆａｎｇ", "Wang Fang"),
        ("Wang Fang, thanks", "Wang Fang"),
        ("Ms Li", "Ms Li"),
    ],
)
def test_reads_a_name_without_the_words_around_it(text, name):
    assert parse_name(text) == name


@pytest.mark.parametrize(
    "text",
    [
        "", "   ", "no", "Yes", "ok", "OK.", "hello", "不知道", "好的", "算了",
        "why do you need my name?", "你叫什么名字", "是你吗", "my name is 12345",
        "Wang Fang 13812345678", "tuina", "推拿", "Minhang", "市区", "I want to book",
        "wang@example.com", "🙂", "x" * 61,
    ],
)  # fmt: skip
def test_rejects_what_is_obviously_not_a_name(text):
    assert parse_name(text) is None


def test_a_name_of_sixty_characters_is_accepted():
    assert parse_name("A" * 60) == "A" * 60


@pytest.mark.parametrize(
    "name, masked",
    [
        ("Wang Fang", "W*** F***"),
        ("王小明", "王**"),
        ("王先生", "王**"),
        ("Ms Li", "M*** L***"),
        ("Anna", "A***"),
        ("李", "*"),
        ("", ""),
    ],
)
def test_mask_name_keeps_only_initials(name, masked):
    assert mask_name(name) == masked
    assert mask_name(name) == mask_name(name)


@pytest.mark.parametrize("name", ["Wang Fang", "王小明", "Li", "Jo", "李雷"])
def test_mask_name_never_returns_the_name(name):
    assert mask_name(name) != name
    assert name not in mask_name(name)


# --- Phones -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, e164",
    [
        ("13812345678", "+8613812345678"),
        ("138 1234 5678", "+8613812345678"),
        ("138-1234-5678", "+8613812345678"),
        ("138.1234.5678", "+8613812345678"),
        ("１３８１２３４５６７８", "+8613812345678"),
        ("１３８ １２３４ ５６７８", "+8613812345678"),
        ("my number is 138 1234 5678", "+8613812345678"),
        ("电话：13812345678", "+8613812345678"),
        ("电话：１３８－１２３４－５６７８，谢谢", "+8613812345678"),
        ("+86 138 1234 5678", "+8613812345678"),
        ("+8613812345678", "+8613812345678"),
        ("＋８６ １３８１２３４５６７８", "+8613812345678"),
        ("0086 138 1234 5678", "+8613812345678"),
        ("86 13812345678", "+8613812345678"),
        ("19912345678", "+8619912345678"),
        ("021 6345 5101", "+862163455101"),
        ("(021)63455101", "+862163455101"),
        ("（021）6345-5101", "+862163455101"),
        ("021-63455101", "+862163455101"),
        ("+86 21 6345 5101", "+862163455101"),
        ("+86 (0)21 6345 5101", "+862163455101"),
        ("(+86 21) 6345 5101 ext. 223", "+862163455101"),
        ("010 1234 5678", "+861012345678"),
        ("+86 10 1234 5678", "+861012345678"),
        ("0571 8888 8888", "+8657188888888"),
        ("0571-888-8888", "+865718888888"),
        ("+44 20 7946 0958", "+442079460958"),
        ("+1 415 555 2671", "+14155552671"),
        ("+1 (415) 555-2671", "+14155552671"),
        ("0044 20 7946 0958", "+442079460958"),
        ("call me on +49 30 901820", "+4930901820"),
    ],
)
def test_reads_chinese_and_international_numbers_as_e164(text, e164):
    assert parse_phone(text) == PhoneResult(e164, None)


@pytest.mark.parametrize(
    "text, problem",
    [
        ("my phone", "not_a_number"),
        ("电话号码", "not_a_number"),
        ("", "not_a_number"),
        ("12345", "too_short"),
        ("138 123", "too_short"),
        ("+44 123", "too_short"),
        ("1381234567812345", "too_long"),
        ("+86 138 1234 5678 1234", "too_long"),
        ("12012345678", "invalid_mobile"),
        ("11012345678", "invalid_mobile"),
        ("10812345678", "invalid_mobile"),
        ("+86 120 1234 5678", "invalid_mobile"),
        ("1381234567", "invalid_mobile"),
        ("138123456789", "invalid_mobile"),
        ("021 6345", "invalid_landline"),
        ("021 6345 51011", "invalid_landline"),
        ("0571 8888 88888", "invalid_landline"),
        ("6345 5101", "invalid_landline"),
        ("+44 20 7946 095", "invalid_international"),
        ("+1 123 456 7890", "invalid_international"),
        ("+999 1234 5678", "invalid_international"),
        ("415 555 2671", "invalid_international"),
    ],
)
def test_says_what_is_wrong_with_a_number(text, problem):
    assert parse_phone(text) == PhoneResult(None, problem)


@pytest.mark.parametrize(
    "text, candidate",
    [
        ("my number is 138 1234 5678, thanks", "138 1234 5678"),
        ("１３８１２３４５６７８", "１３８１２３４５６７８"),
        ("tel (021) 6345-5101", "(021) 6345-5101"),
        ("+44 20 7946 0958 is my UK number", "+44 20 7946 0958"),
        ("明天下午3点 13812345678", "13812345678"),
        ("at 3pm", None),
        ("2026-12-03", None),
        ("10.30-11.30", None),
        ("123456", None),
        ("no number here", None),
    ],
)
def test_finds_the_part_that_looks_like_a_phone_number(text, candidate):
    assert find_phone_candidate(text) == candidate


@pytest.mark.parametrize(
    "e164, masked",
    [
        ("+8613812345678", "+86 138****5678"),
        ("+862163455101", "+86 21****5101"),
        ("+442079460958", "+44 20****0958"),
        ("+14155552671", "+1 41****2671"),
        ("+4930901820", "+49 ****1820"),
    ],
)
def test_mask_phone_keeps_country_code_and_ends_only(e164, masked):
    assert mask_phone(e164) == masked
    assert mask_phone(e164) == mask_phone(e164)
    national = e164[len(masked.split()[0]) :]
    assert national not in mask_phone(e164)


@pytest.mark.parametrize("value", ["1234567", "+861234567", "13812345678", "+1"])
def test_mask_phone_never_returns_all_digits(value):
    digits = "".join(char for char in value if char.isdigit())
    masked_digits = "".join(char for char in mask_phone(value) if char.isdigit())
    assert "*" in mask_phone(value) or len(digits) <= 1
    assert masked_digits != digits or len(digits) <= 1


# --- Preferred date and time ------------------------------------------------------


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
