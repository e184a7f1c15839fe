import pytest
from rasa.shared.nlu.training_data.message import Message

from components.off_topic_detector import (
    MEDICAL_ADVICE,
    OffTopicDetector,
    asks_off_topic,
)


@pytest.mark.parametrize(
    "text",
    [
        "how do I become a certified tuina therapist?",
        "where can i buy acupuncture needles",
        "acupuncture for my dog",
        "is there a vet who does acupuncture for cats",
        "can you recommend a good TCM hospital in Hangzhou",
        "I need help with my essay on the history of TCM",
        "any massage course you recommend?",
        "tuina licence exam",
        "which massage chair should I buy",
        "are you hiring therapists",
        "推拿培训班怎么报名",
        "想学推拿 去哪里学",
        "考针灸证书难吗",
        "在哪里买拔罐器",
        "我家狗能做针灸吗",
        "杭州哪家中医院好",
        "写论文 关于中医的历史",
        "你们招聘推拿师吗",
        "推荐一款按摩椅",
    ],
)
def test_requests_the_clinic_does_not_serve_are_recognised(text):
    assert asks_off_topic(text)


@pytest.mark.parametrize(
    "text",
    [
        "is your therapist certified?",
        "how can i vet a massage therapist before going",  # vet: to check
        "do your tuina therapists have proper training and certification?",
        "how many sessions is a course of tuina?",
        "I want to learn more about tuina",
        "my job gives me back pain, can tuina help",
        "do you have a clinic in Beijing?",  # the clinic's own locations answer
        "北京有你们的诊所吗",
        "推拿完能上班吗",
        "医学上推拿有用吗",
        "你们的推拿师有证书吗",
        "does acupuncture hurt",
        "推拿用精油吗",
        "疗程多长",
    ],
)
def test_the_clinics_own_questions_are_left_alone(text):
    assert not asks_off_topic(text)


@pytest.mark.parametrize(
    "predicted, replaced",
    [
        ("faq", True),
        ("book_appointment", True),
        ("emergency", True),
        ("greet", False),
        ("cancel", False),
    ],
)
def test_only_a_clinic_answer_a_booking_or_a_guessed_emergency_is_replaced(
    predicted, replaced
):
    message = Message(
        {"text": "where can i buy cupping sets", "intent": {"name": predicted}}
    )
    OffTopicDetector().process([message])
    assert (message.get("intent")["name"] == "out_of_scope") is replaced


# Near misses in many words: a job, a course or a licence to get, doing it oneself,
# buying, translating, an animal, another city, homework, a diagnosis or a dose.
NEAR_MISSES = [
    "are you hiring massage therapists at the moment?",
    "do you have any openings for an acupuncturist",
    "I'd like to apply for a job at your clinic",
    "can I send you my CV? I'm a licensed TCM doctor",
    "你们诊所还招针灸师吗",
    "招不招推拿学徒",
    "我想来你们这里应聘按摩师",
    "你们缺不缺理疗师 我有五年经验 想投简历",
    "how do I get a tuina certificate",
    "where can I study acupuncture in Shanghai",
    "are there any good cupping courses for beginners",
    "I want to become an acupuncturist, which school should I go to",
    "how hard is the TCM licensing exam",
    "what are the best massage schools in china",
    "I'm studying TCM, can you help me revise for my exam",
    "i'm an acupuncture student, quiz me on the meridians",
    "推拿师证在哪里考",
    "考个按摩师资格证要多少钱",
    "针灸培训班多少钱",
    "中医专业的大学哪个好",
    "想学刮痧 有没有课程",
    "理疗师证报名需要什么条件",
    "推拿證書怎麼考",
    "can you teach me how to massage my husband's back",
    "show me how to do gua sha on myself",
    "how can I do acupressure on myself at home for headaches",
    "explain step by step how I can give my wife a tuina massage at home",
    "what's a good video tutorial for self massage",
    "教我怎么给老公按摩肩膀",
    "我想在家自己拔罐 怎么弄",
    "怎么给自己刮痧 教一下",
    "能一步一步教我点穴吗",
    "在家怎么给孩子推拿 教教我",
    "where can I buy a cupping set",
    "what brand of massage gun is best",
    "recommend a good massage oil to buy",
    "where do they sell moxa sticks",
    "哪里能买到艾条",
    "淘宝上的拔罐器靠谱吗",
    "推荐一个好用的按摩仪",
    "刮痧板哪个牌子好",
    "针灸针网上哪里买",
    "can you translate my herbal prescription into English",
    "帮我翻译一下这个药方",
    "把这段中医诊断译成英文",
    "does acupuncture work for cats with arthritis",
    "can my dog get tuina",
    "is there animal acupuncture in shanghai",
    "给狗狗做针灸哪里可以",
    "我家猫咪能拔罐吗",
    "best TCM hospital in Beijing?",
    "any good acupuncture clinics in Hangzhou",
    "北京哪家中医院针灸好",
    "广州有好的推拿诊所吗",
    "help with my assignment about acupuncture",
    "I'm writing a thesis on tuina, can you give me sources",
    "write me a short poem about cupping",
    "帮我写一篇关于针灸的作文",
    "我的毕业论文写中医推拿",
    "I've had a headache and a runny nose for 3 days, what disease do I have",
    "what's wrong with me? I'm always tired and thirsty",
    "do I have diabetes? I pee a lot",
    "我总是头晕乏力 是不是得了贫血",
    "can you tell me if my back pain is a herniated disc? it shoots down my leg",
    "could it be a slipped disc?",
    "我这是不是腰椎间盘突出",
    "帮我看看我是什么体质",
    "我咳嗽好几天了 这是什么病",
    "how many mg of paracetamol can I take a day",
    "what dose of melatonin should I take",
    "how much ibuprofen is safe",
    "布洛芬一次吃几粒",
    "六味地黄丸怎么吃 一次几粒",
    "当归一天用多少克",
    "安眠药吃几片合适",
    "能给我开安眠药吗",
    "can you prescribe me some sleeping pills",
    "call me a taxi to your Minhang clinic",
    "帮我打个车到你们闵行店",
    "黄芪炖鸡汤的做法",
    "what's the stock price of tong ren tang",
    "my kid learns tuina at school, how to do it on myself",
    "帮我find一个massage course",
]


@pytest.mark.parametrize("text", NEAR_MISSES)
def test_near_misses_in_other_words_are_recognised(text):
    assert asks_off_topic(text)


# The clinic's own questions in the same words: its practitioners' training and
# certificates, its herbs, what it treats, a course of treatment, its locations.
CLINIC_QUESTIONS = [
    "does tuina help chest tightness from stress?",
    "is acupuncture safe in pregnancy",
    "can children have tuina",
    "where do your therapists train?",
    "do you sell herbal medicine",
    "what illness can tuina treat",
    "what conditions do you treat",
    "is your therapist certified?",
    "are your acupuncturists licensed",
    "how many sessions is a course of tuina",
    "should I take a course of 10 sessions",
    "do i need a course of acupuncture or just one",
    "what can I do at home after cupping",
    "is it ok to shower after cupping",
    "tuina session step by step",
    "what happens during a tuina session step by step",
    "do you have a clinic in Beijing",
    "你们在北京有分店吗",
    "推拿师需要有证书吗",
    "你们的推拿师有资格证吗",
    "针灸师要有什么证",
    "怎么查推拿师有没有资格证",
    "医疗按摩会针对我的体质选手法吗",
    "推拿能治什么病",
    "针灸能治什么病",
    "你们卖中药吗",
    "中药一天喝几次",
    "你推荐针灸还是推拿",
    "推荐扎针还是拔罐",
    "how do I get to your clinic by taxi",
    "打车过去要多久",
    "I'm a student, do you have a discount",
    "can I take ibuprofen before my massage",
    "疼的话开点中药管用吗",
    "do you prescribe herbs",
    "my job gives me back pain, can tuina help",
    "I want to learn more about tuina",
    "can you tell me about the history of tuina",
    "推拿起源于什么时候",
    "针灸在哪家诊所做",
    "what is tuina",
    "which treatment do you recommend for my back",
    "can you recommend a therapist for my neck",
    "推荐一个好的推拿师",
    "can you reply in english please",
    "什么样的按摩师比较专业",
    "做推拿要带什么东西",
    "how much is a session",
    "你能教我怎么预约吗",
    "按摩可以在家做吗",
    "what should I bring to my appointment",
    "我想预约周六的推拿",
    "do you treat sports injuries",
    "i have neck pain, what treatment do i need",
    "is cupping good for colds",
    "我感冒了能拔罐吗",
    "can you order the herbs for me",
    "do your therapists speak english",
    "who is the best therapist at your clinic",
    "推拿和按摩有什么区别",
]


@pytest.mark.parametrize("text", CLINIC_QUESTIONS)
def test_the_clinics_own_questions_in_the_same_words_are_left_alone(text):
    assert not asks_off_topic(text)


def test_a_guessed_emergency_becomes_off_topic_but_a_real_one_stays():
    from components.red_flags import EmergencyDetector

    guessed = Message(
        {
            "text": "I have a fever and a sore throat, what illness do I have?",
            "intent": {"name": "emergency", "confidence": 0.6},
        }
    )
    real = Message(
        {
            "text": "my son swallowed a magnet from a cupping set, which brand is safe",
            "intent": {"name": "faq", "confidence": 0.6},
        }
    )
    assert asks_off_topic(real.get("text"))  # "which brand": buying
    # In the pipeline's order: off-topic first, red flags last.
    EmergencyDetector().process(OffTopicDetector().process([guessed, real]))
    assert guessed.get("intent")["name"] == "out_of_scope"
    assert real.get("intent")["name"] == "emergency"


@pytest.mark.parametrize(
    ("text", "predicted", "medical"),
    [
        ("I have a fever and a sore throat, what illness do I have?", "faq", True),
        ("布洛芬一天最多能吃几片", "out_of_scope", True),  # the classifier's own
        ("how many mg of ibuprofen can I take", "nlu_fallback", True),
        # Asked to tell which illness it is, whatever the classifier guessed.
        ("你帮我判断一下我这是不是腰肌劳损", "faq", True),
        ("能不能给我看看是不是坐骨神经的问题", "faq", True),
        ("帮我看看是腰肌劳损还是腰椎的问题", "faq", True),
        # Asked to name it after the symptoms, or whether two medicines go together.
        (
            "my neck is stiff every evening and my fingers tingle. what do i have?",
            "goodbye",
            True,
        ),
        ("一直在吃降糖药，可以一起吃你们的中药吗", "faq", True),
        ("正在服用二甲双胍 能和中药一起喝吗", "faq", True),
        ("医生让我吃的阿司匹林要不要减量", "faq", True),
        # A dose raised or lowered to how much, the medicine named before.
        ("我每天吃布洛芬400mg 腰还是疼 可以加到多少 能跟中药一起吃吗", "faq", True),
        ("降压药 现在一天两片 能不能减到一片", "faq", True),
        # Which illness it is, how serious, whether to operate: a doctor's to say.
        ("can you tell me if its a slipped disc or just a pulled muscle", "faq", True),
        ("腰椎片子出来了 你帮我看看严不严重 需不需要手术", "faq", True),
        ("could you look at my mri and tell me how bad it is", "faq", True),
        ("is it ok to mix aspirin with ibuprofen", "faq", True),
        # A medicine taken with the herbs, a dose changed, an illness to name.
        ("i take statins, will the herbal decoction interfere with them", "faq", True),
        ("吃着避孕药 还能同时喝调理的中药吗", "faq", True),
        ("should i come off my antidepressants before acupuncture", "faq", True),
        ("降压药要不要停掉一段时间再来拔罐", "faq", True),
        ("sore wrist for weeks, is it tendonitis or arthritis?", "faq", True),
        ("腰一弯就疼 是腰肌劳损还是腰椎间盘的问题", "faq", True),
        ("what do you think i have, my heel hurts every morning", "faq", True),
        ("where can i buy cupping sets", "faq", False),
        ("what's the weather tomorrow", "out_of_scope", False),
    ],
)
def test_a_diagnosis_or_a_dose_is_marked_for_a_doctor(text, predicted, medical):
    message = Message({"text": text, "intent": {"name": predicted}})
    OffTopicDetector().process([message])
    assert message.get("intent")["name"] == "out_of_scope"
    marked = (message.get("response_selector") or {}).get(MEDICAL_ADVICE)
    assert bool(marked) is medical


def test_a_voice_transcripts_reading_is_read_too():
    from rasa.nlu.tokenizers.tokenizer import Token

    message = Message({"text": "推荐个按磨椅", "intent": {"name": "faq"}})
    message.set(
        "text_tokens",
        [
            Token("推荐", 0, lemma="推荐"),
            Token("个", 2, lemma="个"),
            Token("按磨椅", 3, lemma="按摩椅"),
        ],
    )
    OffTopicDetector().process([message])
    assert message.get("intent")["name"] == "out_of_scope"


# The same requests told otherwise: dictated, Traditional, a story first, mixed.
TOLD_OTHERWISE = [
    "嗯那个我想问一下你们那边现在还招不招按摩师啊",
    "你们诊所缺人吗 我是针灸专业刚毕业的",
    "请问贵诊所有实习机会吗",
    "我想去你们那里上班可以吗",
    "we're a recruitment agency, do you need tuina therapists",
    "I'm a physio looking for work in Shanghai, do you have vacancies",
    "推拿师資格證要怎麼考",
    "想考个中医执业医师证 要准备什么",
    "针灸学校一年学费多少",
    "有没有教小儿推拿的培训班",
    "哪里可以学正骨",
    "I want to take a tuina course this summer",
    "how long does it take to qualify as an acupuncturist",
    "what textbook should I read to learn tcm",
    "can you recommend an online acupressure course",
    "could you explain how to perform cupping on my friend at home",
    "what acupoints should I press on myself for insomnia, step by step",
    "我想自己给我妈拔罐 教教我",
    "自己在家能扎针吗 怎么扎",
    "教一下我刮痧的手法",
    "推拿的手法有哪些 我想学了回家给老公按",
    "where can I get good quality moxa",
    "is there a shop near you that sells cupping sets",
    "艾灸盒网上买哪种好",
    "按摩椅哪个牌子性价比高",
    "买什么牌子的刮痧板好",
    "能帮我翻成英文吗 这是我的中药方",
    "please translate 当归 into english",
    "我家狗狗腿瘸了能针灸吗",
    "my horse has a sore back, any equine massage",
    "上海以外 杭州哪里做推拿好",
    "recommend a chiropractor in Pudong",
    "我要写一篇关于拔罐的报告 给我点资料",
    "write an essay about the five elements theory for my class",
    "my teacher asked us to research the origins of acupuncture",
    "我头痛发烧流鼻涕 是什么病",
    "is my back pain caused by kidney stones?",
    "I keep getting headaches, do I have a brain tumour?",
    "我是不是得了颈椎病",
    "how much melatonin is too much",
    "can I double my dose of ibuprofen",
    "感冒药一天吃几次 一次几片",
    "退烧药吃几粒",
    "what's the best herbal supplement to buy for energy",
    "预约个滴滴去你们店",
]


@pytest.mark.parametrize("text", TOLD_OTHERWISE)
def test_near_misses_told_otherwise_are_recognised(text):
    assert asks_off_topic(text)


# And the clinic's own questions again: its therapists' schooling, its herbs and
# moxa, exercises it gives, its branches, bringing a dog.
MORE_CLINIC_QUESTIONS = [
    "怎么判断是不是寒湿引起的腰疼",  # the articles' own, not a diagnosis asked
    "what do i have to bring to my first visit",
    "我正在吃中药，可以同时做针灸吗",
    "i'm on aspirin, can i still get cupping?",
    "what brand of massage oil do you use",
    "你们的推拿师是哪个学院毕业的",
    "do you combine chinese medicine with western medicine",
    "推拿是中医还是西医",
    "这里是养生馆还是看病的诊所",
    "你们的理疗师是哪里毕业的",
    "你们的医生有执业证吗",
    "are your therapists trained in china",
    "what qualifications do your acupuncturists have",
    "do you teach patients exercises to do at home",
    "what exercises can I do at home for my back between sessions",
    "can I take my herbs with food",
    "how should I take the herbal medicine you gave me",
    "中药怎么煎",
    "你们的中药是自己配的吗",
    "do you sell moxa for home use",
    "你们有卖艾条吗",
    "can I bring my dog to the clinic",
    "do you have a branch in hangzhou",
    "do you offer video consultations? i am in hangzhou this month",
    "你们在杭州有店吗",
    "what's the difference between tuina and chiropractic",
    "is tuina like physiotherapy",
    "can you diagnose what's causing my back pain during the session",
    "does the doctor do a tcm diagnosis first",
    "can tuina help a herniated disc?",
    "推拿能治腰椎间盘突出吗",
    "how many sessions do I need",
    "how much does it cost",
    "一次多少钱",
    "推拿一次多长时间",
    "我想预约一个中医推拿",
    "做推拿之前要吃饭吗",
    "can tuina help my headaches",
    "who will treat me",
    "is there parking",
    "你们的推拿师傅手法好吗",
    "什么人不适合做推拿",
    "推拿师会教我平时怎么保养吗",
]


@pytest.mark.parametrize("text", MORE_CLINIC_QUESTIONS)
def test_more_of_the_clinics_own_questions_are_left_alone(text):
    assert not asks_off_topic(text)


# Yet other words: enrolling, training one's staff, a DIY session, 推拿班, 考研,
# 艾草 to buy, a rabbit, a dose in mg.
IN_YET_OTHER_WORDS = [
    "is there a certificate program for medical massage I can enroll in",
    "what do I need to study to become a tuina therapist in China",
    "can foreigners take the chinese acupuncture licensing exam",
    "I run a spa and want my staff trained in tuina, do you offer training",
    "我想报个推拿班",
    "中医推拿专业好就业吗",
    "针灸考研考哪些科目",
    "how do i massage my own neck, give me instructions",
    "can you walk me through a DIY cupping session",
    "怎么自己按摩颈椎 说详细点",
    "在家自己艾灸要注意什么 怎么灸",
    "best place to buy gua sha stones online",
    "any good brand of acupressure mat",
    "where to purchase chinese herbs in bulk",
    "艾草哪里买得到",
    "推荐一款家用理疗仪",
    "could you translate the instructions on my herb packet",
    "我的猫老是掉毛 中医能调理吗",
    "my rabbit has arthritis, is there acupuncture for rabbits",
    "which hospital in Suzhou is good for acupuncture",
    "南京有没有好的中医院",
    "I need 500 words on the history of cupping for school",
    "我在写毕业论文 能帮我查点针灸的文献吗",
    "I've had stomach pain and diarrhoea for two days, what's wrong with me",
    "my skin is itchy and red, what condition could I have",
    "最近老是心慌 我是不是有心脏病",
    "how many grams of ginseng a day is safe",
    "阿莫西林一次吃几粒",
    "is it safe to take 1000mg paracetamol",
    "do you guys have job openings for receptionists",
]


@pytest.mark.parametrize("text", IN_YET_OTHER_WORDS)
def test_near_misses_in_yet_other_words_are_recognised(text):
    assert asks_off_topic(text)


CLINIC_QUESTIONS_IN_THOSE_WORDS = [
    "do your therapists have a certificate",
    "is tuina a recognised medical treatment",
    "does the therapist teach you stretches",
    "can I do anything at home to keep the benefits",
    "do you sell gua sha tools at the clinic",
    "what herbs do you use",
    "I have stomach pain, can acupuncture help",
    "can tuina help arthritis in the knees",
    "我心慌失眠 针灸能调理吗",
    "how long is the acupuncture training of your doctors",
    "do you take my insurance",
    "how much is one session of cupping",
    "when is the Minhang clinic open",
    "what's your receptionist's phone number",
    "I'd like a massage for my own shoulder pain",
    "do your therapists do any training",
    "how long do your doctors train",
    "我想做推拿 放松一下",
    "推拿后多久可以运动",
    "推拿一周两次 能加到三次吗",  # sessions added, not a dose
    "做过手术的人能推拿吗",
    "tell me if its ok to come on saturday",
    "can you explain the results of the hand massage study",  # the article's study
    "医生说需要手术 我想先试试推拿",  # told, not asking whether to operate
]


@pytest.mark.parametrize("text", CLINIC_QUESTIONS_IN_THOSE_WORDS)
def test_clinic_questions_in_those_words_are_left_alone(text):
    assert not asks_off_topic(text)
