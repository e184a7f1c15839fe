"""Recognises a message describing a medical emergency ("he isn't breathing", "胸口痛").

A red flag must get the emergency answer (call 120, go to the nearest emergency
department) whatever the classifier predicted and however sure it was: a missed heart
attack costs far more than a stiff neck answered with "call 120". The classifier sees
a bag of words and a threshold; these rules see the phrases that matter, in English
and Chinese (Simplified or Traditional, typed, or dictated without punctuation).

Two tiers. What is said outright (not breathing, unconscious, suicidal, numb between
the legs) is an emergency whatever else the message says. A symptom (chest pain, a
drooping face, a swallowed magnet...) is one when it is described as happening, not
when the message asks about a treatment or a risk in general, or tells of the past or
of a chronic complaint ("does tuina help with chest tightness from stress?"), unless
it also says it is acute ("right now", "突然", a cold sweat, pain down the arm).

Each category is a pair of patterns, (English, Chinese). English ones start at a word
boundary, written without the anchor: `_rules` adds it once, and tries the Chinese ones
only at a Chinese character or a digit. Tried at every character, the ~400
alternatives made a search three to four times slower.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Callable, List

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from components.bilingual_tokenizer import TRADITIONAL_TABLE, one_to_one_characters
from components.intent_rules import IntentRule, override_intent, withdraw_intent
from components.sentence_encoder import encoder_text

EMERGENCY_INTENT = "emergency"


def _rules(*categories: tuple[str, str]) -> re.Pattern[str]:
    """Compiles (English, Chinese) pattern pairs into one regular expression."""
    english = "|".join(en for en, _ in categories if en)
    chinese = "|".join(zh for _, zh in categories if zh)
    if not chinese:
        return re.compile(rf"\b(?:{english})")
    return re.compile(rf"\b(?:{english})|(?=[\u4e00-\u9fff\d])(?:{chinese})")


# Traditional characters read as Simplified (OpenCC's one-to-one table, as the
# tokenizer does), so that one pattern reads both; and 著 as 着 ("活著", living),
# which OpenCC leaves as it is since 著 is also Simplified (显著).
_TRADITIONAL = str.maketrans({**one_to_one_characters(TRADITIONAL_TABLE), "著": "着"})
_APOSTROPHES = str.maketrans("’‘`´", "''''")
# Dictated Chinese arrives split by spaces ("胸口 好痛 出冷汗"); the patterns read
# it whole.
# "my kid吞了一个battery": a word boundary between the scripts, for the patterns' \b.
_SCRIPT_CHANGE = re.compile(
    r"(?<=[\u4e00-\u9fff])(?=[a-z])|(?<=[a-z])(?=[\u4e00-\u9fff])"
)
_CJK_GAP = re.compile(r"(?<=[\u4e00-\u9fff\d])\s+(?=[\u4e00-\u9fff\d])")
# Denied symptoms are dropped before matching: "no chest pain, just a stiff back",
# "没有胸闷". Only noun phrases: "not breathing" and "没呼吸了" are emergencies. A
# local twitch (眼皮抽搐, a facial tic) is not a fit.
_NEGATED = _rules(
    (
        r"(?:no|not|without|never|denies|(?:do|does|did)(?:n'?t| not) have)\s+"
        r"(?:any\s+|real\s+|a\s+)?(?:chest (?:pain|tightness|pressure)|fever|numbness"
        r"|bleeding|headaches?|swelling|suicidal|(?:shortness of|trouble|difficulty) "
        r"breath\w*|breathing (?:problems?|difficult(?:y|ies)|trouble))",
        r"(?:没有|没|无|并不|也不|不)(?:什么)?(?:胸痛|胸闷|胸口(?:痛|疼|闷)|头痛|头疼"
        r"|麻木|发烧|发热|出血|呼吸困难|气喘)"
        r"|(?:眼皮|眼睛|眼角|嘴角|脸|面部|肌肉|小腿|腿|手指)(?:一直|老是|总是|经常)?"
        r"在?(?:抽搐|抽)",
    )
)

_CANT = r"(?:can'?t|cant|cannot|can not|couldn'?t|unable to)"
_PERSON = (
    r"(?:he|she|dad|father|mum|mom|mother|husband|wife|son|daughter|baby|kid"
    r"|child|boy|girl|grand(?:ma|pa|mother|father)|granny|friend|colleague|coworker"
    r"|brother|sister|partner)"
)
_SIDE = r"(?:one|left|right|(?:my|his|her|the) (?:left|right))"
_STATE = (
    r"(?:is |are |keeps? |started |starting |getting |got |went |has |have |feels? "
    r"|all |really |so |very |suddenly |like |it'?s |it is |to |going |kind of |a bit "
    r"|starting to |started to |seems? |getting )*"
)

# --- Said outright: an emergency whatever else the message says. ---

# Breathing stopped or failing; choking; blue lips. Not a blocked nose ("can't
# breathe through my nose") and not "choked up" with emotion.
_BREATHING_STOPPED = (
    rf"(?:{_CANT}|struggl\w+ to|fighting to|barely)\s+breathe?\b"
    r"(?!\s+(?:through|out of|with)\s+(?:my|his|her|the|one)\s+nos)"
    r"|(?:not|isn'?t|isnt|stopped|no longer|wasn'?t)\s+breathing\b"
    r"|chok(?:ing|ed|es)\b(?!\s+(?:up|back|hazard))|gasping for (?:air|breath)"
    r"|(?:barely|hardly) breathing\b"
    rf"|{_CANT} (?:catch|get) (?:my|his|her|a) breath\b|turning blue\b"
    r"|(?:lips?|face|skin|fingers?)\s+(?:is |are |turning |turned |going |gone "
    r"|went |looks? |all )+(?:blue|purple|grey|gray)\b",
    r"喘不(?:上|过|动|了)气|穿不(?:上|过)气|透不过气|吸不(?:上|进|过|到)气"
    r"|上不来气|气都?(?:上不来|喘不过来|接不上)|喘不过来|呼[吸西息]不(?:了|上来|过来)"
    r"|不能呼吸|没有?了?呼吸|不呼吸了|停止呼吸|呼吸骤?停|窒息|噎住|呛住"
    r"|卡住了?(?:喉咙|嗓子|气管)|(?:喉咙|嗓子|气管)里?被?卡(?:住|了)"
    r"|嘴唇(?:都|已经|有点|有些)?(?:发|变)?(?:紫|青|乌|黑)|嘴唇发绀"
    r"|脸色?(?:都|已经)?(?:发|变)(?:紫|青)|脸色?(?:都|已经)(?:紫|青)了"
    r"|(?:吃|咽|吞)[^，。,.]{0,6}?卡住了(?!.{0,4}(?:门|电梯|拉链))",
)
# Unconscious, unresponsive, fitting now, the heart stopped.
_UNRESPONSIVE = (
    r"unconscious\b|unresponsive\b|(?:lost|losing) consciousness\b"
    r"|(?:won'?t|wont|isn'?t|isnt|not|doesn'?t|can'?t|cant|couldn'?t)\s+"
    r"(?:wake|waking|be woken|rouse)\b"
    r"|(?:not|isn'?t|is not|stopped|won'?t|wont) respond(?:ing)? to (?:me|us|anything"
    r"|his name|her name|voices?|touch)\b"
    r"|(?:is|are|'s|keeps?) (?:having (?:a )?(?:seizures?|convulsions?|fits?)"
    r"|fitting)\b"
    r"|convulsing\b|seizing\b(?! up)|foaming at the mouth\b|heart (?:has )?stopped\b"
    r"|cardiac arrest\b|having an? (?:heart attack|stroke)\b"
    rf"|{_PERSON}(?:'s| is| are|'re)?\s+(?:not|isn'?t|aren'?t|won'?t|wont|doesn'?t"
    r"|stopped)\s+(?:respond\w*|react\w*|moving|waking)\b"
    r"(?!\s+to\s+(?!(?:me|us|anything|voices?|touch|(?:his|her) name)\b))"
    r"|(?:barely|hardly) (?:respond\w*|reacts?|reacting|responsive)\b"
    r"|(?:baby|infant|newborn|toddler)\b(?:\W+\w+){0,4}?\W+(?:is |went |gone |all |so "
    r"|really |very |suddenly )*(?:limp|floppy)\b",
    r"昏迷|不[省醒]人事|人事不省|失去了?(?:意识|知觉)|意识(?:不清|模糊|丧失|没了)"
    r"|(?:叫|喊|拍|摇|推)(?:都|也|了|他|她|半天|很久){0,3}(?:叫|喊|拍|摇)?不太?醒"
    r"|醒不过来|(?:叫|喊|拍|摇|推)[^，。,.！!？?]{0,6}没有?(?:任何|什么|啥)?反应"
    r"|人(?:已经)?没有?了?反应|口吐白沫|心跳骤?停|心脏骤?停|没有?了?心跳"
    r"|正在抽搐|一直在?抽搐|抽个不停"
    r"|(?:晕|昏|倒|躺|摔)[^。.!?！？]{0,10}?没有?(?:任何)?(?:反应|知觉|意识)"
    r"|(?:他|她|孩子|宝宝|老人)(?:已经|完全|都|也)?(?:没有?|毫无)(?:任何)?(?:反应|意识)"
    r"|(?:叫|喊)(?:他|她|孩子|宝宝)?(?:都|也)?不(?:应|答应|回应)"
    r"|(?:宝宝|婴儿|孩子|小孩|新生儿)[^。.!?！？]{0,16}?(?:软趴趴|软绵绵|瘫软|软软的"
    r"|不怎么动了?|一动不动)",
)
# Suicidal thoughts, direct and indirect. Any mention counts, a question too (a crisis
# line would rather hear it). Idioms are left alone: "dying of boredom", "this price
# is killing me", "想死你了" (I miss you), "跳楼价" (a slashed price); "累死了",
# "笑死我了", "疼死了" (死 as an intensifier) are matched by no pattern.
_SUICIDAL = (
    r"kill(?:ing)? (?:my ?self|him ?self|her ?self|them ?selves)\b|suicid\w*"
    r"|(?:end|ending|take|taking) (?:my|his|her) (?:own )?life\b|end it all\b"
    r"|(?:don'?t|dont|do not|no longer|doesn'?t|does not) want to (?:live|be alive"
    r"|be here|exist|wake up|go on)\b(?! (?:in|with|near|here|there)\b)"
    r"|want(?:s|ed)? to die\b(?! (?:of|from|laughing))|better off (?:dead|without me)"
    r"|wish (?:i|he|she) (?:was|were) dead|wish i (?:was|were|had) never (?:been )?born"
    r"|(?:no|any|a) (?:reason|point) (?:to|in) (?:keep )?(?:live|living|go(?:ing)? on"
    r"|carry(?:ing)? on|be(?:ing)? alive)\b|(?:better|happier) (?:off )?if i (?:wasn'?t"
    r"|weren'?t|was not|were not|wasnt) (?:here|around|alive)\b"
    r"|point (?:of|in) (?:living|life|going on)\b|not worth living\b"
    r"|disappear (?:forever|for good)\b|tired of (?:living|life|being alive)\b"
    r"|can'?t go on (?:like this|any ?more)\b|(?<!used to )self[- ]harm"
    r"|harm(?:ing)? myself\b"
    r"|(?:jump|jumping|throw (?:my|him|her)self) (?:off|from|out of) "
    r"(?:a |the |my |our |this )?(?:roof|bridge|building|balcony|window|tower)"
    r"|(?:thinking|thought|think|thoughts) (?:about|of) (?:ending (?:it|things|my life)"
    r"|killing|jumping|not waking|dying)"
    r"|(?:go to sleep|sleep|fall asleep) and (?:never|not) wake up|never wake up again"
    r"|if i (?:didn'?t|did not|never|don'?t) wake up"
    r"|(?:nobody|no one|noone) (?:would|will) (?:miss|care|notice)\b"
    r"|(?:wish|want) (?:i could |to )?(?:just )?(?:disappear|stop existing)\b"
    r"|(?:life|living) (?:is|feels) (?:pointless|meaningless|not worth)"
    r"|what'?s the point (?:of|in) (?:living|life|going on)\b"
    r"|giv(?:e|ing) up on (?:life|living)\b|end (?:things|my suffering)\b"
    r"|tak(?:e|ing) all (?:of )?(?:my|the) (?:pills|tablets|sleeping pills)\b"
    r"|(?:done|finished) with (?:life|living)\b|(?:everything|it all|my life) to "
    r"(?:end|be over)\b|goodbye (?:letters?|notes?)|suicide note"
    r"|(?:can'?t|cannot) keep going(?: on)?\s*(?:$|[.,!;]| any ?more)"
    r"|(?:want|going|plan\w*) to (?:hurt|harm|cut) myself"
    r"|(?:want|going|plan\w*) to take (?:them all|all of them)\b|pills lined up\b"
    r"|(?:pills|tablets|meds) (?:saved|stashed|stockpiled)"
    r"|(?:saving|stockpil\w*|hoard\w*) (?:up )?(?:my |some )?(?:pills|tablets|meds)"
    r"|tonight is the night\b|(?:plan\w*|going|want\w*) (?:how )?to end it\b"
    r"|end it (?:tonight|today|now)\b"
    r"|cut (?:myself|my wrists?)\b(?!\s+(?:a|an|some|the|shaving|while|on|with|cooking"
    r"|slicing)\b)",
    r"不想再?活|活不下去|活够了|活着(?:真的?|都|还|实在)?(?:没有?|有什么)(?:意思|意义|劲)"
    r"|人生(?:真|都)?(?:没有?|毫无)(?:意思|意义)|自杀|轻生|寻死"
    r"|想(?:要|去)?死(?!你|我|他|她|人|掉)|(?:结束|了结)(?:自己的?|这一?)?(?:生命|一切)"
    r"|一了百了|不如死了|死了算了|死了就?(?:解脱|好了)|想跳楼|跳楼(?!价|大甩卖)"
    r"|割腕|(?:割|划)(?:了)?(?:自己的?)?手腕|(?:永远|从这个世界上?)消失|不想再?醒来"
    r"|睡过去算了"
    r"|(?:活下去|活着)的?(?:理由|意义)都没有|没有?(?:活下去的)?(?:理由|意义)活下去"
    r"|(?:楼上|楼顶|天台|顶楼|阳台|桥上|窗户|窗口)上?(?:往下)?跳|跳下去(?:算了|一了百了)"
    r"|跳河|跳江|跳海|卧轨|上吊|割脉|烧炭|活着(?:好|真|太|很)?(?:累|痛苦)"
    r"|不想(?:再)?醒过?来|(?:想|希望|要是能)一睡不醒|(?:没有|没)(?:人|谁)(?:会)?(?:在乎"
    r"|关心|在意)我"
    r"|(?:没有我|没了我|少了我)(?:他们|大家|家人)?(?:会)?(?:更好|过得更好)"
    r"|离开这个世界|想(?:要)?(?:永远)?消失(?!一会|一下|几天)|伤害自己|自残"
    r"|(?:准备|攒|存|囤)了?[^，。,.]{0,4}?安眠药",
)
# Asking for an ambulance or the emergency number: the emergency answer (call 120)
# is just what "what is the emergency number?" needs.
_CALLING_FOR_HELP = (
    r"(?:call|calling|called|get|need|send|sent|wait(?:ing)? for|phone|ring)\s+"
    r"(?:for\s+)?(?:an?\s+|the\s+)?ambulance\b|ambulance (?:is|number|now|please)\b"
    r"|emergency (?:number|services|line|hotline)\b"
    r"|(?:call|dial|ring) (?:120|911|999|112)\b"
    r"|(?:this|it)(?: i|')s an? (?:medical )?emergency\b|^\W*emergency\W*$",
    r"救护车|(?:打|拨打|拨|叫|呼叫)120|120急救|急救电话|急救中心|^救命|救命啊|^急救",
)
# Cauda equina: numbness in the saddle area, between the legs. Always, even in a
# question about treatment: the risk is a visitor who books acupuncture when an
# emergency scan is needed.
_SADDLE = (
    r"(?:saddle|groin|between (?:my|his|her|the) legs|genitals?|perine\w*"
    r"|private (?:parts|area|region)|inner thighs?|buttocks|bum|backside|bottom)"
)
_SADDLE_NUMBNESS = (
    r"saddle (?:area |region )?(?:numb|an(?:a)?esth)\w*|numb\w*(?:\W+\w+){0,4}?\W+"
    rf"{_SADDLE}\b"
    rf"|(?:{_CANT} feel (?:anything |a thing |much )?|(?:lost|losing|loss of|no) "
    r"(?:all )?(?:feeling|sensation) )(?:in |around |between )?(?:my |his |her |the )?"
    rf"(?:{_SADDLE}|(?:my |his |her |the )?legs|down there)"
    rf"|{_SADDLE}\W+(?:\w+\W+){{0,3}}?(?:numb\w*|no feeling|pins and needles|tingl\w*)",
    r"鞍区|(?:会阴|屁股|臀部|肛门|裆部|裤裆|大腿内侧|大腿根|两条?腿(?:之间|中间)"
    r"|腿中间|下体|私处|阴部)部?(?:周围|那块|那里|那儿|这块|附近)?(?:和[^，。,.]{1,6})?"
    r"(?:都|也|全|有点|开始|突然)?发?(?:麻|木了|没有?感觉|没有?知觉|失去知觉)",
)
_ALWAYS = _rules(
    _BREATHING_STOPPED, _UNRESPONSIVE, _SUICIDAL, _CALLING_FOR_HELP, _SADDLE_NUMBNESS
)

# Cauda equina too: bladder or bowel control lost, with back pain or sciatica. Not
# incontinence alone ("can acupuncture help urinary incontinence?" is a common,
# chronic question) and, unlike saddle numbness, not when told as long-standing.
_CONTINENCE_LOST = _rules(
    (
        rf"{_CANT} (?:control|hold|feel) (?:my |his |her )?(?:bladder|bowels?|pee"
        r"|urine)|(?:lost|losing|loss of) (?:control of )?(?:my |his |her )?"
        rf"(?:bladder|bowels?)|{_CANT} (?:pee|urinate|wee)\b|incontinen\w*"
        r"|(?:wet|peed|pooped|soiled) (?:my|him|her)self\b|wet (?:the|my|his|her) bed\b"
        rf"|{_CANT} (?:tell|feel) when (?:i|he|she) (?:need|needs|have|has) to (?:pee"
        r"|go|wee|urinate)|(?:no|lost|losing) (?:the )?(?:urge|sensation) to (?:pee"
        r"|urinate)"
        rf"|{_CANT} (?:hold|stop) (?:my |his |her )?(?:pee|urine|wee|bowels?)",
        r"大小便失禁|(?:大小便|小便|大便|排尿|排便|尿)(?:也|都|突然|有点|好像)?"
        r"(?:失禁|控制不住|控制不了|憋不住|解不出|排不出)"
        r"|尿不出|尿失禁|控制不住(?:大小便|小便|大便)|尿裤子",
    )
)
_BACK = _rules((r"(?:back|spine|spinal|sciatica|lumbar)\b", r"腰|坐骨|脊|背"))

# --- Symptoms: an emergency when described as happening (see is_red_flag). ---

# Chest pain, pressure, tightness; heart attack. Not "chest infection".
_CHEST_PAIN = (
    r"chest\b(?:\W+[\w']+){0,5}?\W+(?:pains?|hurts?|hurting|tight\w*|pressure"
    r"|squeez\w*|crush\w*|heav\w*|ach\w*|burn\w*|pound\w*|elephant|vice|vise"
    r"|(?:sitting|standing|pressing) on)\b|(?:pain|pains|tightness|pressure"
    r"|squeezing|heaviness|(?:crushing|squeezing|heavy|tight|burning|pressing) "
    r"(?:feeling|sensation))\s+(?:in|on|across|around)\s+(?:my|his|her|the)\s+chest\b"
    r"|(?:tight|heavy|crushing)\s+chest\b"
    r"|(?:sitting|standing|pressing|weight) on (?:my|his|her) chest\b"
    # Not "this deadline is giving me a heart attack".
    r"|(?<!giving me a )(?<!give me a )(?<!gave me a )heart attack\b"
    r"|angina\b|clutch\w* (?:at )?(?:his|her|my|their) chest\b"
    r"|(?:pain|ache|tingl\w*|numb\w*|pressure)\b(?:\W+\w+){0,3}?\W+(?:spread\w*"
    r"|radiat\w*|shoot\w*|travel\w*|going|moving|goes|runs?|running)\W+(?:\w+\W+){0,3}?"
    r"(?:left arm|jaw|both arms)\b|cold sweat\w*(?:\W+\w+){0,6}?\W+(?:pain|hurt\w*|ache"
    r"|tight\w*|dizz\w*|faint\w*|nause\w*|left arm|jaw)|(?:pain|hurt\w*|ache|tight\w*"
    r"|dizz\w*|nause\w*)\b(?:\W+\w+){0,6}?\W+cold sweat",
    r"胸(?:口|部|前|腔|膛)?(?:那里|这里|那儿|这儿|那块|这块)?(?:现在|刚才)?(?:很|好|特别|非常|有点"
    r"|有些|一阵阵|一阵一阵|一直|突然|剧烈"
    r"|也|还|都)?地?(?:痛|疼|闷|紧|压|憋|发紧|发闷|绞痛|刺痛|压榨|剧痛|撕裂)"
    r"|心(?:脏|前区)(?:很|好|特别|非常|有点|突然)?(?:痛|疼|绞痛|剧痛)|心绞痛|心梗"
    r"|(?:心|新)口(?:很|好|特别|非常|有点|突然)?(?:痛|疼|绞痛|剧痛|闷|紧|憋)"
    r"|(?:(?<=chest )|(?<=chest))(?:很|好|特别|非常|有点)?(?:痛|疼|闷)"
    r"|心肌梗(?:塞|死)|心脏病(?:发作|发了|犯了|突发)"
    r"|胸(?:口|部)?[^，。,.]{0,4}?(?:压|堵|坠)[^，。,.]{0,4}?(?:石头|大石|东西|重物|大象)"
    r"|胸(?:口|部)?(?:像|好像|就像|跟)[^，。,.]{0,8}?(?:压|堵|勒|捏|挤|撕|扎|刺|绞)"
    r"|(?:左(?:手|臂|胳膊|肩)|下巴|下颌)[^，。,.]{0,4}?(?:发?麻|痛|疼)[^。]{0,10}?"
    r"(?:冷汗|大汗|胸)|冷汗[^。]{0,10}?(?:左(?:手|臂|胳膊|肩)|下巴|胸|心|头晕|恶心|喘)"
    r"|(?:胸|心|头晕|恶心|喘)[^。]{0,10}?(?:冒|出|一身|直)冷汗",
)
# Stroke: face or mouth drooping, slurred speech, one side weak or numb, sudden
# confusion, the worst headache of one's life. 中疯, 口吃不清 are common typos.
_STROKE = (
    r"stroke\b|(?:face|mouth|smile)\s+(?:is |has |went |looks? |seems? |suddenly "
    r"|started |all |gone )*(?:droop\w*|crooked|lopsided|twisted|sagg\w*|numb|uneven)"
    r"|(?:droop\w*|crooked|lopsided|twisted)\s+(?:face|mouth|smile)\b|slurr\w*"
    r"|(?:speech|words|talking|speaking)\s+(?:is |are |sounds? |became |suddenly )*"
    rf"(?:garbled|weird|strange|funny|jumbled|unclear)|{_CANT} (?:speak|talk) "
    r"(?:properly|clearly|right|normally)|sudden(?:ly)?\s+(?:\w+\s+){0,2}?(?:confus\w*"
    r"|can'?t (?:speak|talk|see|walk|move|lift)|weak\w*|numb\w*|paralys\w*)"
    rf"|{_SIDE} side\b(?:\W+\w+){{0,4}}?\W+(?:weak\w*|numb\w*|paralys\w*|limp|droop\w*)"
    rf"|(?:weak\w*|numb\w*|paralys\w*)\s+(?:on|down|in)\s+(?:the )?{_SIDE}\s+side\b"
    r"|can'?t (?:move|lift|feel) (?:my|his|her) (?:left|right) (?:arm|leg|hand|side)"
    r"|(?:doesn'?t|didn'?t|can'?t|cannot) recogni[sz]e (?:me|us|anyone|his|her)\b"
    rf"|{_CANT} get (?:his|her|my|the) words out\b"
    r"|worst headache\b|thunderclap\b|seeing double\b|double vision\b"
    r"|can'?t walk straight\b|sudden(?:ly)?\b(?:\W+\w+){0,3}?\W+"
    r"(?:severe |terrible |splitting |excruciating |blinding )?headache",
    r"中风|中疯|脑梗|脑卒中|卒中|脑溢血|脑出血|口眼歪斜|口角歪斜|面瘫|偏瘫"
    r"|(?:嘴|嘴巴|嘴角|脸)(?:也|都|有点|好像|突然|一下子)?(?:歪|斜|崴)"
    r"|(?:嘴|嘴巴|嘴角|脸)的?(?:一边|半边|一侧|左边|右边)(?:都|也|突然)?(?:塌|垮|耷拉"
    r"|下垂|歪|斜|往下)"
    r"|(?:说话|讲话|说起话来)[^，。,.]{0,4}?(?:含糊|不清|不利索|大舌头|不连贯)"
    r"|口[齿吃]不清|吐字不清|说不出话|话都说不清|大舌头"
    r"|(?:一侧|单侧|一边|半边)的?(?:身体|身子|手脚|手|腿|胳膊|手臂|脸)(?:也|都|突然"
    r"|一下子)?(?:没力气?|无力|没劲|麻木|发麻|动不了|不能动|抬不起来?|没知觉|没感觉)"
    r"|突然(?:就|间|一下)?(?:手脚|手|腿|两条腿|双腿|胳膊|身体)?(?:没劲|无力|没力气"
    r"|动不了|抬不起来|站不起来|走不了路|不会走路)"
    r"|半边(?:身子|身体|脸|手|腿)?(?:突然)?(?:没力|无力|没劲|麻|动不了|不能动|没知觉"
    r"|没感觉)|(?:一侧|单侧|左边|右边|左侧|右侧)(?:身体|身子|手脚|手|腿|胳膊|脸)?"
    r"(?:突然)?(?:没力|无力|没劲|麻木|发麻|动不了|没知觉)"
    r"|突然(?:糊涂|神志不清|认不出人|胡言乱语|看不见|说不出话)"
    r"|(?:剧烈|炸裂|爆炸)(?:样|般|性|一样)?的?头(?:痛|疼)|头(?:痛|疼)得?(?:欲裂|要炸"
    r"|炸裂)|头(?:部)?突然(?:剧痛|剧烈地?(?:疼|痛)|炸裂)"
    r"|头[^。]{0,4}?突然[^。]{0,6}?(?:炸开|炸裂|要炸)|(?:这辈子|有生以来)最(?:痛|疼)"
    r"|(?:这辈子|有生以来|从来没有?过?|从没)(?:这么|这样|最)(?:痛|疼|厉害)的?"
    r"头(?:痛|疼)?|突然间?(?:剧烈)?头(?:很|特别|非常|好)?(?:痛|疼)",
)
# Breathing difficulty short of _BREATHING_STOPPED: asthma is often a chronic question.
_BREATHLESS = (
    r"(?:difficulty|trouble|problems?|struggl\w*) breathing\b|hard to breathe\b"
    r"|short(?:ness)? of breath\b|breathless\b|wheez\w*|asthma attack\b"
    r"|(?:sucking|pulling|caving) in (?:under|between|below) (?:the |his |her )?ribs"
    r"|ribs (?:are )?(?:sucking|pulling|caving) in\b",
    r"气短|越来越喘|走(?:两|几)步(?:路)?就喘|鼻翼(?:一扇一扇|扇动|煽动)"
    r"|肋骨[^，。]{0,10}?(?:凹|陷)|呼吸(?:很|好|特别|非常)?困难|喘得很?厉害|哮喘(?:发作|犯了|又犯)|气急|呼吸(?:很|好|特别)?(?:急促|费劲)"
    r"|上气不接下气|憋得(?:喘不|透不|慌)",
)
# Heavy bleeding that won't stop; vomiting or coughing blood. Not the idiom "气得吐血"
# (so angry I could spit blood).
_BLEEDING = (
    r"bleed\w* (?:heavily|heavy|a lot|badly|profusely|everywhere|non[- ]?stop|so much)"
    r"|blood (?:is |keeps )?(?:spurting|gushing|pouring|squirting)"
    r"|soaking (?:through )?"
    r"(?:a |the |my )?(?:pads?|towels?)\b"
    rf"|{_CANT} stop (?:the |his |her |my )?bleeding\b|soaked (?:through )?(?:with|in)"
    r" blood|(?:deep|big|bad) (?:cut|gash|wound)\b(?:\W+\w+){0,6}?\W+(?:bleed\w*|blood)"
    r"|(?:won'?t|doesn'?t|can'?t|will not|does not) stop bleeding\b"
    r"|bleeding\b(?:\W+\w+){0,5}?\W+(?:won'?t|doesn'?t|will not|does not|can'?t) stop"
    r"|(?:blood|bleeding) (?:keeps )?(?:everywhere|gushing|spurting|pouring)"
    r"|losing (?:a lot of )?blood|heavy bleeding\b|ha?emorrhag\w*"
    r"|(?:spurting|gushing|pouring|squirting|pumping) (?:out )?blood\b|bled through\b"
    r"|nose ?bleeds?\b(?:\W+\w+){0,8}?\W+(?:half an hour|an hour|hours"
    r"|(?:[2-9]\d|\d{3,}) min\w*"
    r"|won'?t stop|blood thin\w*|aspirin|warfarin)"
    r"|(?:vomit\w*|threw up|throw\w* up|sick)\b(?:\W+\w+){0,8}?\W+coffee[- ]grounds?"
    r"|(?:black|tarry) (?:stool|poo|poop)s?\b"
    r"|(?:vomit\w*|throw\w* up|threw up|cough\w* up|spit\w* up) (?:a lot of |some "
    r"|bright red |dark |fresh )*blood|blood in (?:my|his|her) vomit",
    r"血(?:一直|还是|还在|怎么都|怎么也|根本|就是)?(?:止不住|止不了|流不止|停不下来"
    r"|不停地?流|一直流|流个不停|按不住)|止不住地?流?血|止都止不住|(?:一直|不停地?)在?流血"
    r"|血[^，。,.]{0,4}?(?:往外|直)(?:冒|涌|喷|流)|血是?喷|血还在(?:流|冒|往外)"
    r"|(?:毛巾|纱布|衣服)都?(?:被血)?湿透|(?:流|出)了?(?:很多|好多|一大摊"
    r"|大量|一地|一身|满地)的?血|血流如注|喷血|大出血|出血(?:不止|很多|很厉害|止不住)"
    r"|(?<![得气])(?:吐|呕|咳|咯)(?:了|出)?了?(?:很多|好多|一口|一大口|大口)?的?鲜?血|血崩"
    r"|出血量(?:很|特别|非常|好)?大|(?:生完孩子|产后|刚生完?|流产)[^。]{0,16}?(?:大出血"
    r"|出血|流血)"
    r"|鼻[血雪][^。]{0,10}?(?:半(?:个)?小时|一个小时|几个小时|止不住|还在流|阿司匹林"
    r"|抗凝|华法林)|咖啡渣|(?:拉|解)(?:了)?(?:黑色?的?|柏油样?的?)(?:屎|大便|便)|柏油样?便"
    r"|(?:突然|剧痛|剧烈)[^。]{0,10}?(?:尿血|血尿)|(?:尿血|血尿)[^。]{0,10}?(?:剧痛|剧烈)",
)
# Fainted, collapsed, had a fit: told of the past ("once, last year") it is not one.
# Not "I nearly fainted at the price", "翻白眼" or "抽风" (slang for rolling one's
# eyes, acting up).
_FAINTED = (
    r"(?<!nearly )(?<!almost )(?:fainted|fainting|passed out|passing out|blacked out"
    r"|blacking out"
    r"|collapsed|keeled over|seizures?|convulsions?)\b"
    r"|(?:suddenly|just) (?:fell|dropped|went) (?:down|over|to the (?:floor|ground))"
    r"|(?:shaking|jerking|twitching) all over\b(?:\W+\w+){0,8}?\W+(?:floor|won'?t stop"
    r"|minutes)|(?:on the floor|collapsed|lying there)\b(?:\W+\w+){0,3}?\W+not "
    r"(?:responding|moving)\b"
    r"|(?:fell|dropped) to the (?:floor|ground)",
    r"(?:晕|昏)(?:倒|过去|厥)|晕死过去|倒在?地上?(?:不起|起不来)|休克|抽搐|抽蓄|惊厥"
    r"|(?:在|倒在)地上[^。]{0,4}?抽|抽(?:出|筋)[^。]{0,8}?(?:分钟|没停|不停|停不下来)"
    r"|癫痫(?:发作|犯了)|羊癫疯|羊角风|突然(?:就|间)?(?:倒下|倒地|倒在|栽倒)"
    r"|(?:孩子|宝宝|小孩|婴儿|儿子|女儿)[^。]{0,6}?抽筋|眼睛?(?:往上|向上)翻",
)
# Anaphylaxis (after herbs, medicine, acupuncture...): lips, tongue or throat
# swelling, throat closing, hives with wheeze. Not "can herbs cause allergies?" (a
# question about a risk), a puffy face or a sore throat ("嗓子肿了").
_ANAPHYLAXIS = (
    r"anaphyla\w*|allergic shock\b|(?:severe|bad|serious|major) allergic reaction"
    rf"|(?:lips?|tongue|throat|mouth)\s+{_STATE}(?:swell\w*|swollen|puff\w*|closing"
    rf"|closed up|tight(?:en\w*)?)\b|face\s+{_STATE}(?:swell\w*|swollen)\b"
    r"|swelling (?:of|in|on|around) (?:my|his|her|the) (?:lips?|tongue|throat|mouth"
    r"|face)\b|(?:hives|welts|rash)\b(?:\W+\w+){0,8}?\W+(?:wheez\w*|breath\w*|throat"
    r"|swell\w*|dizz\w*|faint\w*)|epi-?pen\b",
    r"过敏性休克|(?:严重|剧烈)的?过敏|过敏得?(?:很|特别|非常)?(?:厉害|严重)"
    r"|(?:嘴唇|嘴巴|舌头|脸|眼皮|口腔)(?:都|突然|一下子|开始|整个)?(?:肿|发肿)"
    r"|(?:喉咙|嗓子|咽喉)(?:突然|一下子|有点|有些|好像|感觉|开始|越来越)?(?:发紧|很紧"
    r"|好紧|紧|被掐住|堵住|闭|锁)"
    r"|(?:荨麻疹|寻麻疹|风团|疹子|起包|起疹|红疹).{0,10}?(?:喘|呼吸|喉咙|嗓子|头晕|晕"
    r"|胸闷)",
)
# High fever with a stiff neck, a rash that won't fade or a floppy baby (meningitis).
_MENINGITIS = (
    r"fever\b(?:\W+[\w.]+){0,8}?\W+(?:stiff neck|neck (?:is |feels )?stiff|purple rash"
    r"|(?:won'?t|can'?t|cannot) (?:bend|move|turn) (?:his|her|my|their) neck"
    r"|rash (?:that )?(?:doesn'?t|won'?t) fade|floppy|lethargic|won'?t (?:feed|wake))"
    r"|stiff neck\b(?:\W+\w+){0,8}?\W+(?:fever|temperature)"
    r"|(?:spots|rash|blotches)\b(?:\W+\w+){0,6}?\W+(?:don'?t|doesn'?t|won'?t|do not"
    r"|does not|not) fade"
    r"|(?:baby|infant|newborn|toddler|\d+ ?(?:yo|y/o|years? old|months? old)|kid|child"
    r"|son|daughter)\b(?:\W+\w+){0,6}?\W+(?:fever|temperature)\s+"
    r"(?:of\s+)?(?:39|4[0-2])",
    r"(?:高烧|发烧|发热|高热).{0,12}?(?:脖子|颈部|颈)(?:很|好|特别|有点)?发?(?:硬|僵)"
    r"|(?:脖子|颈部|颈)发?(?:硬|僵).{0,12}?(?:高烧|发烧|发热)|高烧不退"
    r"|(?:紫|紫红|红紫|暗红)色?的?小?(?:点|斑|疹)[^。]{0,8}?(?:压|按)[^。]{0,4}?不(?:褪|退|消)"
    r"|(?:宝宝|婴儿|孩子|小孩|儿子|女儿|新生儿).{0,10}(?:高烧|烧到|发烧到?)"
    r"(?:39|40|41|四十)",
)
# Blood vomited: a bleed inside, whatever is asked with it.
_VOMITING_BLOOD = (
    r"(?:vomit\w*|throw\w* up|threw up|puk\w*)\W+(?:up\W+)?(?:\w+\W+)?blood\b",
    r"(?<!气得)(?<!气到)吐血|呕血|吐出(?:来)?(?:的)?(?:是)?血",
)
# Read even in a question about a treatment, like a lost bladder (`is_red_flag`).
_EVEN_IN_A_QUESTION = _rules(_MENINGITIS, _VOMITING_BLOOD)
_BURNS = (
    r"(?:severe|bad(?:ly)?|serious(?:ly)?|big|large|deep|(?:third|second)[- ]degree)"
    r"\s+(?:burns?|burned|burnt|scald\w*)\b|(?:burned|burnt|scalded)\s+(?:\w+\s+){0,3}?"
    r"(?:badly|severely|all over)\b|skin (?:is )?(?:peeling|coming|falling) off\b"
    r"|(?:boiling|scalding|hot) (?:water|oil|soup) (?:\w+ )?(?:fell|tipped|spilled"
    r"|spilt|splashed"
    r"|poured|went) (?:on|over|all over)\b|skin (?:is )?(?:peeling|blistering)\b"
    r"(?:\W+\w+){0,4}?\W+white\b"
    r"|(?:spilled|spilt|poured|splashed|knocked)\s+(?:\w+\s+){0,2}?(?:boiling|scalding"
    r"|hot) (?:water|oil|soup)\b(?:\W+\w+){0,3}?\W+(?:on|over|all over)\b"
    r"|(?:burn\w*|scald\w*|blister\w*)\b(?:\W+\w+){0,12}?\W+(?:white|leathery|charred"
    r"|(?:doesn'?t|does not|don'?t|no longer) hurt)\b",
    r"(?:严重|大面积|重度|深度|二度|三度)的?(?:烧伤|烫伤|灼伤)"
    r"|(?:烧伤|烫伤)得?(?:很|特别|非常)?(?:严重|厉害)"
    r"|(?:开水|热水|沸水|热油|滚油).{0,8}?(?:脸|全身|胸口|身上|一大片|大片)"
    r"|(?:烫伤|烧伤|灼伤|烫了|烫到|水泡)[^。]{0,16}?(?:发白|变白|白色|焦黑"
    r"|不(?:怎么|太)?(?:痛|疼)|没(?:有)?感觉)",
)
# A blow to the head, then vomiting, drowsiness, confusion or bleeding; a fall from
# a height.
_HEAD_INJURY = (
    r"(?:(?:hit|banged|bumped|knocked|struck|fell on|hurt|injured)\s+(?:\w+\s+){0,3}?"
    r"head|head (?:hit|banged|bumped|struck|knocked))\b(?:\W+\w+){0,10}?\W+"
    r"(?:vomit\w*|throw\w* up|threw up|drows\w*|sleepy|confus\w*|dizz\w*|bleed\w*)"
    r"|head injury\b|concuss\w*"
    r"|fell (?:off|from) (?:a |the )?(?:height|ladder|roof|balcony|window)",
    r"(?:摔|撞|磕|碰|砸|跌)(?:到|了|伤|倒|破)?.{0,6}?(?:头|脑袋|后脑勺).{0,12}?"
    r"(?:吐|犯困|嗜睡|想睡|昏|晕|流血|出血|不清醒|迷糊)"
    r"|从.{0,6}(?:楼上|楼梯|高处|阳台|窗户|梯子)上?(?:摔|掉|跌|坠)"
    r"|头部(?:受伤|外伤|重击)|脑震荡",
)
# Back pain with what makes it an emergency rather than the clinic's daily work: a
# fall or an accident that leaves one unable to move, a high fever.
_BACK_PAIN_ALARMS = (
    r"(?:car|traffic|road|motorbike|bike|scooter) (?:accident|crash)"
    r"|(?<!like i got )(?<!like i was )(?<!like being )hit by a (?:car|scooter|bike|bus"
    r"|truck|motorbike|taxi)\b|(?:fell|fallen|slipped|tripped|knocked (?:off|down|over)"
    r"|thrown (?:off|from))\b(?:\W+\w+){0,10}?\W+"
    r"(?:can'?t (?:move|stand|walk|get up|feel)|(?:legs?|feet) (?:feel |are |went "
    r"|go )?numb|back (?:is in agony|hurts (?:badly|so bad|terribly)))"
    r"|(?:high )?fever\b(?:\W+\w+){0,8}?\W+back (?:pain|hurts?|is (?:in agony|killing))"
    r"|back (?:pain|hurts?)\b(?:\W+\w+){0,8}?\W+(?:high )?fever",
    r"车祸|被车撞|(?:摔|跌|滑)(?:了|倒|下来)?[^。]{0,10}?(?:动不了|站不起来|起不来"
    r"|腿(?:都|也)?麻)|(?:发烧|发热|高烧|烧到)[^。]{0,10}?(?:腰|背)(?:也|还)?[^。]{0,3}?"
    r"(?:疼|痛)|(?:腰|背)[^。]{0,6}?(?:疼|痛)[^。]{0,8}?(?:发烧|发热|高烧)",
)
# Sight lost suddenly, in one eye or both, even for minutes (a warning of a stroke).
_SIGHT_LOST = (
    r"(?:lost|losing|loss of) (?:the |my |his |her |all )?(?:vision|sight)\b"
    r"|went blind\b|(?:vision|sight) (?:suddenly )?(?:went|goes|turned|going|gone) "
    r"(?:black|dark|dim)\b|curtain (?:came |coming |come )?(?:down )?over (?:my|his|her"
    r"|one) (?:eye|vision)",
    r"(?:一只|一边|单侧|左|右)眼(?:睛)?(?:突然|一下子)?(?:就)?(?:什么都|啥都)?"
    r"(?:黑了|看不见|看不清|失明)"
    r"|突然(?:失明|看不见了?|眼睛(?:黑了|看不见))",
)
# Sudden severe pain in the belly, or a belly hard as a board.
_ABDOMEN = (
    r"(?:stomach|belly|abdom\w*|tummy)\b(?:\W+\w+){0,3}?\W+(?:pain|ache|hurts?)\b"
    r"(?:\W+\w+){0,2}?\W+(?:so bad|unbearable|excruciating|agony|can'?t (?:move|stand"
    r"|walk))|(?:belly|stomach|abdomen|tummy) (?:is |feels )?(?:hard|rigid|stiff) as "
    r"(?:a )?(?:board|rock)|rigid (?:belly|abdomen|stomach)\b"
    r"|(?:severe|excruciating|unbearable|sudden) (?:stomach|abdominal|belly) pain"
    r"|(?:pain|ache|hurts?)\b(?:\W+\w+){0,3}?\W+lower right (?:side|belly|abdomen"
    r"|stomach|tummy)\b"
    r"|(?:severe|excruciating|unbearable|sudden) pain (?:in (?:my|his|her|the) )?"
    r"(?:lower )?"
    r"(?:right |left )?(?:lower )?(?:belly|stomach|abdomen|tummy)",
    r"(?:肚子|腹部|右下腹)(?:右下边|右下方|右下|右边|左下)?(?:突然)?(?:疼|痛)得?直?"
    r"(?:受不了|打滚|不起腰|动不了|要命"
    r"|站不直|站不起来)|右下腹[^。]{0,8}?(?:剧痛|站不直|站不起来)|(?:肚子|腹部)(?:突然)?剧痛|硬邦邦[^。]{0,6}?(?:碰|按|摸)"
    r"|(?:剧烈|突发)的?(?:腹痛|肚子痛|肚子疼)|肚子(?:硬|发硬)(?:得像|邦邦)|腹部(?:板|发)硬",
)
# Carbon monoxide: headache, nausea or drowsiness with a gas heater or burning coal.
_GAS = r"(?:gas (?:leak|heater|stove|fire|boiler)|charcoal|coal (?:stove|fire|heater))"
_GAS_ZH = r"(?:煤气|燃气|天然气|炭火|炭盆|煤炉|取暖器)"
_POISONED_BY_GAS = (
    rf"carbon monoxide|co poisoning|{_GAS}\b(?:\W+\w+){{0,10}}?\W+(?:headaches?"
    r"|nause\w*|dizz\w*|vomit\w*|faint\w*|drows\w*)|(?:headaches?|nause\w*|dizz\w*"
    rf"|vomit\w*)\b(?:\W+\w+){{0,10}}?\W+{_GAS}",
    rf"煤气中毒|一氧化碳|{_GAS_ZH}[^。]{{0,12}}?(?:头痛|头疼|头晕|恶心|想吐|呕吐)"
    rf"|(?:头痛|头疼|头晕|恶心|想吐)[^。]{{0,12}}?{_GAS_ZH}",
)
# Pregnant, with a severe headache and blurred sight or swelling, bleeding, or pain
# in the belly (pre-eclampsia, a miscarriage, an ectopic pregnancy).
_PREGNANCY = (
    r"pregnan\w*\b(?:\W+\w+){0,12}?\W+(?:(?:bad|severe|terrible|really bad) headache"
    r"|seeing spots|blurr\w* (?:vision|sight)|vision (?:is )?blurr\w*|bleed\w*"
    r"|(?:sharp|severe|bad) pain|faint\w*|(?:feet|face|hands) (?:are |is )?(?:\w+ )?"
    r"swollen)",
    r"(?:怀孕|怀了|孕妇|孕期|孕\d+周|(?:[一二三四五六七八九十]|\d+)个月身孕)[^。]{0,16}?"
    r"(?:头(?:很|好|特别)?(?:痛|疼)|看东西模糊|眼花|视力模糊|(?:脚|脸|手)肿|出血|见红"
    r"|(?:肚子|腹部|小腹)(?:一侧|一边)?(?:很|好)?(?:剧)?(?:痛|疼)|一侧(?:肚子|腹部)?剧痛"
    r"|(?:快|要)晕)",
)
# Heat stroke and hypothermia; a diabetic confused or shaking (a blood sugar crisis);
# a bone through the skin.
_HEAT_OR_COLD = (
    r"heat ?stroke|stopped (?:sweating|shivering)|hot,? dry skin|hypotherm\w*"
    r"|frostbite",
    r"中暑|热射病|汗都没有|(?:浑身|全身)(?:都)?冰凉|冻(?:了)?一(?:夜|晚|整夜)"
    r"|(?:很烫|发烫|滚烫)[^。]{0,6}?(?:不出汗|没(?:有)?汗)"
    r"|(?:晒|热)了?(?:一|半)?(?:下午|上午|整天|天)[^。]{0,10}?(?:糊涂|说胡话|晕倒|抽)"
    r"|冻僵|失温",
)
_BLOOD_SUGAR = (
    r"diabet\w*\b(?:\W+\w+){0,6}?\W+(?:confus\w*|sweaty|sweating|shak\w*|not making"
    r" (?:any )?sense|drows\w*|unconscious)"
    r"|(?:low|high) blood sugar\b(?:\W+\w+){0,6}?\W+"
    r"(?:confus\w*|shak\w*|faint\w*|drows\w*)",
    r"糖尿病[^。]{0,12}?(?:说胡话|糊涂|满头大汗|(?:手|身体)(?:一直)?(?:抖|发抖)|叫不醒|不理人"
    r"|晕)|低血糖[^。]{0,8}?(?:晕|抖|糊涂|出汗|说胡话)",
)
_BONE_OUT = (
    r"bone (?:is )?(?:sticking|poking|coming) (?:out|through)"
    r"|(?:compound|open) fracture",
    r"骨头(?:都)?(?:戳|刺|露|穿|扎)(?:了)?出来|骨头露(?:出|在外)|开放性骨折",
)
# A chemical in the eye (bleach, a toilet cleaner, lime).
_EYE_BURN = (
    r"(?:bleach|chemicals?|acid|cleaner|lye|lime)\b(?:\W+\w+){0,4}?\W+(?:in|into) "
    r"(?:my|his|her|the|their) eyes?\b",
    r"(?:眼睛|眼里|眼)(?:里)?(?:溅|进|喷|弄)(?:进去|进|到|了)?了?[^。]{0,4}?(?:洁厕|漂白|消毒"
    r"|清洁剂|化学|碱|酸|84|石灰)",
)
_SYMPTOMS = _rules(
    _EYE_BURN,
    _HEAT_OR_COLD,
    _BLOOD_SUGAR,
    _BONE_OUT,
    _PREGNANCY,
    _SIGHT_LOST,
    _ABDOMEN,
    _POISONED_BY_GAS,
    _CHEST_PAIN,
    _STROKE,
    _BREATHLESS,
    _BLEEDING,
    _FAINTED,
    _ANAPHYLAXIS,
    _BURNS,
    _HEAD_INJURY,
    _BACK_PAIN_ALARMS,
)

# 电池 (battery) is often transcribed as another "chi": 电齿, 电迟.
# Swallowed something dangerous: a button battery, magnets, a bottle of pills,
# household chemicals, pesticide, grandma's medicine; poisoning. Not "where can I buy
# button batteries" (nothing swallowed), "吃药" (taking one's medicine) or "food
# poisoning".
_ZH_DANGEROUS = (
    r"(?:电[池齿迟驰持匙弛]|battery|batteries|magnets?|bleach|detergent|pesticide"
    r"|磁铁|磁珠|磁力珠|巴克球|吸铁石|农药|杀虫剂"
    r"|除草剂|百草枯|敌敌畏|老鼠药|灭鼠药|耗子药|消毒液|消毒水|84消毒|漂白|洗涤剂"
    r"|洗洁精|洗衣液|洗衣凝珠|洗衣粉|洁厕|通渠|管道疏通|疏通剂|清洁剂|汽油|煤油)"
)
_SWALLOWED = _rules(
    (
        r"(?:swallow\w*|ate|eaten|eating|drank|drunk|drinking|ingest\w*|chew\w*|bit"
        r"|bitten|licked"
        r"|got into|took|taken)\b(?:\W+[\w']+){0,12}?\W+(?:(?:button|coin|lithium"
        r"|watch|disc|small) )?(?:batter(?:y|ies)|magnet\w*|bleach|drain cleaner"
        r"|detergent|(?:laundry|dishwasher|dish) (?:pod|capsule|tablet|liquid|soap"
        r"|powder)s?|washing[- ]up liquid|pesticide"
        r"|insecticide|weed ?killer|herbicide|rat poison|poison|antifreeze"
        r"|disinfectant|lye|kerosene|cleaning (?:fluid|liquid|product|stuff|spray)s?"
        r"|(?:toilet|oven|floor|glass|bathroom) cleaner|chemicals?|mouthwash"
        r"|nail polish remover|vape (?:juice|liquid)|e-?liquid|lighter fluid|paraffin"
        r"|lamp oil|essential oil|(?:a|the|whole|entire|half a) (?:bottle|box|pack"
        r"|packet|strip)s? of (?:[\w']+ ){0,2}(?:pills|tablets|medicine|medication"
        r"|painkillers|paracetamol|aspirin|ibuprofen)|(?:lots|loads|handful|bunch"
        r"|too many|many|all) (?:of )?(?:[\w']+ ){0,2}(?:pills|tablets|paracetamol"
        r"|aspirin|ibuprofen|painkillers|sleeping pills))"
        r"|(?:ate|eaten|got into|swallow\w*|chew\w*|gobbled)\b(?:\W+[\w']+){0,3}?\W+"
        r"(?:pill ?(?:bottle|box|organi[sz]er|case)s?|medicine (?:cabinet|cupboard|box"
        r"|bottle|drawer)|meds|pills|tablets|capsules|medicine|medication|gummies"
        r"|vitamins|painkillers|antidepressants)\b|overdos\w*"
        r"|(?:button|coin|lithium|watch) batter(?:y|ies)\b(?:\W+\w+){0,6}?\W+(?:mouth"
        r"|missing|can'?t find)|put (?:a |the |some )?(?:\w+ )?(?:batter(?:y|ies)"
        r"|magnets?|pills?|tablets?) in (?:his|her|their|its) mouth"
        r"|(?:pills|tablets|meds|medicine|medication|capsules)\b(?:\W+\w+){0,3}?\W+"
        r"(?:ate|swallowed|chewed|eaten) (?:some|them|a few|several|a couple|lots|many"
        r"|all)(?: of them)?\s*(?:$|[.,!?;]|and\b)"
        r"|(?<!food )poison(?:ed|ing)\b|empty (?:\w+ )?(?:bottle|box|packet|pack"
        r"|blister)s? of (?:[\w']+ ){0,3}(?:pills|tablets|medicine|meds)"
        r"|carbon monoxide\b"
        r"|(?:wild|poisonous|foraged) mushrooms?\b(?:\W+\w+){0,10}?\W+"
        r"(?:vomit\w*|sick|dizz\w*|can'?t stand|hallucinat\w*|throw\w* up)"
        r"|(?:took|taken|swallowed|ate|had) (?:like |about |around |over |almost )?\d+ "
        r"(?:[\w']+ )?(?:pills|tablets|capsules)",
        rf"(?:吞|吃|喝|咽|舔|误食|误服|误吞|误喝)(?:了|下|下去|进去|掉)?.{{0,8}}?"
        rf"{_ZH_DANGEROUS}|把.{{0,6}}?{_ZH_DANGEROUS}.{{0,2}}?(?:吞|吃|喝|咽)"
        r"|误(?:食|服|吞|喝)|(?:吃|吞|喝|服)(?:了|下)?(?:一整|整|大半|半|一)?"
        r"(?:瓶|盒|板|把|大把|堆|大堆)的?(?:\w{0,2}?药|药片|药丸|片)"
        r"|(?:吃|吞|服)(?:了|下)?(?:很多|好多|一堆|大量|一大把|几十)(?:颗|片|粒)?"
        r"(?:\w{0,2}?药|药片|药丸|片)|(?:药|药物|服药|吃药)过量|过量服(?:药|用)"
        r"|(?:吃|吞|喝)(?:了|下|掉)?(?:奶奶|爷爷|外婆|外公|姥姥|姥爷|妈妈|爸爸|大人"
        r"|老人|别人)的\w{0,3}?(?:药|药片|药丸)"
        r"|偷(?:偷)?(?:吃|喝|吞)了?[^，。,.]{0,8}?(?:药|片|丸|粒|电池|磁|清洁|洗|消毒|酒精)"
        r"|(?:孩子|儿子|女儿|宝宝|小孩|娃|闺女|孙子|孙女)把[^，。,.]{0,8}?(?:药|片|丸|胶囊)"
        r"[^，。,.]{0,3}?(?:吃|吞|喝)"
        r"|(?:孩子|儿子|女儿|宝宝|小孩|娃|闺女|孙子|孙女)[^，。,.]{0,8}?(?:吃|吞|喝)(?:了|下|掉)"
        r"[^，。,.]{0,6}?(?:药|片|丸|胶囊)"
        r"|(?:吃|吞|服)(?:了|下|掉)?(?:一整|整整|整|大半|半|一大|好几)(?:瓶|板|盒)"
        r"(?![^，。,.]{0,3}?(?:饼干|糖|零食|巧克力|水|饭|奶|薯片|水果|维生素))"
        r"|(?:一氧化碳|煤气|农药|药物|酒精|毒蘑菇)中毒|中毒了"
        r"|把(?:一整|整|大半|半|一)?(?:瓶|盒|板|把)[^，。,.]{0,6}?(?:药|片|丸)[^，。,.]{0,3}?"
        r"(?:都|全)?(?:吃|吞|喝)|(?:野)?蘑菇[^。]{0,12}?(?:上吐下泻|吐个不停|一直吐|站不起来"
        r"|幻觉)|(?:吃|吞|took)[^。]{0,4}?(?:很多|好多|一堆|一大把)[^。]{0,3}?(?:pills|tablets"
        r"|药|片)",
    )
)
# "ate a bunch of them", where "them" are the pills the message is about.
_SWALLOWED_MANY = _rules(
    (
        r"(?:ate|swallowed|chewed|eaten|took|taken|had|downed)\s+(?:a (?:bunch|handful"
        r"|lot|load|few)|lots|loads|several|all|most|half|(?:a |the )?whole (?:bottle"
        r"|pack|box|thing))\s*(?:of\s+(?:them|those|these|it|my|his|her|the|\w+'s)\b"
        r"|$|[.!?,])",
        "",
    )
)
_MEDICINE = re.compile(
    r"\b(?:pills?|tablets?|meds|medicines?|medications?|capsules?|vitamins|gummies)\b"
)
# A swollen or tight throat, tongue or lips after herbs, a drug, a sting or food:
# a sore, swollen throat with a cold is not one ("嗓子肿了有点疼").
_AIRWAY_SWELLING = _rules(
    (
        rf"(?:throat|tongue|lips?|airway)\s+{_STATE}(?:swell\w*|swollen|tight\w*"
        r"|closing|clos\w* up|puff\w*|blocked)",
        r"(?:喉咙|嗓子|咽喉|舌头|嘴唇|嘴)(?:都|也|突然|一下子|开始|有点|好像|感觉|整个)?"
        r"(?:肿|发紧|紧|堵)",
    )
)
_ALLERGEN = _rules(
    (
        r"(?:herb\w*|medicine|medication|pills?|tablets?|injection|shot|acupuncture"
        r"|needles?|allerg\w*|stung|sting|peanuts?|nuts|shellfish|seafood"
        r"|after (?:taking|drinking|eating|the))\b",
        r"中药|汤药|草药|药|针灸|扎针|过敏|海鲜|花生|坚果|蜂|蛰|吃了|喝了",
    )
)
# A pet that swallowed something is for a vet, and "call 120" would be the wrong
# answer: "my dog ate chocolate", "狗吃了电池" are not red flags. Only the pet's own
# swallowing is discounted: "my son ate the dog's pills" still is one.
_PET_SWALLOWED = _rules(
    (
        r"(?:dog|puppy|cat|kitten|pet|parrot|rabbit|hamster)\b(?:\W+\w+){0,2}?\W+"
        r"(?:ate|eaten|swallowed|drank|got into|chewed)\b",
        r"(?:狗|猫|宠物|鹦鹉|兔子|仓鼠).{0,3}?(?:吃|吞|喝|误食)",
    )
)

# --- What makes a symptom general rather than happening now. ---
_TREATMENT = (
    r"(?:tuina|acupuncture|cupping|massage|moxibustion|moxa|herbs?|herbal \w+|tcm"
    r"|chinese medicine|treatments?|therapy|physio\w*|gua sha)"
)
_EFFECT = (
    r"(?:help(?:s|ful)?\s+(?:with|for|in|against|treat|relieve|ease|improve|prevent)\b"
    r"|help(?:s|ful)?\s+(?:[\w']+\s+){0,3}?(?:pain|tight\w*|pressure|numb\w*|asthma"
    r"|breath\w*|headaches?|recover\w*|rehab\w*|stroke|seizures?|bleeding|allerg\w*"
    r"|incontinence|sciatica|symptoms?)\b|help(?:s|ful)?\s*\??\s*$|treat\w*|cure\w*"
    r"|reliev\w*|ease|good for|work for|work on|fix|improve|cause\w*|lead to|trigger"
    r"|safe|dangerous|risk\w*|side effects?|suitable)"
)
# A question about a treatment or its risk: "does tuina help with chest tightness?",
# "is it safe to have acupuncture after a stroke?", "推拿对胸闷有用吗", "针灸会不会
# 引起过敏". Not "my son swallowed a magnet, is it dangerous?" (an event, then a
# question), nor "can someone help? my dad collapsed" (a person, not a treatment).
_MODAL = r"(?:can|could|does|do|will|would|is|are|should|might|may)"
_QUESTION = _rules(
    (
        rf"^(?:(?:hi|hello|hey)\W+)?{_MODAL}\b(?!\s+(?:he|she|they|my|his|her"
        rf"|someone|somebody|anyone|you)\b).{{0,100}}?\b{_EFFECT}"
        rf"|{_MODAL}\s+(?:(?:a|an|the|some|regular|chinese)\s+)?{_TREATMENT}\b"
        rf".{{0,50}}?\b(?:{_EFFECT}|(?:hurts?|painful|sore)\b)"
        r"|(?:do|can|could) you (?:treat|cure|deal with|handle|help with)\b",
        r"(?:能|可以|可不可以|能不能|会不会|是否)(?:治|治疗|医治|缓解|改善|调理|帮助"
        r"|康复|恢复)|有(?:没有)?(?:用|效|帮助)|管用|(?:推拿|针灸|拔罐|按摩|艾灸|刮痧"
        r"|理疗|中药|正骨)(?:能|可以|有用|有效|管用|好不好|适合|行不行|怎么样)"
        r"|(?:能|可以|能不能|可不可以|适合|适不适合)(?:做|去|来|用|吃|扎)?(?:小儿)?"
        r"(?:推拿|针灸|拔罐|按摩|艾灸|刮痧|理疗|中药|正骨)|(?:会|可能)(?:不会)?(?:引起|导致|造成"
        r"|诱发)|副作用|风险|安全(?:吗|么|嘛|不)|调理",
    )
)
# The past, a history or a chronic complaint: "I fainted once last year", "history
# of stroke", "for months", "from stress", "经常胸闷", "好几个月了". Not "at once",
# nor "十分钟之前" (ten minutes ago).
_PAST_OR_CHRONIC = _rules(
    (
        r"(?:last|past) (?:year|month|week|summer|winter|spring|autumn|fall)\b"
        r"|(?:a|one|two|three|few|several|many|\d+) (?:years?|months?) ago\b"
        r"|history of\b|(?<!at )once\b|used to\b|in the past\b|previous(?:ly)?\b"
        r"|recover(?:y|ing)\b|rehab\w*|after (?:a|an|his|her|my|the) (?:stroke"
        r"|heart attack|seizure|concussion|head injury)\b"
        r"|for (?:(?:a|the last|the past|a few|several|many|some|two|three|four|\d+) )?"
        r"(?:weeks|months|years)\b|chronic\b|long[- ]term\b|on and off\b|off and on\b"
        r"|often\b|sometimes\b|occasional\w*|every (?:day|morning|night|time|week)\b"
        r"|stress(?:ed|ful)?\b|anxi(?:ety|ous)\b"
        r"|as an? (?:baby|child|kid|teen\w*|toddler)\b"
        r"|when (?:i|he|she) was (?:a |little|young)"
        r"|(?:is|are|'s|i'm|im|he's|she's) (?:fine|ok|okay|stable|well) now\b"
        r"|(?:fine|stable|ok|okay) now\b|(?:on|climbing|up) (?:the )?stairs\b"
        r"|since i (?:stopped|started|quit)\b|well[- ]controlled|under control\b"
        r"|controlled (?:with|by|on)\b"
        r"|on (?:medication|meds|tablets) for\b|on (?:medication|meds)\b"
        r"|back in (?:january|february|march|april|june|july|august|september|october"
        r"|november|december)\b",
        r"去年|前年|(?<![钟时])(?:以前|之前)|曾经|几年前|几个月前|上个?月|上次|病史"
        r"|既往|得过|中过风|后遗症|康复|恢复期"
        r"|(?<!怀孕)(?<!孕)(?:好|几|一|两|三|四|五|六|半|\d+)个?多?(?:月|年|星期|礼拜)"
        r"(?!大|的?(?:宝宝|婴儿|孩子|小孩|娃))"
        r"|(?<!按了)(?<!压了)(?<!捂了)(?:很久|好久)|长期|慢性|经常|老是|总是|有时候?|偶尔|时不时|多年|压力|焦虑|小时候"
        r"|老毛病|一直(?:都)?(?:很|挺)?稳定|控制得(?:很|挺|还)?好"
        r"|现在(?:已经|都)?(?:很|挺|还)?(?:稳定|没事|好了|好多了|正常)|(?:已经|都)?恢复得?(?:很|挺|还)?(?:好|差不多)",
    )
)
# Sudden onset or alarming company: a symptom with these is an emergency even in a
# question ("chest pain and sweating, can acupuncture help?"). Not "现在能推拿吗"
# (now, can I have tuina?).
_ACUTE = _rules(
    (
        r"(?:right now|just now|and now|but now|now (?:i'?m|he'?s|she'?s|it'?s|i am"
        r"|he is|she is)|suddenly|sudden|currently|at the moment|this (?:morning"
        r"|afternoon|evening)|tonight|minutes? ago|an hour ago|getting worse|severe"
        r"|crushing|worst|unbearable|urgent|emergency|sweat\w*|left arm|worse and worse"
        r"|(?:his|her|my) arm|jaw|radiat\w*|fever (?:and|with|,) vomit\w*)\b|help\s*!"
        r"|just (?!(?:wondered|wanted|asked|checked)\b)(?:\w+ed|ate|fell|took|drank"
        r"|started)\b",
        r"现在(?!还?(?:能|可以|适合)|[^，。,.]{0,4}?(?:还是|仍然|依然|还不太|还有点)|(?:已经|都)?(?:很|挺|还)?(?:稳定|没事|好了|好多了|正常)|(?:已经|都)?恢复得?(?:很|挺|还)?(?:好|差不多)"
        r"|(?:已经)?[\d一二三四五六七八九十]+岁)|突然|刚才|刚刚|正在|这会儿|一下子"
        r"|越来越(?:重|厉害|痛|疼|严重)|剧烈|剧痛|厉害|受不了|救命|快不行|不行了|冷汗"
        r"|大汗|左(?:手|臂|胳膊)|手臂|胳膊|下巴|一直(?:在)?(?:流|出血)|人(?:发)?晕|快晕"
        r"|打滚|(?:还|又|并且)发(?:高)?(?:烧|热)|往外(?:冒|涌|喷)"
        r"|(?:发烧|发热)还?(?:呕吐|吐)",
    )
)


def fold(text: str) -> str:
    """Folds width, case, apostrophes, Traditional characters and dictation's gaps."""
    if text.isascii():  # most English: only the backtick of the rest can apply
        return _CJK_GAP.sub("", " ".join(text.replace("`", "'").lower().split()))
    text = unicodedata.normalize("NFKC", text).translate(_APOSTROPHES).lower()
    text = _CJK_GAP.sub("", " ".join(text.translate(_TRADITIONAL).split()))
    return _SCRIPT_CHANGE.sub(" ", text)


def normalise(text: str) -> str:
    """Folds the text (see `fold`) and drops denied symptoms."""
    return _NEGATED.sub(" ", fold(text))


def _describes_symptom(text: str) -> bool:
    """Whether `text` names a symptom that is an emergency when it is happening."""
    if _SYMPTOMS.search(text):
        return True
    if _AIRWAY_SWELLING.search(text) and _ALLERGEN.search(text):
        return True
    if _SWALLOWED_MANY.search(text) and _MEDICINE.search(text):
        return True
    return bool(_SWALLOWED.search(text)) and not _PET_SWALLOWED.search(text)


def is_red_flag(text: str) -> bool:
    """Whether `text` describes a medical emergency that must be told to call 120."""
    text = normalise(text)
    if _ALWAYS.search(text):
        return True
    if (
        _CONTINENCE_LOST.search(text) and _BACK.search(text)
    ) or _EVEN_IN_A_QUESTION.search(text):
        # Even in a question about a treatment ("lower back pain, can't control my
        # bladder, can acupuncture help?", "孩子发烧39度 脖子硬 能来推拿退烧吗",
        # "吐血了 吃中药能止住吗"); not when long-standing or told of the past.
        return bool(_ACUTE.search(text)) or not _PAST_OR_CHRONIC.search(text)
    if not _describes_symptom(text):
        return False
    return bool(_ACUTE.search(text)) or not (
        _QUESTION.search(text) or _PAST_OR_CHRONIC.search(text)
    )


# The front desk's business: what a gift card or an invoice is asked with is not
# happening to anyone ("有没有储值卡或者礼品卡 想送给我妈").
_BUSINESS = _rules(
    (
        r"gift ?cards?|vouchers?|memberships?|discounts?|invoices?|fapiao|receipts?"
        r"|parking",
        r"礼品卡|储值卡|充值卡|会员|优惠|折扣|发票|收据|停车",
    )
)


def tells_of_no_emergency(text: str) -> bool:
    """Whether `text` tells of no emergency happening now (see `EmergencyDetector`).

    It tells of the past or of a managed condition, asks about a treatment or the
    front desk's business, and says nothing is sudden or getting worse.
    """
    text = normalise(text)
    general = (
        _QUESTION.search(text)
        or _PAST_OR_CHRONIC.search(text)
        or _BUSINESS.search(text)
    )
    return bool(general) and not _ACUTE.search(text)


class TranscriptRule(IntentRule):
    """An intent rule that also reads the message as the tokenizer heard it.

    A voice transcript's sound-alikes (纽扣电齿, 按磨椅) and a pinyin message are read
    by the tokenizer into the clinic's words (its lemmas); the rule tries the
    visitor's text first, then that reading.
    """

    def process(self, messages: List[Message]) -> List[Message]:
        """Replaces the intent of the messages the rule recognises in either text."""
        for message in messages:
            predicted = (message.get(INTENT) or {}).get(INTENT_NAME_KEY)
            if self.replaces(predicted) and self._recognises(message):
                override_intent(message, self.intent)
        return messages

    def _recognises(
        self, message: Message, applies: Callable[[str], bool] | None = None
    ) -> bool:
        """Whether the rule's test (or `applies`) holds of the text or transcript."""
        applies = applies or self.applies
        text = message.get(TEXT) or ""
        if applies(text):
            return True
        heard = encoder_text(message)
        return heard != text and applies(heard)


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False
)
class EmergencyDetector(TranscriptRule):
    """Sets `emergency` for a red flag, whatever intent and confidence were predicted.

    A safety net beside the classifier: an emergency never hangs on a threshold.
    The classifier's own emergency stands too, unless no red flag is read and the
    message tells of the past or a managed condition or asks about a treatment, with
    nothing happening now ("my grandma has well controlled high blood pressure, is
    cupping ok for her", "孩子小时候高热惊厥过一次 现在八岁了"): then the next intent
    of its ranking answers. None of the emergencies the classifier alone caught in three
    batches written apart (44) reads so.
    """

    intent = EMERGENCY_INTENT
    overridden = frozenset()  # see replaces: every other intent

    @classmethod
    def replaces(cls, predicted: str | None) -> bool:
        """Every prediction but `emergency` itself (and a message with none)."""
        return predicted != EMERGENCY_INTENT

    applies = staticmethod(is_red_flag)

    def process(self, messages: List[Message]) -> List[Message]:
        """Sets `emergency` for red flags; withdraws the classifier's misreadings.

        Each message is read by the rules once: another intent for a red flag, the
        classifier's emergency only when it tells of no emergency.
        """
        for message in messages:
            predicted = (message.get(INTENT) or {}).get(INTENT_NAME_KEY)
            if self.replaces(predicted):
                if self._recognises(message):
                    override_intent(message, EMERGENCY_INTENT)
            elif tells_of_no_emergency(
                message.get(TEXT) or ""
            ) and not self._recognises(message):
                withdraw_intent(message, EMERGENCY_INTENT)
        return messages
