from pathlib import Path

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


# Said indirectly or in other words, by voice (电齿 for 电池), mixed, Traditional.
SAID_INDIRECTLY = [
    "it feels like someone is standing on my chest",
    "my dad says there's an elephant sitting on his chest",
    "my chest is being squeezed like in a vice",
    "pain going down my left arm and I'm in a cold sweat",
    "the pain is spreading to his jaw and left arm",
    "broke out in a cold sweat and my chest hurts",
    "胸口像被大石头压住一样",
    "我爸胸口剧痛 左胳膊发麻",
    "老公胸口闷得慌 一直冒冷汗",
    "胸口好像被什么东西压着 喘不过来",
    "胸口劇痛 冒冷汗",
    "my mum's face is drooping and she's talking funny",
    "grandpa suddenly can't speak properly and his arm is weak",
    "she doesn't recognise me all of a sudden",
    "他说话突然含含糊糊的 嘴也有点歪",
    "我爸一边手脚突然没力气",
    "奶奶讲话不清楚了 一侧脸麻木",
    "爷爷突然站不起来了",
    "my son is gasping for air",
    "she can't catch her breath and her lips are blue",
    "孩子呼吸很急促 嘴唇发紫",
    "我妈上气不接下气的",
    "I cut my hand and can't stop the bleeding",
    "deep cut on his leg and there's blood everywhere",
    "刀割到手了 血怎么都止不住",
    "流了好多血 停不下来",
    "my colleague suddenly fell to the floor and isn't moving",
    "my grandma is not responding",
    "dad just collapsed in the kitchen",
    "我同事刚才突然倒地了 叫他也没反应",
    "老人晕倒了 没有意识",
    "她躺在地上没反应了",
    "my toddler swallowed a battery from the remote",
    "my daughter ate a bunch of my vitamins, the whole bottle",
    "my son got into the medicine cabinet and swallowed some pills",
    "kid drank some toilet cleaner",
    "my boy chewed a laundry pod",
    "孩子把电齿吞了",
    "我儿子偷吃了他奶奶的降压药",
    "女儿偷偷吃了好几片安眠药",
    "宝宝吃了我的药 吃了大半板",
    "我家小孩喝了洗洁精",
    "孩子吞了磁铁怎么办",
    "my kid 吞了磁铁",
    "爷爷喝了农药",
    "I keep thinking about jumping off the roof",
    "sometimes I wish I could go to sleep and never wake up",
    "nobody would miss me if I was gone",
    "I want to end it all",
    "I just don't want to wake up tomorrow",
    "my family would be better off without me",
    "what's the point of living",
    "我真想从楼顶跳下去",
    "有时候想从阳台上跳下去",
    "活着好累 不想再醒来了",
    "没有人在乎我 不如死了算了",
    "我想结束一切",
    "活著真的沒意思",
    "我不想活了",
    "back pain and I can't feel anything in my groin",
    "sciatica and now I peed myself without noticing",
    "lower back pain and lost feeling between my legs",
    "腰疼 两腿中间麻了",
    "腰痛 屁股和大腿根都没感觉了",
    "腰疼得厉害 小便都控制不住",
    "腰椎间盘突出 现在大小便也失禁了",
    "after the herbal tea my throat feels tight and swollen",
    "my tongue is swelling after the herbs",
    "hives all over after the acupuncture and I'm struggling to breathe",
    "喝了中药以后嗓子肿了 喘不过气",
    "吃了中药喉咙有点发紧",
    "针灸完嘴唇肿起来了",
    "吃完药 喉咙好紧 说话困难",
    "my husband has this crushing feeling in his chest",
    "there's a heavy pressure on my chest and my arm is numb",
    "my father's chest feels tight and he is sweating buckets",
    "I think my mom is having a heart attack",
    "我爸心口疼得厉害 还出冷汗",
    "胸口憋得慌 左手发麻",
    "我媽胸口悶 出冷汗",
    "我老公突然胸口绞痛",
    "my wife's speech is slurred and her face looks uneven",
    "dad suddenly can't move his right side",
    "mum is suddenly very confused and can't find words",
    "奶奶突然嘴歪眼斜 说话不清",
    "我爺爺突然半邊身體動不了",
    "姥姥说话大舌头 手也抬不起来",
    "my baby isn't breathing properly",
    "i cant breathe properly my chest is tight",
    "孩子喘不过气来了",
    "老人呼吸好困难",
    "she's bleeding a lot from her head",
    "the wound keeps bleeding and won't stop",
    "鼻血一直流止不住",
    "伤口一直在流血 止都止不住",
    "grandpa passed out and won't wake up",
    "my friend fainted and is unconscious",
    "奶奶突然晕过去了",
    "我妈昏倒了 怎么叫都不醒",
    "my 2 year old swallowed a magnet",
    "my toddler may have swallowed a button battery",
    "my son drank some bleach by accident",
    "he ate rat poison",
    "my daughter swallowed a handful of pills",
    "孩子误吞了一颗纽扣电池",
    "小孩喝了消毒水",
    "我女儿把磁力珠吃下去了",
    "孩子吃了一把药片",
    "我不想活下去了",
    "我觉得活着没有意义",
    "想一了百了",
    "I've been thinking about ending my life",
    "I feel like killing myself",
    "I don't see the point in living anymore",
    "I want to disappear forever",
    "back pain and numbness around my bum and genitals",
    "my back hurts and I've lost control of my bowels",
    "腰痛 会阴部发麻",
    "腰疼 尿不出来",
    "my lips are swelling up after the herbal medicine",
    "I'm allergic to something in the herbs, my throat is closing",
    "吃了中药后舌头肿了",
    "喝完汤药喉咙发紧 喘不上气",
    "全身起风团 呼吸困难",
    "my baby has a fever and a purple rash that doesn't fade",
    "孩子从楼梯上摔下来 头流血",
    "call 120 please",
    "帮我叫救护车",
    "my kid吃了好多药片",
    "my dad 胸口痛 sweating",
    "我妈突然说话不清楚 手没力",
    "我爸 胸口 好闷 喘不过气 出冷汗",
    "孩子 吞了 电齿 怎么办",
    "推拿师傅 我老公 晕倒了",
]


@pytest.mark.parametrize("text", RED_FLAGS_EN + RED_FLAGS_ZH + SAID_INDIRECTLY)
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


# Back pain with what makes it an emergency: an accident, a fall leaving one unable
# to move, a high fever; and plain calls for help.
BACK_PAIN_ALARMS = [
    "knocked off my scooter by a car, my back hurts and I can't stand",
    "my dad slipped in the shower and now he can't move his legs",
    "high fever since last night and my lower back pain is unbearable",
    "back pain and a fever of 40",
    "出了车祸 腰疼得厉害",
    "从梯子上滑下来 站不起来了",
    "发高烧 后背疼得受不了",
    "腰疼得厉害还发烧",
    "it's an emergency",
    "救命啊",
    "I've got all my pills lined up",
]


@pytest.mark.parametrize("text", BACK_PAIN_ALARMS)
def test_back_pain_with_an_alarm_sign_is_a_red_flag(text):
    assert is_red_flag(text)


@pytest.mark.parametrize(
    "text",
    [
        "I feel like I got hit by a truck after yesterday's tuina",
        "my lower back keeps seizing up, how would you treat it",
        "I had a car accident two years ago, can tuina help the old back pain?",
        "腰疼好几年了，推拿有用吗",
        "is acupuncture used in emergency medicine?",
    ],
)
def test_idioms_and_old_injuries_are_not_back_pain_alarms(text):
    assert not is_red_flag(text)


# Near misses of the indirect patterns: a question, a cold, a website, an idiom.
NOT_RED_FLAGS_EITHER = [
    "does tuina help chest tightness from stress?",
    "is acupuncture safe in pregnancy",
    "can children have tuina",
    "does cupping on the chest hurt?",
    "my neck pain radiates down my arm, can tuina help?",
    "I have a fever and sore throat, what illness do I have",
    "I have a fever, sore throat and swollen glands",
    "my throat is sore and swollen from a cold",
    "嗓子肿了 喝点什么好",
    "我吃了降压药还能做推拿吗",
    "孩子吃了感冒药还能做小儿推拿吗",
    "吃了一整盒饼干",
    "where can i buy batteries",
    "my website is not responding",
    "my back pain is not responding to treatment",
    "they aren't responding to my emails",
    "I took a few sessions last year",
    "我想不开刀 推拿能治腰椎间盘突出吗",
    "推拿以后感觉疼痛消失了",
    "我爸做推拿一边手麻好几个月了 能治吗",
    "左边肩膀麻好几个月了，针灸有用吗",
    "I have a history of heart problems, can I have cupping?",
    "胸椎疼 可以推拿吗",
    "what illness can tuina treat",
    "my son had tuina yesterday and ate lunch",
    "after the massage I felt dizzy for a minute, is that normal?",
    "the website is down",
    "太累了 想消失一会儿",
    "is tuina ok for someone with a heart condition?",
    "can acupuncture help after a stroke",
    "my chest muscles are sore from the gym",
    "I have asthma, can I get cupping?",
    "does acupuncture help anxiety and panic attacks",
    "will cupping leave marks on my chest",
    "can massage help with numbness in my fingers",
    "can you do tuina on someone who had a heart attack last year?",
    "I'm feeling a bit dizzy after my massage yesterday, is that normal",
    "我胸闷好几年了 中医能调理吗",
    "中风后遗症 推拿多少钱一次",
    "孩子积食 小儿推拿有用吗",
    "胸部按摩可以丰胸吗",
    "拔罐后皮肤起泡了正常吗",
    "针灸后有点头晕正常吗",
    "我有点想死你们的推拿师了哈哈",
    "my grandma has dementia and doesn't recognise me, can acupuncture help?",
    "i was bleeding a bit after cupping, normal?",
    "can herbs cause an allergic reaction",
    "中药会引起过敏吗",
    "who do I call to cancel",
    "吃了药能推拿吗",
    "how much is tuina for kids",
    "is it ok to eat before acupuncture",
    "I ate a big lunch, can I still have a massage",
    "my cat swallowed a battery",
    "my grandpa takes blood pressure pills, is tuina ok",
]


@pytest.mark.parametrize("text", NOT_RED_FLAGS + NOT_RED_FLAGS_EITHER)
def test_questions_chronic_complaints_and_idioms_are_not_red_flags(text):
    assert not is_red_flag(text)


def test_a_denied_symptom_is_dropped_but_not_breathing_is_kept():
    assert "chest" not in normalise("no chest pain, just a stiff back")
    assert is_red_flag("he is not breathing")
    assert is_red_flag("他没呼吸了")


def test_traditional_characters_and_full_width_letters_are_folded():
    assert normalise("喘不過氣") == "喘不过气"
    assert normalise("ＣＨＥＳＴ ＰＡＩＮ") == "chest pain"


def test_apostrophes_of_every_kind_are_folded():
    assert normalise("I don`t want to live") == normalise("I don’t want to live")
    assert is_red_flag("I don`t want to live anymore")


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


def test_meningitis_signs_are_red_flags_even_when_asking_about_treatment():
    assert is_red_flag(
        "my son has a fever and a stiff neck, would tuina bring it down?"
    )
    assert is_red_flag("女儿高烧 脖子发硬 头很痛 小儿推拿能退烧吗")
    assert not is_red_flag("去年儿子发烧脖子硬住过院，现在好了，可以做小儿推拿吗")
    assert not is_red_flag("落枕了脖子僵硬 可以推拿吗")
    assert is_red_flag("toddler has small dark spots that don't fade when pressed")
    assert is_red_flag("my 2 year old has a fever 39.8 and can't bend her neck")


def test_blood_vomited_is_a_red_flag_even_when_asking_about_herbs():
    assert is_red_flag("爸爸刚才吐了好多血 喝中药能止血吗")
    assert is_red_flag("been throwing up blood since lunch, can herbs help?")
    assert not is_red_flag("被老板气得吐血 想做个按摩放松一下")


def test_more_signs_asked_with_a_treatment_and_idioms():
    assert is_red_flag("my son licked a laundry pod and keeps coughing, any herbs?")
    assert is_red_flag("pain lower right side getting worse and worse, can tuina help?")
    assert not is_red_flag(
        "the exam is giving me a heart attack lol, book me a massage"
    )


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


# Dictated at length, mixed or in Traditional characters, in yet other words.
TOLD_AT_LENGTH = [
    "嗯那个我爸刚才说胸口像被什么压着一样喘不上气还出了一身汗",
    "我老公胸口那里闷得厉害左边胳膊也麻了",
    "我媽說胸口很痛 手臂也麻",
    "胸口好痛啊 痛到下巴",
    "我婆婆说话突然不利索了 嘴角往一边歪",
    "我外公刚刚突然一边手脚动不了 话也说不清",
    "奶奶脸一边塌下来了 口水流出来",
    "我爸突然看东西重影 走路不稳 说话含糊",
    "宝宝把爸爸的药吃了好几颗",
    "孩子好像吞了一个硬币大小的电池",
    "我家娃刚才把吸铁石吞进去了",
    "儿子喝了好几口洗衣液",
    "小孩误喝了84",
    "我三岁女儿吃了好多片维生素 还有降糖药",
    "她说活着没什么意思 想去死",
    "我觉得大家没有我会过得更好",
    "真的撑不住了 想从桥上跳下去",
    "我好想一睡不醒",
    "我想吃一整瓶安眠药",
    "腰疼两天了 今天开始两条腿之间没知觉",
    "腰突 突然尿不出来了 屁股也是麻的",
    "喝了中药之后嘴巴肿起来了 呼吸有点困难",
    "针灸以后全身起红疹子 喘不上来气",
    "吃了药以后喉咙紧紧的 说不出话",
    "我爸晕过去了 怎么叫都不答应",
    "老公突然倒下了 没有呼吸",
    "血流个不停 止不住",
    "my mum is slurring her words and one side of her face has dropped",
    "dad's arm went weak and he can't get his words out",
    "my wife suddenly can't see out of one eye and her arm is numb",
    "chest is so tight I can barely breathe",
    "there's a pressure in my chest spreading to my back and jaw",
    "i keep thinking everyone would be happier if i wasn't here",
    "i've been thinking about ending things",
    "i don't see any reason to keep living",
    "i have a plan to kill myself",
    "my 18 month old swallowed one of those tiny round batteries",
    "my daughter drank some dishwasher liquid",
    "found my son with an empty bottle of grandma's heart pills",
    "my toddler ate a laundry pod",
    "back has been killing me and now I'm numb down there and can't pee",
    "I can't feel my bum and I've wet myself, bad back pain",
    "after taking the herbal decoction my lips and tongue swelled up",
    "my throat is swelling after the herbal tea and I feel dizzy",
    "i got stung by a bee and my face is swelling and i can't breathe well",
    "my husband fainted and isn't responding",
    "she collapsed and she's not breathing properly",
    "he is bleeding heavily from a cut on his arm",
    "SHE'S HAVING A SEIZURE",
    "我爸爸心脏病犯了",
    "我妈 喘不上气 嘴唇都紫了",
    "my son 喘不过气",
    "我婆婆chest pain很厉害",
    "孩子吞了button battery",
    "爸爸 stroke 了 嘴歪了",
    "奶奶剛剛暈倒 叫不醒",
    "我兒子誤食了電池",
    "我想自殺 活不下去了",
    "喉嚨腫起來 喘不過氣 剛吃完中藥",
]


@pytest.mark.parametrize("text", TOLD_AT_LENGTH)
def test_red_flags_told_at_length_or_mixed_are_red_flags(text):
    assert is_red_flag(text)


ORDINARY_WORRIES = [
    "推拿能改善胸闷气短吗",
    "中风的病人能做针灸康复吗",
    "小孩子吃药以后可以推拿吗",
    "腰疼能不能做拔罐",
    "做完艾灸嗓子有点干",
    "吃中药会不会过敏",
    "我最近总是失眠 能针灸吗",
    "针灸会不会扎出血",
    "做完刮痧后背好多红印子 正常吗",
    "I'm pregnant, is acupuncture safe?",
    "can acupuncture help with numbness in my hands from typing",
    "my shoulder went numb after sleeping on it, can tuina help",
    "my father had a stroke last year, do you offer rehab",
    "the price made my jaw drop",
    "my heart skipped a beat when I saw your prices",
    "I'm dying to try cupping",
    "this back pain is the worst, when can I book",
    "after tuina I felt lightheaded for a bit, is that normal?",
    "my kid swallowed his gum, is that ok",
    "老是头晕 能做推拿吗",
    "按摩完有点想吐 正常吗",
]


@pytest.mark.parametrize("text", ORDINARY_WORRIES)
def test_ordinary_worries_and_figures_of_speech_are_not_red_flags(text):
    assert not is_red_flag(text)


def test_a_red_flag_is_read_as_the_tokenizer_heard_it_too():
    from rasa.nlu.tokenizers.tokenizer import Token

    # Typed in pinyin: the tokenizer's lemmas are the Chinese it spells.
    message = Message({"text": "wo bu xiang huo le", "intent": {"name": "greet"}})
    message.set(
        "text_tokens",
        [
            Token("wo", 0, lemma="我"),
            Token("bu xiang", 3, lemma="不想"),
            Token("huo", 12, lemma="活"),
            Token("le", 16, lemma="了"),
        ],
    )
    EmergencyDetector().process([message])
    assert message.get("intent")["name"] == "emergency"


# A story before the red flag, an intent said plainly, a sign named in other words.
IN_A_STORY = [
    "Hi, I booked tuina for tomorrow but this morning my dad started getting a "
    "squeezing pain in his chest that goes into his left shoulder, he's sweaty and "
    "grey. Should he still come?",
    "my mother-in-law's speech went weird at dinner, now she can't lift her right arm",
    "grandpa's face looks droopy on the left and he's drooling",
    "my husband is suddenly confused and doesn't know what year it is",
    "my baby put a button battery in her mouth and now I can't find it",
    "I think my son swallowed a couple of magnets from his brother's toy",
    "my 2yo drank from a bottle of bleach",
    "she took too many of her sleeping tablets on purpose",
    "my kid found my blood pressure tablets and ate some",
    "I'm done with life",
    "I just want everything to end",
    "I don't think I can keep going, I've written goodbye letters",
    "I'm going to end my life tonight",
    "thinking of taking all my pills tonight",
    "my back has been bad for days and now there's numbness around my private area",
    "sciatica got worse, now I can't tell when I need to pee",
    "leg weakness, numb bum and I wet the bed, with terrible back pain",
    "after the new herbal formula my tongue feels thick and my throat is tight",
    "took the Chinese herbs an hour ago, now my lips are puffy and I'm wheezing",
    "I'm having an allergic reaction to the herbs, my face is swelling up",
    "my son is wheezing badly and can't talk in full sentences",
    "my wife is breathing really fast and her lips look blue",
    "he fainted in the shower and hit his head",
    "my dad passed out and is only breathing a little",
    "she's bleeding a lot after a fall and it won't stop",
    "my mum vomited blood this morning",
    "我爸刚才胸口疼得直不起腰 满头冷汗",
    "我妈胸口像针扎一样痛 还喘",
    "我老公说话突然大舌头 左手拿不住东西",
    "奶奶走路突然往一边倒 说话也不清楚",
    "孩子吃了几颗磁力珠",
    "我女儿误吞了一颗纽扣电池 现在哭个不停",
    "宝宝喝了一口洗洁精",
    "我爸吃了半瓶安眠药 叫不醒",
    "不想活了 活着好累",
    "我真的很想死",
    "想自杀的念头越来越强",
    "我准备了好多安眠药",
    "腰疼三天 现在会阴那里麻木 小便解不出来",
    "腰间盘突出 突然大小便失禁了",
    "喝了中药以后脸和嘴唇都肿了",
    "吃中药过敏了 喉咙肿 呼吸困难",
    "做完针灸身上起了好多风团 胸闷气短",
    "孩子突然喘不上气 脸都憋紫了",
    "我爸突然昏倒了 怎么喊都没反应",
    "伤口很深 血一直往外冒",
    "我妈吐了好多血",
    "腰痛而且发烧39度",
    "我爸從樓梯上摔下來 腰動不了",
    "奶奶嘴歪眼斜 說話不清楚",
]


@pytest.mark.parametrize("text", IN_A_STORY)
def test_red_flags_inside_a_story_or_in_other_words_are_red_flags(text):
    assert is_red_flag(text)


THE_SAME_WORDS_HARMLESS = [
    "I can't keep going to the gym because of back pain",
    "I took too many sessions last month",
    "my kid wet the bed last night, can tuina help?",
    "bedwetting in children, does tuina help",
    "I'm done with work, can I book for 6pm?",
    "my bottom hurts from sitting",
    "I just want the pain to end",
]


@pytest.mark.parametrize("text", THE_SAME_WORDS_HARMLESS)
def test_the_same_words_said_harmlessly_are_not_red_flags(text):
    assert not is_red_flag(text)


# Signs the first rules missed: sight lost for minutes, a belly hard as a board, a
# family poisoned by a gas heater, a deep burn, a baby breathing fast or gone limp,
# a child's fit, breathlessness after acupuncture (a punctured lung).
MORE_SIGNS = [
    "lost vision in one eye for a few minutes, its back now, should i still come in",
    "my vision suddenly went black on the left side",
    "一只眼睛突然黑了几分钟 现在好点了 还能按摩吗",
    "sudden stomach pain so bad i cant move, belly is hard as a board",
    "肚子突然疼得直打滚",
    "whole family has headache and nausea and we use a gas heater at home",
    "家里烧煤炉 全家都头晕想吐",
    "spilled boiling water on my chest and arms, skin peeling off a big area",
    "moxibustion burn on my belly blistered and now its white and doesnt hurt",
    "艾灸烫伤了 起了很大的水泡 皮肤发白 不怎么痛",
    "my 8 month old is breathing really fast and sucking in under the ribs",
    "the baby is floppy and won't feed",
    "宝宝软趴趴的 没反应 怎么办",
    "孩子抽筋了 眼睛往上翻 叫不应",
    "扎完针灸回家后越来越气短 走两步就喘 这正常吗",
    "cut my finger in the kitchen and it's spurting blood",
    "nosebleed for over an hour and I'm on blood thinners",
    "my dad threw up something like coffee grounds",
    "i have my pills saved up for tonight",
    "pregnant, terrible headache and seeing spots",
    "took too many paracetamol this morning",
    "she drank something from the bottle under the kitchen sink, I think it's bleach",
    "呼西不上来了",
    "孩子身上有紫红色的点 按了不褪色 还发烧",
    "流鼻雪一个小时了 还在流",
    "宝宝吃葡萄卡住了 脸都紫了",
    "右下腹剧痛 还吐了",
    "怀孕六个月 头很痛 看东西模糊",
    "孩子呼吸很急 鼻翼一扇一扇的",
    "chest好痛 左边胳膊也麻",
    "腰侧突然剧痛 还尿血",
    "手指切了很深的口子 按了好久血还是一直往外冒",  # pressed a long time: not chronic
]


@pytest.mark.parametrize("text", MORE_SIGNS)
def test_more_signs_told_as_happening_are_red_flags(text):
    assert is_red_flag(text)


MORE_SIGNS_HARMLESS = [
    "can acupuncture help with loss of vision from glaucoma?",
    "does moxibustion leave a blister? is it dangerous",
    "my calf cramps at night, 小腿抽筋 can tuina help",
    "孩子经常腿抽筋 推拿有用吗",
    "中医说我气短乏力是气虚 怎么调理",
    "i have chronic stomach pain from stress, can acupuncture help",
    "is the clinic heated in winter? i hate gas heaters",
    "coffee grounds in my herbal tea?",
    "I cut myself a slice of cake before coming",
    "小孩吃东西老是卡住 推拿能调理吗",
    "肚子疼得要死 是不是吃坏了",
    "the baby is breathing fast after crying, normal?",
    "孕妇可以做推拿吗",
    "I had a nosebleed yesterday",
    "can acupuncture help kidney stones?",
]


@pytest.mark.parametrize("text", MORE_SIGNS_HARMLESS)
def test_those_signs_asked_about_in_general_are_not_red_flags(text):
    assert not is_red_flag(text)


def messages(name: str) -> list:
    """The messages of a file beside this one: a line each, # for comments."""
    lines = Path(__file__).with_name(name).read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and line[0] != "#"]


@pytest.mark.parametrize("text", messages("red_flags_told.txt"))
def test_emergencies_as_visitors_tell_them_are_red_flags_by_rule_alone(text):
    assert is_red_flag(text)


@pytest.mark.parametrize("text", messages("red_flags_not.txt"))
def test_the_same_words_without_an_emergency_are_not_red_flags(text):
    assert not is_red_flag(text)


def _classified_emergency(
    text: str, second: str = "faq", confidence: float = 0.15
) -> Message:
    """A message the classifier took for an emergency, `second` next (the FAQ)."""
    return Message(
        {
            "text": text,
            "intent": {"name": "emergency", "confidence": 0.8},
            "intent_ranking": [
                {"name": "emergency", "confidence": 0.8},
                {"name": second, "confidence": confidence},
            ],
        }
    )


@pytest.mark.parametrize(
    "text",
    [
        "my grandma has well controlled high blood pressure, is cupping ok for her",
        "i had seizures as a kid but none in 20 years, anything i should tell them",
        "我有高血压 一直吃药控制得很好 能拔罐吗",
        "膝盖一下雨就疼 老毛病了",
        # The front desk's business.
        "你们有礼品卡吗 想买一张送我爸",
        "do you sell gift vouchers? want one for my wife",
    ],
)
def test_the_classifiers_emergency_for_a_managed_condition_is_withdrawn(text):
    message = _classified_emergency(text)
    EmergencyDetector().process([message])
    assert message.get("intent") == {"name": "faq", "confidence": 0.15}
    assert [r["name"] for r in message.get("intent_ranking")] == ["faq"]


def test_a_withdrawn_emergency_leaves_an_unsure_intent_to_the_fallback():
    message = _classified_emergency("有没有储值卡 想送给我妈", "human_handoff", 0.01)
    EmergencyDetector().process([message])
    assert message.get("intent")["name"] == "nlu_fallback"


@pytest.mark.parametrize(
    "text",
    [
        "my dad is acting really strange and won't answer me",  # nothing general
        "had a heart attack years ago and now crushing pain again",  # a red flag
        "diabetic for years, now confused and sweaty, is tuina ok",  # a red flag
        "crushing chest pain right now, is there parking at the clinic",  # a red flag
    ],
)
def test_the_classifiers_emergency_stands_otherwise(text):
    message = _classified_emergency(text)
    EmergencyDetector().process([message])
    assert message.get("intent")["name"] == "emergency"
