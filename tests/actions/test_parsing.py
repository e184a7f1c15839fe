import pytest

from actions.parsing import (
    CLINICS,
    PRACTITIONERS,
    SERVICES,
    PhoneResult,
    find_phone_candidate,
    mask_name,
    mask_phone,
    parse_clinic,
    parse_name,
    parse_phone,
    parse_practitioner,
    parse_service,
)

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
