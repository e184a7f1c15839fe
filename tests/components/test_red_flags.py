import pytest
from rasa.shared.nlu.training_data.message import Message

from components.red_flags import EmergencyDetector, is_red_flag, normalise

RED_FLAGS_EN = [
    # chest pain, heart attack
    "I have crushing chest pain and I'm sweating",
    "my dad has chest pain going down his left arm",
    "chest feels tight and heavy, pain in my jaw",
    "I think I'm having a heart attack",
    "pressure in my chest and I feel sick",
    "my husband says his chest hurts really bad",
    # stroke
    "my grandmother's face is drooping on one side",
    "dad's speech is slurred and his mouth looks crooked",
    "my wife suddenly can't lift her right arm",
    "her left side went weak all of a sudden",
    "suddenly confused and doesn't know where he is",
    "worst headache of my life, came on out of nowhere",
    "i think my mum is having a stroke",
    # breathing
    "I can't breathe",
    "my son is struggling to breathe",
    "baby's lips are turning blue",
    "he's not breathing",
    "my daughter is choking on a grape",
    "trouble breathing after the herbs",
    # bleeding
    "the cut is bleeding heavily and won't stop",
    "my father is vomiting blood",
    "she coughed up bright red blood",
    # consciousness, seizures
    "my grandma collapsed and isn't waking up",
    "he passed out in the bathroom",
    "my husband is unconscious",
    "my son is having a seizure",
    "she fainted and won't wake up",
    # swallowing, poisoning
    "my toddler swallowed a button battery",
    "my son ate some magnets from a toy",
    "my kid drank bleach",
    "my 3 year old got into grandma's pills",
    "she took a whole bottle of sleeping pills",
    # suicide, direct and indirect
    "I want to kill myself",
    "I don't want to live anymore",
    "there's no reason to go on",
    "I just want to end it all",
    "everyone would be better off without me",
    "I don't want to be here anymore",
    # cauda equina
    "back pain and now I can't control my bladder",
    "sciatica and numbness between my legs",
    "my saddle area is numb",
    # anaphylaxis
    "after the acupuncture my lips are swelling",
    "my tongue is swollen and my throat is closing after taking the herbs",
    "hives all over and wheezing",
    # other
    "baby has a high fever and a stiff neck",
    "my son fell and hit his head and keeps vomiting",
    "severe burns on his arm from boiling water",
    "call an ambulance",
    "what is the emergency number?",
    # voice-transcript style, no punctuation
    "my dad cant breathe help",
    "my wife collapsed on the floor she isnt waking up what do i do",
    "CHEST PAIN SWEATING NOW",
    "dont want to live anymore whats the point",
]

RED_FLAGS_ZH = [
    # chest pain, heart attack
    "我爸胸口痛出冷汗",
    "胸口很闷，左手臂也疼",
    "我妈好像心梗了",
    "胸口像有石头压着，喘不上气",
    # stroke
    "奶奶嘴歪了，说话含糊",
    "爷爷突然口齿不清",
    "我老公半边身子没力",
    "口眼歪斜 手也抬不起来",
    "突然头痛得要炸开 这辈子最疼的头痛",
    "我爸可能中风了",
    # breathing
    "孩子喘不上气",
    "我呼吸困难",
    "宝宝嘴唇发紫",
    "他没有呼吸了",
    "孩子被果冻噎住了",
    # bleeding
    "血止不住",
    "我爸吐血了",
    "伤口大出血",
    # consciousness
    "我奶奶晕倒了叫不醒",
    "他昏迷了",
    "我妈突然不省人事",
    "孩子一直在抽搐",
    "人倒在地上起不来了 叫他没反应",
    # swallowing
    "孩子吞了纽扣电池",
    "我儿子吃了两颗磁铁",
    "女儿误食了消毒液",
    "我爸喝了农药",
    "我妈吃了一整瓶安眠药",
    # suicide
    "我不想活了",
    "我想自杀",
    "活着没意思",
    "我想结束生命",
    "她有轻生的念头",
    "真的好想死",
    # cauda equina
    "腰痛 屁股发麻 尿不出来",
    "坐骨神经痛 现在大小便失禁",
    "鞍区麻木",
    # anaphylaxis
    "吃了中药以后嘴唇肿了",
    "针灸完舌头肿 喉咙发紧",
    "起了荨麻疹 还喘不过气",
    # other
    "宝宝高烧 脖子发硬",
    "孩子摔到头了 一直吐",
    "被开水烫伤 一大片",
    "快叫救护车",
    "急救电话是多少",
    # Traditional characters
    "我爸胸口痛出冷汗還喘不過氣",
    "孩子吞了紐扣電池",
    "奶奶暈倒了叫不醒",
    "說話含糊 嘴歪",
    "我不想活了 想自殺",
    "活著沒意思",
    "寶寶嘴唇發紫 吸不進氣",
    "爺爺從樓梯上摔下來 頭流血 一直想睡",
    "吃了中藥以後喉嚨發緊 起了蕁麻疹 喘不過氣",
    # voice transcript, spaces, sound-alikes
    "我爸 胸口 好痛 一直 出汗 怎么办",
    "我老婆 晕倒了 叫不醒 快点",
    "奶奶 不醒人事 了",
    "孩子 吃了 钮扣电池 咋办",
    "爷爷 口吃不清 嘴巴 歪了",
    "我妈 穿不过气",
]


@pytest.mark.parametrize("text", RED_FLAGS_EN + RED_FLAGS_ZH)
def test_emergencies_are_red_flags(text):
    assert is_red_flag(text)


NOT_RED_FLAGS = [
    # questions about a treatment for a chronic or general complaint
    "does tuina help with chest tightness from stress?",
    "I have chest tightness when I'm stressed, can acupuncture help?",
    "I have lower back pain for months, can acupuncture help?",
    "history of stroke, can tuina help my recovery?",
    "is acupuncture safe after a heart attack?",
    "can acupuncture help with asthma and shortness of breath?",
    "can acupuncture help urinary incontinence?",
    "does acupuncture help with seizures?",
    "推拿对胸闷有用吗",
    "经常胸闷 推拿能缓解吗",
    "中风后遗症可以做针灸吗",
    "面瘫针灸有效吗",
    # questions about a risk, not an event
    "can herbal medicine cause allergies?",
    "is acupuncture safe for children?",
    "can cupping cause bad burns?",
    "针灸会不会引起过敏",
    # the past, not now
    "I fainted once last year during a massage, is that normal?",
    "我以前晕倒过一次，能做推拿吗",
    # chronic complaints and ordinary questions
    "my neck is stiff",
    "腰疼好几个月了",
    "does cupping hurt?",
    "how much is a tuina session?",
    "I'd like to book acupuncture for tomorrow",
    "我想预约推拿",
    "你们几点开门",
    "my shoulder has been sore for weeks",
    "I get headaches sometimes",
    "I have a sore throat",
    "嗓子肿了有点疼",
    "我眼皮一直抽搐",
    # denied symptoms
    "no chest pain, just a stiff back",
    "没有胸闷，就是背有点僵",
    "I don't have any trouble breathing, just a cough",
    # off-topic, pets
    "where can I buy button batteries",
    "my dog ate chocolate",
    "my cat swallowed a magnet",
    "I took my medicine this morning",
    "我每天按时吃药",
    # idioms: English
    "I feel like dying of boredom",
    "this price is killing me",
    "my back is killing me",
    "I'm choked up, thank you so much",
    "I want to die of embarrassment, I forgot my appointment",
    "I nearly fainted when I saw the price",
    "I'm dead tired",
    "can't breathe through my nose when I lie down",
    # idioms: Chinese 死 as an intensifier, and others
    "累死了",
    "笑死我了",
    "疼死了",
    "想死你了",
    "跳楼价大甩卖",
    "气得吐血",
    "他翻白眼了",
    # other words that look like a red flag
    "is there parking near the clinic?",
    "I had a chest infection, can I still have cupping?",
    "my son has a fever, can he still come for tuina?",
    "我有心脏病，可以做推拿吗",
    "我最近压力很大 胸口有点闷",
    "我爸以前心梗过 现在能拔罐吗",
    "I bled a little after cupping, is that ok?",
    "I'm a stroke survivor looking for rehab",
]


@pytest.mark.parametrize("text", NOT_RED_FLAGS)
def test_questions_chronic_complaints_and_idioms_are_not_red_flags(text):
    assert not is_red_flag(text)


def test_a_denied_symptom_is_dropped_but_not_breathing_is_kept():
    assert "chest" not in normalise("no chest pain, just a stiff back")
    assert is_red_flag("he is not breathing")
    assert is_red_flag("他没呼吸了")


def test_traditional_characters_and_full_width_letters_are_folded():
    assert normalise("喘不過氣") == "喘不过气"
    assert normalise("ＣＨＥＳＴ ＰＡＩＮ") == "chest pain"


def test_dictated_chinese_is_read_across_spaces():
    assert normalise("胸口 好痛 出冷汗") == "胸口好痛出冷汗"


def test_an_acute_symptom_is_a_red_flag_even_inside_a_treatment_question():
    assert is_red_flag("chest pain and sweating right now, can acupuncture help?")
    assert is_red_flag("经常胸闷，现在突然很痛，推拿有用吗")


def test_cauda_equina_signs_are_red_flags_even_when_asking_about_treatment():
    assert is_red_flag(
        "lower back pain, can't control my bladder, can acupuncture help?"
    )
    assert is_red_flag("does acupuncture help saddle numbness?")
    assert not is_red_flag("back pain and incontinence for years, can tuina help?")


def process(text: str, intent: str | None, confidence: float = 0.99) -> str:
    data = {"text": text}
    if intent is not None:
        data["intent"] = {"name": intent, "confidence": confidence}
    message = Message(data)
    EmergencyDetector().process([message])
    return message.get("intent")["name"]


@pytest.mark.parametrize(
    "predicted",
    [
        "faq",
        "out_of_scope",
        "nlu_fallback",
        "book_appointment",
        "inform",
        "greet",
        "cancel",
        "delete_my_data",
        None,
    ],
)
def test_a_red_flag_replaces_every_prediction(predicted):
    assert process("孩子吞了纽扣电池", predicted) == "emergency"


def test_a_red_flag_wins_however_confident_the_classifier_was():
    assert process("my dad has chest pain and is sweating", "faq", 1.0) == "emergency"
    assert process("I don't want to live anymore", "out_of_scope", 0.1) == "emergency"


def test_the_emergency_is_first_in_the_ranking_with_full_confidence():
    message = Message(
        {
            "text": "he's not breathing",
            "intent": {"name": "faq", "confidence": 0.8},
            "intent_ranking": [
                {"name": "faq", "confidence": 0.8},
                {"name": "emergency", "confidence": 0.1},
            ],
        }
    )
    EmergencyDetector().process([message])
    assert message.get("intent") == {"name": "emergency", "confidence": 1.0}
    ranking = [r["name"] for r in message.get("intent_ranking")]
    assert ranking == ["emergency", "faq"]


def test_other_messages_keep_their_intent():
    assert process("does tuina help with chest tightness from stress?", "faq") == "faq"
    assert process("累死了", "out_of_scope") == "out_of_scope"
    assert process("book acupuncture tomorrow", "book_appointment") == (
        "book_appointment"
    )


def test_the_detector_only_replaces_other_intents():
    assert EmergencyDetector.replaces("faq")
    assert EmergencyDetector.replaces(None)
    assert not EmergencyDetector.replaces("emergency")
