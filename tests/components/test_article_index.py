"""The articles' index: words, kinds of question, coverage and the fused ranking."""

from __future__ import annotations

import numpy as np
import pytest

from components.article_index import (
    ArticleIndex,
    Speller,
    Vocabulary,
    asked_kinds,
    asks_about_a_visit,
    asks_home_visit,
    asks_language,
    content_words,
    counted,
    gives,
    states_asked,
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
    # jieba's cuts of 会不会 and 什么样的人: only the oil and the people are asked.
    assert content_words(["穴位按摩", "会", "不会", "用", "精油"]) == [
        "穴位按摩",
        "用",
        "精油",
    ]
    assert content_words(["适合", "什么样", "的", "人"]) == ["适合", "人"]


@pytest.mark.parametrize(
    ("question", "kinds"),
    [
        ("推拿有多少年历史了", ["number"]),
        ("针灸多少钱一次", ["price"]),
        ("how much does tuina cost", ["price"]),
        ("how many manipulations does tuina have", ["number"]),
        ("市区诊所在几楼", ["place"]),
        ("who should not have acupressure?", []),
        # A place in the body is no address; "in charge of" is no price.
        ("when qi and blood get stuck, where exactly are they stuck?", []),
        ("治疗师会先搞清楚我哪里疼吗", []),
        ("where is the Minhang clinic?", ["place"]),
        ("in chinese medicine what is the liver in charge of", []),
        ("do you charge for a consultation", ["price"]),
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


@pytest.mark.parametrize(
    ("question", "thing"),
    [
        ("how many therapists work at the Minhang clinic", "therapist"),
        ("how many branches do you have", "clinic"),
        # A word that only says which kind is not the thing.
        ("how many tcm doctors work at the minhang branch", "doctor"),
        ("how many different manipulations does tuina have", "manipulation"),
        ("闵行诊所有多少个医生", "医生"),
        ("你们有几家分店", "诊所"),
        # Frequencies, amounts and "several" are no count of a thing.
        ("how many times a week should I come", None),
        ("how many mg of ibuprofen can I take", None),
        ("一周需要做几次疼痛理疗", None),
        ("几个月的宝宝能推拿吗", None),
        ("部门十几个同事腰酸背痛", None),
        ("你们做推拿的是哪几位医师", None),
    ],
)
def test_the_thing_whose_count_is_asked(question, thing):
    assert counted(question) == thing


def test_a_count_is_stated_only_by_a_number_that_counts_the_thing():
    assert states_asked("We have two clinics in Shanghai.", "how many branches?")
    assert states_asked("我们在上海有两家诊所。", "你们有几家分店")
    names = "Our practitioners are Joe Teh (tuina) and Matthew Stevens (osteopathy)."
    assert not states_asked(names, "how many therapists work there?")
    assert not states_asked("Open since 2005, 3 floors.", "how many doctors are there")
    assert states_asked(names, "who are your practitioners?")  # names no fact


@pytest.mark.parametrize(
    ("question", "about_someone"),
    [
        ("does joe teh speak english", True),
        ("are your staff able to communicate in english", True),
        ("is there an english speaking therapist?", True),
        ("Joe Teh 会说英语吗", True),
        ("有会说英语的医生吗", True),
        # Asked of the assistant: a request for replies in that language.
        ("do you speak english", False),
        ("can you speak 中文 please", False),
        ("你会说中文吗", False),
        ("能讲英语吗", False),
        ("pls 说中文", False),
        ("please 说中文", False),
    ],
)
def test_whether_someone_speaks_a_language_is_asked(question, about_someone):
    assert asks_language(question) is about_someone


@pytest.mark.parametrize(
    ("question", "at_home"),
    [
        ("do you do house calls", True),
        ("can a therapist come to my hotel for tuina", True),
        ("医生能到家里来治疗吗", True),
        ("可以上门推拿吗", True),
        ("does anyone from the clinic come to the house for treatment", True),
        # Care the visitor gives themselves at home is another question.
        ("can I do acupressure at home", False),
        ("在家可以自己按摩吗", False),
    ],
)
def test_whether_a_visit_at_home_is_asked(question, at_home):
    assert asks_home_visit(question) is at_home
    assert (
        states_asked("Our clinics are in Huangpu and Minhang.", question) is not at_home
    )


@pytest.mark.parametrize(
    ("question", "about_clothes"),
    [
        ("what should I wear for tuina", True),
        ("do i keep my clothes on during tuina", True),
        ("做推拿要穿什么衣服", True),
        ("does wearing wet clothes cause back pain in chinese medicine", False),
    ],
)
def test_what_to_wear_is_stated_only_by_a_text_on_clothes(question, about_clothes):
    expect = "During tuina you should feel comfortable and quite relaxed."
    assert states_asked(expect, question) is not about_clothes
    assert states_asked("You stay clothed; wear something loose.", question)


@pytest.mark.parametrize(
    "question",
    [
        "which metro station is closest to the downtown clinic",
        "诊所有停车位吗",
        "can I shower after cupping",
        "推拿完可以喝酒吗",
        "can i go swimming the evening after cupping?",
        "推拿之后可以马上运动吗",
        "can I exercise right after acupuncture?",
    ],
)
def test_getting_there_and_aftercare_are_stated_only_in_their_words(question):
    addresses = "Downtown: Anji Plaza, 760 South Xizang Road. 市区：安基大厦"
    assert not states_asked(addresses, question)
    # A taxi needs only the address.
    assert states_asked(addresses, "the address for my taxi driver?")


@pytest.mark.parametrize(
    "question",
    ["regular exercise after a back injury helps?", "后来我开始运动 腰还是疼"],
)
def test_exercise_not_after_a_treatment_is_no_aftercare(question):
    assert states_asked("Regular exercise keeps you mobile. 坚持运动。", question)


def test_a_swimmer_is_no_question_about_swimming():
    text = "Cupping leaves round marks, as on swimmers' backs."
    assert states_asked(text, "saw a swimmer with round marks from cups, what is that")


@pytest.mark.parametrize(
    "question",
    [
        "how far back does massage go in chinese medicine",
        "中医治腰痛有多少年历史",
        "你们诊所开了几年了",
    ],
)
def test_how_long_ago_is_stated_by_years_a_date_or_a_dynasty(question):
    assert states_asked("It dates back to the Shang Dynasty (1700 B.C.).", question)
    assert states_asked("植根于2000多年的疗愈智慧", question)
    assert not states_asked("Tuina eases pain and stiffness.", question)
    # 好几年 tells how long the pain has lasted; it asks nothing.
    assert states_asked("Tuina eases pain.", "我腰疼好几年了怎么治")


@pytest.mark.parametrize(
    ("question", "named"),
    [
        ("how long does one tuina session last", True),
        ("做一次推拿要多长时间", True),
        ("how long is an acupuncture appointment?", True),
        ("每次痛症治疗大概多长时间", False),
        ("how long does one session of pain therapy run and how often", False),
    ],
)
def test_a_sessions_length_is_stated_with_the_therapy_named(question, named):
    pain_therapy = (
        "Our article on pain therapy recommends doing it at least 2-4 days a week, "
        "for about 30 minutes a day. 疼痛治疗每周至少做2至4天，每天约30分钟。"
    )
    # Pain therapy's 30 minutes a day is not the length of a tuina session.
    assert states_asked(pain_therapy, question) is not named
    lengths = "A tuina, acupuncture or pain therapy session lasts 45 minutes. "
    assert states_asked(lengths + "推拿、针灸或疼痛治疗一次约一小时。", question)
    assert not states_asked("Tuina and acupuncture ease pain. 推拿针灸", question)


@pytest.mark.parametrize(
    ("question", "named"),
    [
        ("how many sessions will I need for my back?", True),
        ("做几次推拿才能见效", True),
        ("推拿要做几个疗程", True),
        ("how soon will I feel better after tuina?", True),
        ("多久能好", True),
        ("how long do I have to wait for an appointment", True),
        ("how long is the wait to get in with a doctor", True),
        ("要排队吗", True),
        # How many a week is the frequency answer's.
        ("How many times a week do I need pain treatment sessions?", False),
        ("一周需要做几次疼痛理疗", False),
        ("做几次比较好", False),
    ],
)
def test_sessions_needed_how_soon_and_waiting_are_stated_in_their_words(
    question, named
):
    frequency = (
        "Our article on pain therapy recommends doing it at least 2-4 days a week, "
        "for about 30 minutes a day. 疼痛治疗每周至少做2至4天，每天约30分钟。"
    )
    assert states_asked(frequency, question) is not named


@pytest.mark.parametrize(
    "question",
    ["疼痛治疗要多久做一次", "推拿一个疗程要做多久", "how long should I rest my back"],
)
def test_how_often_a_course_and_a_rest_are_not_a_sessions_length(question):
    assert states_asked("Tuina eases pain.", question)


@pytest.mark.parametrize(
    "question",
    [
        "do I need to bring a towel?",
        "做推拿要不要自己带毛巾",
        "are the herbs you use organic?",
        "开的中药是汤药还是颗粒",
        "can I ask for a female therapist",
        "有没有女技师",
        "can my husband and I have a couples massage",
        "do I need a referral from my GP",
        "预约了去不了 钱能退吗",
        "can I go to the gym after tuina",
        "做完推拿能去健身房吗",
    ],
)
def test_practicalities_are_stated_only_in_their_words(question):
    herbs = "Herbal formulas are tailored to the patient. 中药方剂因人而异。"
    assert not states_asked(herbs, question)


@pytest.mark.parametrize(
    "question",
    [
        "推拿可以和物理治疗一起做吗",  # combining therapies, not two people
        "my back has been sore since the gym last week",  # the gym as the cause
        "我最近天天加班熬夜",  # 熬夜 is staying up, not boiling herbs
        "放松按摩有机会让人放松吗",  # 有机会 is "a chance"
    ],
)
def test_look_alike_words_name_no_practicality(question):
    assert states_asked("Tuina eases pain.", question)


def test_no_article_text_says_who_speaks_what():
    assert not states_asked(
        "Joe Teh studied tuina in Shanghai.", "does Joe speak English"
    )
    assert states_asked(
        "Our therapist speaks English and Mandarin.", "does Joe Teh speak English"
    )


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


def test_a_word_only_the_questions_a_passage_answers_use_is_not_said_by_it():
    # Passage 1 says "suction"; a visitor asks it as "does cupping leave marks".
    documents = {
        "en": [["tuina"], ["cup", "suction", "leave", "mark"]],
        "zh": [["推拿"], ["拔罐"]],
    }
    said = {"en": [["tuina"], ["cup", "suction"]], "zh": [["推拿"], ["拔罐"]]}
    articles = ArticleIndex(documents, np.eye(2, dtype=np.float32), [0, 1], said)
    assert articles.says(1, "suction", "en") and not articles.says(1, "mark", "en")
    assert articles.used_by("mark", "en") == 0 and articles.used_by("cup", "en") == 1
    # ... but the questions' words still find it.
    found = articles.words_found(["cup", "mark"], "en")
    assert found.coverage[1] == 1.0 and found.bm25[1] > found.bm25[0]


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


@pytest.mark.parametrize(
    ("question", "named"),
    [
        ("what nationality is matthew stevens", True),
        ("Matthew Stevens 医生是哪国人 在哪里读的书", True),
        ("where did joe teh study tuina", True),
        ("what did Matthew Stevens train as?", False),
        ("where is the pain coming from", False),
    ],
)
def test_where_a_practitioner_is_from_or_studied_is_stated_only_by_saying_so(
    question, named
):
    practitioners = (
        "Osteopath Matthew Stevens gives medical massage at the Hongmei Road clinic. "
        "整骨治疗师 Matthew Stevens 在虹梅路诊所提供医疗按摩。"
    )
    assert states_asked(practitioners, question) is not named


@pytest.mark.parametrize(
    ("question", "about_a_visit"),
    [
        ("do i need to bring anything to my first appointment?", True),
        ("do I need a referral from my GP?", True),
        ("预约了临时去不了 钱能退吗", True),
        ("你们可以上门服务吗", True),
        ("can I book tuina for saturday?", False),
        ("a female therapist please", False),
    ],
)
def test_what_the_front_desk_is_asked_about_a_visit(question, about_a_visit):
    assert asks_about_a_visit(question) is about_a_visit


@pytest.mark.parametrize(
    ("question", "named"),
    [
        ("拔完罐那个紫印子一般几天能消啊", True),
        ("how long do cupping marks usually stay", True),
        ("does cupping leave marks?", False),
    ],
)
def test_how_long_marks_last_is_stated_by_a_length_of_time(question, named):
    cupping = "Cups are placed on the skin to create suction. 拔罐促进血液循环。"
    assert states_asked(cupping, question) is not named
    assert states_asked("The marks fade within 3-7 days. 印子3天左右消退。", question)


@pytest.mark.parametrize(
    ("question", "stated_by", "not_stated_by"),
    [
        # A length in minutes or hours; a number of days a week is none.
        (
            "how many minutes do they usually leave the cups on",
            "Cups are usually left on for 5-10 minutes.",
            "Come 2-4 days a week.",
        ),
        ("拔罐一般留罐几分钟", "一般留罐十分钟。", "每周做两到四次。"),
        # A depth; "deep-seated tension" is none.
        (
            "how deep do the needles go in",
            "Needles go 1-2 cm deep.",
            "It draws out deep-seated tension.",
        ),
        # A year; "for over 13 years" is how long, not since when.
        (
            "你们第一家店是哪一年开的",
            "The first clinic opened in 2011.",
            "We have been treating patients for over 13 years.",
        ),
        # Which cups, offered as options; cups in general are no answer.
        (
            "do you use glass cups with fire or the plastic pump ones",
            "We use glass cups.",
            "Cups are placed on the skin to create suction.",
        ),
        ("你们拔罐用的是玻璃罐还是竹罐", "我们用玻璃罐。", "罐具放在皮肤上形成吸力。"),
        # Where a practitioner studied; training alone is no answer.
        (
            "where did your tcm doctors study, like shanghai university or elsewhere",
            "Our doctors graduated from Shanghai University of TCM.",
            "Our TCM doctors specialise in tuina.",
        ),
        (
            "你们的中医师都是哪个中医药大学毕业的",
            "毕业于上海中医药大学。",
            "医师擅长推拿。",
        ),
        # Side effects and scars left, which no article names.
        (
            "are there any side effects from the chinese herbs?",
            "Side effects are rare.",
            "Herbal formulas are tailored to you.",
        ),
        ("针灸扎完会不会留疤啊", "针灸不会留疤。", "针灸使用无菌细针。"),
        # An age limit, for the therapy asked about: tuina on infants is none for
        # acupuncture.
        (
            "my mum is 85, is there an age limit for acupuncture",
            "Acupuncture suits adults of any age, children from 6 years old.",
            "Tuina is gentle enough to be used even on infants.",
        ),
        # What to eat or avoid, which no article says.
        ("吃中药的时候要忌口吗 辣的能吃不", "饮食宜清淡。", "中药可以调理体质。"),
        (
            "any foods to avoid while taking the herbs",
            "Avoid spicy food while taking them.",
            "Herbal medicine rebalances the body.",
        ),
    ],
)
def test_a_detail_asked_is_stated_only_by_a_text_that_gives_it(
    question, stated_by, not_stated_by
):
    assert states_asked(stated_by, question)
    assert not states_asked(not_stated_by, question)


@pytest.mark.parametrize(
    "question",
    [
        "今晚吃什么好",  # tonight's dinner, not a diet
        "is cupping the one where they use fire and glass cups",  # not options
        "age limit for tuina?",  # tuina is used even on infants
        "你们有深度按摩吗",  # a deep massage, not a depth
        "can you explain in depth how tuina works",
        "做一次要多少分钟",  # a length, stated by the answer's 30 minutes
        "fresh scar from an operation, massage ok?",  # a scar to massage
    ],
)
def test_questions_the_answers_state_stay_stated(question):
    answer = "每次约30分钟 (30 minutes). Cups on the skin. Tuina, even on infants."
    assert states_asked(answer, question)


def test_someone_in_the_room_is_asked_about_a_visit():
    question = "can my husband stay in the room with me during acupuncture?"
    assert asks_about_a_visit(question)
    assert not states_asked("Acupuncture restores the flow of qi.", question)
    assert asks_about_a_visit("针灸的时候家属能陪着吗")
    assert asks_about_a_visit("孩子能跟我一起进去吗")
    assert not asks_about_a_visit("推拿能不能和其他治疗一起进行")


@pytest.mark.parametrize(
    ("question", "named"),
    [
        ("can i eat before acupuncture", True),
        ("针灸前可以吃饭吗", True),
        ("做完推拿能吃东西吗", True),
        ("should i tip the therapist", True),
        ("要给小费吗", True),
        ("can I take my herbs with food", False),
        ("any tips for finding a qualified therapist?", False),
    ],
)
def test_eating_around_a_treatment_and_tipping_are_stated_in_their_words(
    question, named
):
    herbs = "Herbal formulas are tailored to each patient. 中药方剂因人而异。"
    assert states_asked(herbs, question) is not named


@pytest.mark.parametrize(
    ("question", "named"),
    [
        ("is the clinic wheelchair accessible", True),
        ("is there a lift up to the 14th floor?", True),
        ("有电梯到14楼吗", True),
        ("do you have a membership or some kind of package", True),
        ("学生有优惠吗", True),
        ("can I buy a gift card for my mum", True),
        ("how long does the relief last after tuina", True),
        ("推拿的效果一般能维持多久", True),
        ("can I lift my arm after tuina", False),  # lifting, not a lift
        ("is acupressure's relief long-lasting?", False),  # what the article says
    ],
)
def test_access_packages_and_how_long_an_effect_lasts_are_stated_in_their_words(
    question, named
):
    address = "Anji Plaza, 14th floor. 西藏南路760号14楼。Relief is long-lasting."
    assert states_asked(address, question) is not named


@pytest.mark.parametrize(
    "question",
    [
        "is coffee bad after acupuncture?",
        "flying the morning after my appt, any issue with acupuncture before a flight",
        "扎完针能马上开车吗",
        "拔完罐能喝冰饮料吗",
        "做完针灸有啥要注意的",
    ],
)
def test_more_aftercare_is_stated_only_in_its_words(question):
    assert not states_asked("Tuina relieves pain. 推拿能缓解疼痛。", question)


@pytest.mark.parametrize(
    "question", ["推拿需要注意什么", "i drink coffee every day, does tuina help"]
)
def test_what_is_not_about_after_a_treatment_is_no_aftercare(question):
    assert states_asked("Tuina relieves pain. 推拿能缓解疼痛。", question)


@pytest.mark.parametrize(
    ("question", "text"),
    [
        ("are the needles single use?", "Acupuncture uses fine needles."),
        ("你们的药材检测过农残重金属吗", "中药方剂因人而异。"),
        ("你们的中医师都有执业医师证吗", "Joe Teh 擅长推拿。"),
        ("Matthew Stevens 一般周几上班", "Matthew Stevens 是整骨师。"),
        ("im vegan, do your formulas contain animal products?", "Herbs are tailored."),
        ("can i just walk in this afternoon?", "Call reception to book."),
        ("开的中药能寄快递吗", "中药方剂因人而异。"),
        ("who started the clinic?", "Body & Soul has treated patients for 13 years."),
        ("你们诊所是谁创办的 老板是外国人吗", "Body & Soul 已有13年历史。"),
        ("what brand of cups do you use for cupping", "Cupping draws out cold."),
        ("推拿的时候用的是什么油 我皮肤敏感", "推拿能缓解疼痛。"),
        (
            "How long does the first consultation usually take?",
            "about 30 minutes a day",
        ),
        ("第一次看诊大概要多长时间", "每天约30分钟。"),
    ],
)
def test_practicalities_of_a_visit_and_the_herbs_are_stated_in_their_words(
    question, text
):
    assert not states_asked(text, question)


@pytest.mark.parametrize(
    ("question", "text"),
    [
        ("针是一次性的吗 消过毒的吧", "针灸使用无菌细针。"),
        ("is the therapist certified?", "look for proper training and certification"),
    ],
)
def test_a_sterile_needle_and_training_answer_those_asked(question, text):
    assert states_asked(text, question)


@pytest.mark.parametrize(
    ("question", "text"),
    [
        ("who founded body and soul?", "The clinic was founded by Dr. Lee in 2010."),
        ("do you use massage oils?", "Massage with Herbal Oils or Aromatherapy."),
        ("how long is the first consultation", "The first consultation takes an hour."),
    ],
)
def test_a_founder_oils_and_a_consultations_length_are_stated_in_their_words(
    question, text
):
    assert states_asked(text, question)


@pytest.mark.parametrize(
    ("question", "about_a_visit"),
    [
        ("带两岁小孩一起去 有地方让他等吗", True),
        ("临时有事取消预约要扣钱吗", True),
        ("is there parking at anji plaza?", True),
        ("can u deliver my herbs to pudong", True),
        ("can i book through wechat", False),  # the booking form answers it
    ],
)
def test_more_of_what_the_front_desk_is_asked_about_a_visit(question, about_a_visit):
    assert asks_about_a_visit(question) is about_a_visit


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("anyone speak french at the minhang clinic?", True),
        ("Joe Teh 是中国人吗 会说中文不", True),
        ("那个Joe Teh是哪里人 会不会说中文啊", True),
        ("你会不会说中文", False),
        ("你能说普通话吗", False),  # asks the assistant to switch
        ("I'd prefer someone who speaks English. Who does tuina?", False),
    ],
)
def test_whether_anyone_speaks_a_language(question, asks):
    assert asks_language(question) is asks
