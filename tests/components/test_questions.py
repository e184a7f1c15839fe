import pytest

from components.questions import asked_instead, is_question, question_parts


@pytest.mark.parametrize(
    "text, parts",
    [
        ("where are you and does tuina hurt?", ["where are you", "does tuina hurt?"]),
        ("推拿疼吗？多少钱？", ["推拿疼吗？", "多少钱？"]),
        ("推拿疼吗多少钱", ["推拿疼吗", "多少钱"]),
        ("你们在哪里，还有推拿疼不疼", ["你们在哪里", "推拿疼不疼"]),
        # "or" before a question of its own: not a guess at the first one's answer.
        (
            "do you take cash? or can i pay with card?",
            ["do you take cash?", "or can i pay with card?"],
        ),
        (
            "Where are your clinics? Do you take insurance? How much is tuina?",
            [
                "Where are your clinics?",
                "Do you take insurance?",
                "How much is tuina?",
            ],
        ),
    ],
)
def test_each_question_is_a_part_in_order(text, parts):
    assert question_parts(text) == parts


@pytest.mark.parametrize(
    "text",
    [
        "My back has hurt for years. Does tuina help?",  # a story, then one question
        "hi, does tuina hurt?",
        "I want to book tuina and acupuncture",
        "tuina and cupping, which is better?",
        "你好，请问推拿是什么？",
        # Guesses at the answer after the question are not questions of their own.
        "how long does a typical tuina appointment last? 45 mins? an hour?",
        "do you use glass cups? or the plastic pump ones?",
        "做一次推拿多长时间？一个小时？",
    ],
)
def test_one_question_is_not_split(text):
    assert question_parts(text) == []


@pytest.mark.parametrize(
    "text, asked",
    [
        (
            "I'm not asking about the price, just where the Minhang branch is",
            "where the Minhang branch is",
        ),
        ("不是问针灸，是问拔罐有什么作用", "拔罐有什么作用"),
        ("forget the herbs, how does cupping help", "how does cupping help"),
        ("我不是要预约，只是想要前台的电话", "想要前台的电话"),
    ],
)
def test_what_is_asked_after_setting_something_aside(text, asked):
    assert asked_instead(text) == asked


@pytest.mark.parametrize(
    "text", ["不用了", "no thanks", "不用了，谢谢", "no, saturday morning", "not quite"]
)
def test_a_plain_no_sets_nothing_aside(text):
    assert asked_instead(text) is None


def test_a_condition_then_the_question_is_a_question():
    assert is_question("if i cancel the day before do i get my money back")
    assert is_question("after tuina can i take a shower")
    assert not is_question("if my back still hurts tomorrow")
    assert not is_question("after work i usually go to the gym")


def test_chat_shorthand_asks():
    assert is_question("r there lockers at the clinic, coming straight from the gym")
    assert is_question("r u open on sundays")
    assert not is_question("r and d is my job")


@pytest.mark.parametrize(
    "text", ["产后修复你们做不做", "推拿能不能报销", "这个算不算肾虚", "可不可以两个人"]
)
def test_a_not_a_asks_in_chinese(text):
    assert is_question(text)


@pytest.mark.parametrize(
    "text", ["我腰不太舒服", "不好意思打扰了", "天天不停地加班", "不不不 我不要了"]
)
def test_a_not_alone_does_not_ask(text):
    assert not is_question(text)


@pytest.mark.parametrize(
    ("text", "asks"),
    [
        ("my sister wants to stay in the room with me, is that allowed", True),
        ("flying tomorrow, any issue doing acupuncture before a flight", True),
        ("ok to hit the gym right after tuina", True),
        ("老是口腔溃疡 中药咋调体质", True),
        ("针久能治耳鸣不", True),
        ("我腰疼, 不过还好", False),
        ("ok thanks", False),
    ],
)
def test_a_question_after_a_clause_or_in_colloquial_chinese(text, asks):
    assert is_question(text) is asks
