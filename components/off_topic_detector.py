"""Recognises requests full of clinic words that the clinic's assistant does not serve.

"How do I become a certified tuina therapist?", "where can I buy acupuncture needles?",
"acupuncture for my dog", "a good TCM hospital in Hangzhou", "my essay on the history
of TCM": a bag of words sees tuina, acupuncture and TCM and answers with the nearest
FAQ. What makes them off-topic is the request around those words (learning a trade,
doing it oneself, buying, an animal, another city, homework, a job, a diagnosis or a
dose), which a rule reads exactly. Only a FAQ, booking or emergency prediction is
replaced: the clinic's answers to "is your therapist certified?" or "how many sessions
is a course of tuina?" are not what these patterns describe, and a real emergency is
set again by the red-flag rule, which runs after this one (components/red_flags.py).
"""

from __future__ import annotations

import re
from typing import List

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.training_data.message import Message

from components.follow_up import mark
from components.intent_rules import override_intent
from components.red_flags import TranscriptRule, fold

# The mark of a request for a diagnosis or a dose (actions/decline.py reads it).
MEDICAL_ADVICE = "medical_advice"

OFF_TOPIC_INTENT = "out_of_scope"

_TRADE = (
    r"(?:tuina|tui na|massage|acupunctur\w*|acupressure|cupping|tcm|chinese medicine"
    r"|moxibustion|moxa|gua sha|reflexology|herbal medicine|herbalism|bone ?setting)"
)
_TRADE_ZH = r"(?:推拿|按摩|针灸|扎针|拔罐|刮痧|艾灸|点穴|正骨|理疗|中医|手法|穴位)"
_WORKER = (
    r"(?:therapist|masseur|masseuse|acupuncturist|tcm doctor|practitioner|herbalist"
    r"|physiotherapist|chiropractor)"
)
_WORKER_ZH = r"(?:推拿师|针灸师|按摩师|理疗师|康复师|中医师|中医|医生|技师|学徒|实习生)"
_CITY = (
    r"(?:beijing|hangzhou|suzhou|nanjing|guangzhou|shenzhen|chengdu|hong kong|taipei"
    r"|wuhan|xi'?an|tianjin|chongqing|ningbo|london|new york|singapore|tokyo|sydney"
    r"|toronto|vancouver|paris|the uk|the us|the usa|america|canada|australia)"
)
_CITY_ZH = (
    r"(?:北京|杭州|苏州|南京|广州|深圳|成都|香港|台北|武汉|西安|天津|重庆|宁波|无锡"
    r"|长沙|郑州|青岛|厦门|昆明|合肥|济南|大连|沈阳|哈尔滨|美国|英国|日本|新加坡)"
)
_GOODS = (
    r"(?:needles?|oils?|cups?|sets?|kits?|herbs?|chairs?|devices?|machines?|guns?"
    r"|tools?|supplies|products?|books?|massagers?|mats?|patches|plasters|pens?"
    r"|supplements?|moxa(?: sticks?| rolls?)?|tens (?:units?|machines?)|balms?"
    r"|liniments?|boards?|stones?)"
)
_GOODS_ZH = (
    r"(?:针灸针|银针|毫针|(?<!扎)针(?![灸法刺对疗])|精油|按摩油|火罐|罐子|拔罐器|真空罐|药材|按摩椅|按摩枪"
    r"|按摩仪|按摩器|按摩垫|艾灸贴|艾条|艾灸盒|艾灸仪|刮痧板|保健品|膏药|药膏|书|仪器"
    r"|器材|理疗仪|颈椎枕|护腰|腰托|中成药|当归|黄芪|枸杞|人参|阿胶|艾草|艾绒|艾叶)"
)
_DRUG = (
    r"(?:ibuprofen|paracetamol|acetaminophen|aspirin|tylenol|advil|panadol|painkillers?"
    r"|melatonin|antibiotics?|sleeping pills?)"
)
_DRUG_ZH = (
    r"(?:布洛芬|对乙酰氨基酚|扑热息痛|阿司匹林|止痛药|安眠药|褪黑素|抗生素|中成药"
    r"|\w{2,4}丸)"
)

# Medicines a visitor may be taking (a dose changed, or taken with the herbs).
_MEDS = (
    r"(?:medications?|meds|pills|tablets|drugs|insulin|warfarin|metformin"
    r"|statins?|blood thinners?|anti-?depressants?|antibiotics?|amoxicillin"
    r"|birth control(?: pills?)?|contraceptives?|steroids?|thyroid (?:meds|pills"
    r"|medication)|(?:blood pressure|bp|heart|diabetes) (?:pills|meds|medication"
    rf"|tablets)|{_DRUG})"
)
_MEDS_ZH = (
    r"(?:西药|降压药|降糖药|降脂药|抗抑郁药|抗凝药|甲状腺的?药|避孕药|激素|胰岛素|华法林"
    rf"|二甲双胍|他汀|阿莫西林|消炎药|药片|{_DRUG_ZH})"
)
# A diagnosis or a dose: for a doctor or a pharmacist, not the front desk, and not a
# passage of the articles. The assistant says to see a doctor (`asks_medical_advice`).
_MEDICAL_EN = (
    r"what (?:illness|disease|sickness|condition|infection) (?:do|could|might|may) "
    r"i (?:have|have got|be)\b|what (?:illness|disease) (?:is|could) (?:it|this)\b"
    r"|what(?:'s| is) wrong with me\b|diagnose (?:me|my|this)\b"
    # "...eases off by lunch. what do i have?": asked to name the illness.
    r"|what (?:do i have|have i got|could (?:it|this|that) be|might (?:it|this) be)\W*$"
    r"|(?:do i have|have i got|is (?:it|this|that|my [\w ]{1,20}?)"
    r"|(?:tell me|know|sure) (?:if|whether) (?:(?:it|this|that|my [\w ]{1,20}?) is"
    r"|it'?s)"
    r"|could (?:it|this|that) be|am i getting)\b(?:\W+\w+){0,4}?\W+(?:cancer"
    r"|diabetes|covid|tumou?rs?|kidney stones?|appendicitis|an infection|hernia|gout"
    r"|arthritis|shingles|an?aemia|anemia|sciatica|disc herniation"
    r"|(?:herniated|slipped|bulging|prolapsed) discs?)\b"
    r"|\d+ ?(?:mg|milligrams?)\b"
    r"|how (?:many|much) (?:mg|milligrams?|grams?|g|ml|tablets?|pills?|capsules?"
    rf"|doses?|drops?)\b|(?:dosage|dose) (?:of|for)\b|how (?:much|many) (?:\w+ )?"
    rf"{_DRUG}\b|{_DRUG}\W+(?:\w+\W+){{0,5}}?(?:dose|dosage|mg|per day|a day)\b"
    # Two medicines together ("can i take ibuprofen and paracetamol together").
    rf"|{_DRUG}\W+(?:and|with|plus|\+)\W+(?:\w+\W+){{0,2}}?{_DRUG}\b"
    # A prescription: a doctor's to write.
    rf"|(?:prescribe|prescription for)\W+(?:\w+\W+){{0,3}}?{_DRUG}\b"
    # A dose changed or stopped: "should i stop my warfarin", "要不要先停掉阿司匹林".
    rf"|\b(?:stop|stopping|lower|lowering|reduce|reducing|increase|increasing|double"
    rf"|halve|skip|cut down|come off|go off|quit)\W+(?:\w+\W+){{0,2}}?{_MEDS}\b"
    r"|\b(?:half|double|twice) (?:the|my) (?:dose|dosage)\b"
    r"|\bhow many (?:of )?(?:the |my |these |those )?(?:\w+ )?"
    r"(?:pills|tablets|capsules)"
    # An illness to name: "is it eczema or psoriasis?", "是胃炎还是胃溃疡".
    r"|\b(?:is (?:it|this|that)|do i have|have i got|could (?:it|this|that) be)\W+"
    r"(?:an? )?(?:\w+\W+){0,3}?(?:\w+(?:itis|osis|oma|pathy)|eczema|psoriasis"
    r"|gallstones?|gout|carpal tunnel|fracture|(?:liver|nerve|heart) (?:damage"
    r"|disease|problem)|(?:a )?(?:thyroid|heart|liver) problem|torn \w+|a tear)\b"
    r"|\b(?:pls|please) diagnose\b"
    r"|\bwhat(?:'s| is|s) wrong with (?:me|it|my \w+|this)\b"
    r"|\bwhat do you think i (?:have|got)\b"
    # Whether to operate; a scan or a report to read ("can you look at my mri").
    r"|\b(?:(?:do i|if i|will i) need (?:an? )?|should i (?:get|have) (?:an? |the )?)"
    r"(?:surgery|operation)\b"
    r"|\b(?:look at|read|check|interpret|explain) (?:my|this) (?:mri|scan|x-?rays?"
    r"|ct|report|test results?|blood (?:test|work))\b"
)
_MEDICAL_ZH = (
    # 是不是得了, 什么体质, 吃几片.
    r"是不是(?:得了|患了)|是不是有[^，。,.？?]{0,6}?(?:病|症|炎|癌|瘤)|得了什么病"
    r"|是不是[^，。,.？?]{0,4}?(?:间盘突出|坐骨神经痛)"
    r"|(?<![能可])是什么(?:病|毛病)|得了?什么病|什么病(?:引起|导致)的|我是什么体质"
    r"|(?:帮我|给我)(?:看看|看一下|判断|分析|诊断|测测)[^，。,.]{0,8}?(?:体质|什么病)"
    # 帮我判断一下是不是强直性脊柱炎: asked to tell which illness it is.
    r"|(?:帮我|给我|替我)(?:看看|看一下|判断|分析|诊断)(?:一下)?我?"
    r"(?:这|是不是|是什么|有没有|是[^，。,.？?]{1,8}?还是)"
    r"|(?:吃|服|用|喝|煮|放|抓)(?:几|多少)(?:片|粒|颗|克|毫克|丸|袋|包|支)"
    r"|一天(?:最多)?(?:能|可以)?(?:吃|服)几|(?:剂量|用量)(?:是|多少)"
    # 在吃降压药(华法林) 能不能同时喝中药: whether two medicines go together; and
    # whether to change a dose (华法林要不要减量).
    r"|(?:在|正在)(?:吃|服用?)[^，。,.？?\s]{1,8}[^。.？?]{0,12}?(?:同时|一起|一块)"
    r"(?:吃|喝|服用?)|(?:要不要|能不能|可以|需不需要|该不该|用不用)(?:减量|加量|停药)"
    rf"|{_DRUG_ZH}[^，。,.]{{0,10}}?(?:几片|几粒|几颗|多少|剂量|怎么吃|吃几)"
    rf"|开(?:点|些|一些|几片|几粒)?{_DRUG_ZH}"
    rf"|(?:停掉|停了|停用|先停|减掉|减少|加大|加倍)[^，。,.]{{0,4}}?(?:{_MEDS_ZH}|药)"
    rf"|{_MEDS_ZH}[^，。,.]{{0,6}}?(?:停掉|停了|减掉|减量|加量|减半)"
    r"|(?:中药|药)[^，。,.]{0,6}?(?:加量|减量|加倍|减半)"
    # 吃布洛芬400mg 腰还是疼 可以加到多少: a dose raised or lowered, to how much.
    rf"|{_MEDS_ZH}[^。.？?]{{0,30}}?(?:加到|增加到|加大到|减到|减少到)"
    r"(?:多少|几|[一二两三四五六七八九十半\d]+\s*(?:片|粒|颗|毫克|mg))"
    rf"|{_DRUG_ZH}[^，。,.]{{0,6}}?[一二两三四五六七八九十\d]+(?:片|粒|颗)"
    r"|(?:要|该|应该|需要)吃什么药|要不要吃药"
    r"|是[^，。,.？?\s]{1,8}?还是[^，。,.？?\s啊呀吗呢吧]{0,6}?(?:炎|(?<!看)病|症|撕裂|坏了|损伤"
    r"|结石|溃疡|瘤|囊肿|增生|突出|劳损|淋巴结|什么|的问题)"
    r"|是不是(?:得了|有)?[^，。,.？?]{0,6}?(?:痛风|美尼尔|心脏有问题|结石|溃疡)"
    r"|(?:帮我|给我|替我)(?:判断|分析|诊断)一下\s*[?？。!！]*$"
    # 你帮我看看严不严重 要不要手术: how serious it is, whether to operate.
    r"|(?:要不要|需不需要|该不该|用不用|得不得|是不是要)(?:做|动|开)?手术"
    r"|(?:帮我|给我|替我)(?:看看|看一下|瞧瞧|分析)[^，。,.？?]{0,6}?(?:严不严重|严重吗|多严重"
    r"|报告|片子)"
)
_MEDICAL = re.compile(rf"\b(?:{_MEDICAL_EN})|(?=[\u4e00-\u9fff])(?:{_MEDICAL_ZH})")

# English alternatives begin at a word boundary (written once, before them) and
# Chinese ones at a Chinese character: tried at every character, the alternatives
# made a search three times slower (as in components/red_flags.py).
_REQUESTS_EN = (
    # Learning the trade: schools, courses, exams, certificates to get, becoming one.
    rf"(?:become|becoming|train(?:ing)? (?:as|to be)|work as|qualify as)\W+(?:an? )?"
    rf"(?:\w+ ){{0,2}}{_WORKER}"
    r"|(?:get|getting|become|becoming) (?:certified|licensed|qualified|accredited)"
    rf"|learn(?:ing)?\s+(?:(?:how )?to (?:do|give|practi[cs]e|perform) )?"
    rf"(?:(?!about|more|what|why|if|whether)\w+ )?{_TRADE}"
    rf"|(?:study|studying|major in|majoring in) {_TRADE}"
    rf"|{_TRADE}\W+(?:\w+\W+){{0,2}}?(?:courses?|class|classes|schools?|colleges?"
    r"|universit(?:y|ies)|exams?|degrees?|diplomas?|students?|trainees?|apprentice\w*"
    r"|textbooks?|curriculum|training (?:course|program|class)\w*)\b"
    r"|(?:get|getting|obtain|earn|take|taking|pass|passing|sit|apply for|register for"
    r"|sign up for|study for)\W+(?:(?:a|an|my|the)\W+)?(?:\w+\W+){0,2}?(?:certificat\w*"
    r"|licen[cs]e|diploma|qualification|exams?|degree|(?:course|class)(?!\s+of))\b"
    r"|accredited (?:schools?|programs?|courses?|colleges?)"
    r"|quiz me\b|test me on\b|enrol\w*|(?:certificat\w*|diploma|degree) (?:program\w*"
    r"|course)|(?:(?:offer|provide|run)|you (?:do|have|teach|hold)) (?:any )?(?:\w+ )?"
    r"(?:training|courses|classes|workshops)\b"
    r"|train (?:my|our) (?:staff|team|employees)\b"
    r"|(?:my|our) (?:staff|team|employees) trained\b"
    # Doing it oneself: teach me, on my own back, at home, tutorials.
    r"|teach (?:me|us)\b(?!\s+(?:about|what|why|more))"
    r"|show me how to\b|walk me through how\b|tutorials?\b|youtube\b|diy\b"
    r"|do[- ]it[- ]yourself\b|give me (?:\w+ )?instructions\b"
    rf"|(?:do|give|perform|practi[cs]e|apply|use|try)\W+(?:\w+\W+){{0,3}}?{_TRADE}\W+"
    r"(?:\w+\W+){0,4}?(?:on myself|on my own|by myself|at home|on (?:my|his|her) "
    r"(?:wife|husband|partner|kid|child|baby|son|daughter|mum|mom|dad|friend"
    r"|girlfriend|boyfriend))\b"
    rf"|{_TRADE} (?:on|to|for) (?:myself|yourself)\b"
    r"|(?:press|rub|needle|stimulate)\b(?:\W+\w+){0,3}?\W+(?:on )?(?:myself|my own)\b"
    r"|massage (?:on )?(?:myself|my own \w+)\b"
    r"|self[- ](?:massage|acupunctur\w*|acupressure|cupping|tuina|treatment)"
    # Buying or choosing things: needles, oils, cupping sets, herbs, chairs, devices.
    r"|(?:buy|buying|purchase|shop for|recommend)\b"
    rf"(?:\W+\w+){{0,5}}?\W+{_GOODS}\b"
    r"|(?:where|who|shops?|stores?|anyone|anywhere) (?:\w+ ){0,5}?(?:sells?|selling"
    rf"|stocks?)\b(?:\W+\w+){{0,5}}?\W+{_GOODS}\b"
    r"|where (?:can|could|do|should) (?:i|we) (?:get|find|order|source) (?:\w+ ){0,3}?"
    rf"{_GOODS}\b|{_GOODS}\b(?:\W+\w+){{0,4}}?\W+"
    r"(?:buy|purchase)\b|(?:which|what|best|good) brands?\b"
    # Animals.
    # (Not "can I bring my dog?": a question about the clinic.)
    r"|(?<!bring )(?:my|our|for a|for my|for our|for) (?:dog|cat|puppy|kitten|horse|pet"
    r"|rabbit|hamster|bird|parrot"
    r"|animal)s?\b"
    r"|(?:dog|cat|pet|animal|equine|canine|feline|horse)s? (?:acupunctur\w*|massage"
    r"|tuina|chiropractic|physio\w*|rehab\w*|cupping)"
    r"|veterinar\w*|(?:the|a|my|our) vet\b|vet (?:clinic|hospital)s?\b"
    # Homework, essays, research, writing and translating texts.
    r"|(?:homework|essay|thesis|assignment|dissertation|term paper)\b"
    r"|write (?:me |us )?(?:a|an|my)\s+(?:[\w-]+\s+){0,2}?(?:poem|story|song|essay"
    r"|article|blog|speech|paper|haiku|limerick|summary)\b|writing (?:a|my) paper\b"
    r"|(?:my|our) (?:professor|teacher|lecturer|tutor)\b"
    r"|translat\w*\b(?!\s+(?:your|the|that|this|it)?\s*(?:answer|reply|response"
    r"|message|website|page|it)\b)"
    # Recipes, shares, rides: other services entirely.
    r"|recipes?\b|(?:share|stock) prices?\b"
    r"|(?:order|call|book|hail|get) (?:me|us) (?:a |an )?(?:didi|taxi|cab|uber|car"
    r"|ride)\b"
    # Jobs.
    r"|(?:vacanc\w+|hiring|recruit\w*|job openings?|internships?)\b"
    r"|(?:apply|applying) (?:for|to) (?:a |the )?(?:job|position|role|opening)"
    r"|(?:looking for|need|want|find) (?:a )?(?:job|work|position) "
    r"(?:as|at|in|with)\b"
    r"|(?:jobs?|salary|salaries|careers?|openings?|positions?|vacanc\w+) (?:as|for) "
    rf"(?:an? )?(?:\w+ )?{_WORKER}"
    r"|(?:send|email) (?:you )?(?:my|a) (?:cv|resume|résumé)\b|join your team\b"
    rf"|{_MEDICAL_EN}"
)
_REQUESTS_ZH = (
    # Learning the trade: 培训, 考证, 学推拿, 报名条件, 分数线.
    rf"{_TRADE_ZH}.{{0,6}}?(?:培训|学校|课程|学习班|考试|大学|学院)"
    r"|(?:考(?!虑)|报考|怎么考|(?<!推)拿|办|获得|取得)(?:个|一个)?.{0,8}?(?:证书|资格证"
    r"|执照|证照|医师证|师证|执业证)"
    r"|(?:证书|资格证|执照|证照|师证)(?:要|该|应该)?(?:怎么|如何|在哪里?|在哪儿|去哪里?"
    r"|哪里)(?:能|可以)?(?:考|办|拿|报|申请)"
    r"|(?:资格证|证书|执照|证照|考试|培训|师证)[^，。,.]{0,4}?(?:报名|条件|费用|难不难|难吗)"
    r"|报名条件|录取分数|分数线|考研|就业|学费"
    rf"|{_TRADE_ZH}(?:专业|班)|报(?:个|名)?[^，。,.]{{0,4}}?(?:班|课)"
    rf"|(?<![科大中同医化数文])学(?:一下|点|会|习|做)?{_TRADE_ZH}"
    r"|(?:想当|怎么当|成为|做)(?:一名|一个)?(?:推拿师|按摩师|针灸师|理疗师)"
    # Doing it oneself: 教我, 自己在家, 给自己.
    rf"|教(?:我|一下我|给我|我们)[^，。,.]{{0,10}}?{_TRADE_ZH}"
    # (Not "推拿师会教我...": the clinic's therapist advising a patient.)
    rf"|{_TRADE_ZH}(?!师|医生)[^，。,.]{{0,12}}?教(?:给)?(?:我|一下)"
    r"|一步一步(?:教|说|告诉|讲)"
    r"|(?:学|教|自己|在家|回家)[^。]{0,12}?(?:给|帮|替)(?:老公|老婆|妈妈|我妈|爸爸|我爸|孩子"
    r"|家人|朋友|男朋友|女朋友|爱人)[^，。,.]{0,3}?(?:推拿|按摩|按|拔罐|刮痧|扎针|艾灸|点穴)"
    rf"|(?:给|帮|替)自己{_TRADE_ZH}|(?:在家|在家里)(?:自己)?(?:能|可以|能不能|怎么|如何)?"
    rf"(?:给自己)?{_TRADE_ZH}|自己(?:在家|在家里)(?:能|可以|能不能|怎么|如何)?{_TRADE_ZH}"
    rf"|(?:怎么|如何)(?:在家)?自己(?:给自己)?{_TRADE_ZH}"
    r"|视频教程|教程|在家(?:自己)?练"
    # Buying: 买, 哪个牌子, 淘宝.
    rf"|(?:买|购买|网购|淘宝|京东|拼多多|推荐|牌子|品牌|哪里有卖|哪儿有卖)[^，。,.]{{0,10}}?"
    rf"{_GOODS_ZH}|{_GOODS_ZH}[^，。,.]{{0,10}}?(?:哪里买|在哪(?:里|儿)?买|哪里有卖"
    r"|哪个牌子|什么牌子|怎么买|买哪|网上|淘宝|京东)"
    # Animals, homework and texts, recipes, shares, rides.
    r"|狗|猫|宠物|兽医|兔子|仓鼠|鹦鹉"
    r"|作业|论文|毕业设计"
    r"|写(?:一首|一篇|篇|首|个|一个|一段)?[^，。,.]{0,6}?(?:诗|文章|作文|小说|演讲稿)"
    r"|写(?:一篇|篇)[^，。,.]{0,10}?(?:报告|论文|稿)"
    r"|翻译|译成|翻成(?:英文|中文)"
    r"|食谱|菜谱|做法|炖[^，。,.]{0,6}?怎么做|股价|股票"
    r"|(?:帮我|给我|替我)(?:叫|打|约|订)(?:个|辆|一辆)?(?:车|滴滴|出租|的士)"
    r"|(?:叫|约|订|预约)(?:个|辆|一辆)(?:滴滴|出租车|的士|车)(?:去|到)"
    # Jobs: 招聘, 招不招, 简历.
    r"|招聘|招人|应聘|工资|求职|找工作|缺不缺人|缺人"
    r"|(?:去|来|到|在)你们[^，。,.]{0,6}?(?:上班|工作|实习)(?!的|人员|时间)"
    rf"|招(?:不招)?(?:一些|几个|新的?)?{_TRADE_ZH}?{_WORKER_ZH}"
    r"|投简历|简历|工作机会|找实习|实习机会|来实习"
    rf"|{_MEDICAL_ZH}"
)
_REQUESTS = re.compile(rf"\b(?:{_REQUESTS_EN})|(?=[\u4e00-\u9fff])(?:{_REQUESTS_ZH})")
# Another city's hospital or clinic, or another kind of place, unless the visitor asks
# about ours ("do you have a clinic in Beijing?" is a question for the clinic's own
# answer about locations; "do you offer video consultations? I'm in Hangzhou" asks
# what the clinic does).
_ELSEWHERE = re.compile(
    rf"\b(?:(?:in|near) {_CITY}\b|recommend (?:a|another|any|other|some)\s+"
    r"(?:\w+\s+){0,2}?(?:hospital|clinic|spa|massage (?:place|parlou?r|shop)"
    r"|doctor|chiropractor|osteopath|dentist)s?\b)"
    rf"|(?=[\u4e00-\u9fff])(?:{_CITY_ZH}.{{0,8}}?(?:医院|诊所|中医院|推拿|按摩|针灸)"
    r"|(?:推荐|介绍|有没有|哪里有|哪儿有|哪家)[^，。,.]{0,8}?(?:盲人按摩|足疗|足浴|洗脚|会所"
    r"|按摩店|推拿店|养生馆|中医院|医院)|(?:推荐|介绍)[^，。,.]{0,8}?(?:诊所|中医馆))"
)
_OURS = re.compile(
    r"\byour\b|\byou guys\b|\b(?:do|does) you (?:have|open|run|offer|do)\b"
    r"|你们|贵诊所|贵院"
)
# A brand the clinic itself uses, or where its own doctors studied: a question about
# the clinic that its articles may not answer ("做精油按摩用的是什么牌子的精油",
# "你们的中医师是哪个大学毕业的"), not shopping or schooling elsewhere.
_CLINICS_OWN = re.compile(
    r"\b(?:what|which) brands? (?:of (?:\w+ ){1,2})?(?:do|does|did) (?:you|the clinic"
    r"|your \w+) use\b"
    r"|\byour (?:doctors?|therapists?|practitioners?|acupuncturists?|staff)\W+"
    r"(?:\w+\W+){0,4}?(?:schools?|universit(?:y|ies)|colleges?|studied|graduated)\b"
    r"|(?=[\u4e00-\u9fff])(?:用的(?:是)?(?:什么|哪个|哪种|啥)(?:牌子|品牌)"
    r"|你们的?(?:中医师|医生|医师|理疗师|推拿师|按摩师|针灸师|大夫|治疗师|老师)"
    r"[^，。,.]{0,8}?(?:毕业|大学|学院))"
)
# A medicine taken with the herbs: a pharmacist's question (`_takes_with_herbs`).
_HERBS = (
    r"(?:herbs?|herbal \w+|decoctions?|chinese medicines?|tcm (?:medicine|herbs|pills)"
    r"|ginkgo|dang ?gui|ginseng)"
)
_HERBS_ZH = r"(?:中药|草药|汤药|药方|当归|人参|银杏)"
_TOGETHER = re.compile(
    r"\b(?:together|with|at the same time|during|while|alongside|interact\w*"
    r"|interfere\w*|mess with|cancel|space (?:them|it) out|conflict\w*|mix\w*"
    r"|combine\w*|also take|keep (?:taking|drinking))\b"
    r"|一起|同时|一块|隔开|间隔|隔多久|冲突|相冲|有影响|会不会影响|再喝|再吃"
)
_TAKEN_WITH_HERBS = re.compile(
    rf"\b{_MEDS}\b(?:\W+\w+){{0,12}}?\W+{_HERBS}\b|\b{_HERBS}\b(?:\W+\w+){{0,12}}?\W+"
    rf"{_MEDS}\b|{_MEDS_ZH}[^。.？?]{{0,16}}?{_HERBS_ZH}|{_HERBS_ZH}[^。.？?]{{0,16}}?"
    rf"{_MEDS_ZH}"
)


def _takes_with_herbs(text: str) -> bool:
    """Whether a medicine is asked about with the herbs, "together" (`text` folded).

    Two tests in no fixed order, so not one more alternative of `_MEDICAL`.
    """
    return bool(_TAKEN_WITH_HERBS.search(text)) and bool(_TOGETHER.search(text))


# What such a request is taken for: an answer of the clinic's, a booking, or an
# emergency the classifier guessed ("a fever and a sore throat, what illness do I
# have?"); a real one is set again by the red-flag rule, which comes after.
_OVERRIDDEN = frozenset({"faq", "book_appointment", "inform", "emergency"})


def asks_medical_advice(text: str) -> bool:
    """Whether `text` asks for a diagnosis or a dose (also `asks_off_topic`)."""
    text = fold(text)
    return bool(_MEDICAL.search(text)) or _takes_with_herbs(text)


def asks_off_topic(text: str) -> bool:
    """Whether `text` asks for something the clinic's assistant does not do."""
    text = fold(text)
    if _takes_with_herbs(text):
        return True
    if _REQUESTS.search(text):
        return bool(_MEDICAL.search(text)) or not _CLINICS_OWN.search(text)
    return bool(_ELSEWHERE.search(text)) and not _OURS.search(text)


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False
)
class OffTopicDetector(TranscriptRule):
    """Sets `out_of_scope` where clinic words surround a request it can't serve.

    An off-topic request for a diagnosis or a dose is also marked `medical_advice`
    (under `response_selector`, components/follow_up.py): its answer is to see a
    doctor (actions/decline.py).
    """

    intent = OFF_TOPIC_INTENT
    overridden = _OVERRIDDEN
    applies = staticmethod(asks_off_topic)

    def process(self, messages: List[Message]) -> List[Message]:
        """Sets the intent; a request for a diagnosis or a dose, whatever was guessed.

        (The red-flag rule, which comes after, still sets a real emergency.)
        """
        super().process(messages)
        for message in messages:
            if self._recognises(message, asks_medical_advice):
                override_intent(message, self.intent)
                mark(message, MEDICAL_ADVICE, {"asked": True})
        return messages
