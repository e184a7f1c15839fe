"""Recognises requests full of clinic words that the clinic's assistant does not serve.

"How do I become a certified tuina therapist?", "where can I buy acupuncture needles?",
"acupuncture for my dog", "a good TCM hospital in Hangzhou", "my essay on the history
of TCM": a bag of words sees tuina, acupuncture and TCM and answers with the nearest
FAQ. What makes them off-topic is the request around those words (learning a trade,
buying, an animal, another city, homework, a job), which a rule reads exactly. Only a
FAQ or booking prediction is replaced: the clinic's answers to "is your therapist
certified?" or "how many sessions is a course of tuina?" are not what these patterns
describe.
"""

from __future__ import annotations

import re

from rasa.engine.recipes.default_recipe import DefaultV1Recipe

from components.intent_rules import IntentRule

OFF_TOPIC_INTENT = "out_of_scope"

_TRADE = r"(?:tuina|tui na|massage|acupunctur\w*|cupping|tcm|chinese medicine)"
_WORKER = r"(?:therapist|masseur|masseuse|acupuncturist|tcm doctor|practitioner)"
_CITY = (
    r"(?:beijing|hangzhou|suzhou|nanjing|guangzhou|shenzhen|chengdu|hong kong|"
    r"taipei|wuhan|xi'?an|tianjin|chongqing|ningbo)"
)
_CITY_ZH = r"(?:北京|杭州|苏州|南京|广州|深圳|成都|香港|台北|武汉|西安|天津|重庆|宁波)"
_REQUESTS = re.compile(
    # Learning the trade: courses, exams, becoming a therapist.
    rf"\b(?:become|becoming|train(?:ing)? (?:as|to be)|work as)\W+(?:an? )?"
    rf"(?:\w+ ){{0,2}}{_WORKER}"
    rf"|\blearn(?:ing)? (?:to do|how to do|to give|to practi[cs]e) (?:\w+ )?{_TRADE}"
    rf"|\b(?:study|studying|major in|majoring in) {_TRADE}"
    rf"|\b{_TRADE}\W+(?:\w+\W+){{0,2}}?(?:course|class|classes|school|exam|degree|"
    r"diploma|training (?:course|program|class))\b"
    r"|\b(?:get|getting|obtain|earn)\W+(?:a\W+|my\W+)?(?:certificat\w*|licen[cs]e|"
    r"diploma|qualification)"
    # Buying or choosing things: needles, oils, cupping sets, herbs, chairs, devices.
    r"|\b(?:buy|buying|purchase|order|shop for|sells?|selling|recommend)\b"
    r"(?:\W+\w+){0,5}?\W+(?:needles?|oils?|cups?|sets?|kits?|herbs?|chairs?|"
    r"devices?|machines?|guns?|tools?|supplies|products?|books?)\b"
    r"|\b(?:needles?|oils?|chairs?|guns?|devices?|kits?|sets?)\b(?:\W+\w+){0,4}?\W+"
    r"(?:buy|purchase|order)\b"
    # Animals.
    r"|\b(?:my|our|for a|for my|for our) (?:dog|cat|puppy|kitten|horse|pet)s?\b"
    r"|\bveterinar\w*|\b(?:the|a|my|our) vet\b|\bvet (?:clinic|hospital)s?\b"
    # Homework, essays, research.
    r"|\b(?:homework|essay|thesis|assignment|dissertation|term paper)\b"
    r"|\bhistory of (?:tcm|chinese medicine|acupuncture|tuina|massage)\b"
    # Jobs.
    r"|\b(?:vacanc\w+|hiring|recruit\w*|job openings?|apply for a (?:job|position))\b"
    rf"|\b(?:jobs?|salary|salaries) (?:as|for) (?:an? )?(?:\w+ )?{_WORKER}"
    # Chinese: 培训/考证, 学推拿, 买针/精油/罐, 宠物, 作业/论文, 招聘.
    r"|(?:推拿|按摩|针灸|中医|理疗|拔罐|刮痧).{0,6}?(?:培训|学校|课程|学习班|考试)"
    r"|(?:考|报考|怎么考|(?<!推)拿|办|获得|取得)(?:个|一个)?.{0,4}?(?:证书|资格证|执照)"
    r"|(?:想学|要学|学习|自学|去学|怎么学|学做|学会)(?:一下)?(?:推拿|按摩|针灸|中医|拔罐)"
    r"|(?:想当|怎么当|成为|做)(?:一名|一个)?(?:推拿师|按摩师|针灸师|理疗师)"
    r"|(?:买|购买|卖|网购|淘宝|推荐)(?:.{0,6}?)(?:针灸针|银针|精油|按摩油|火罐|罐子|"
    r"拔罐器|药材|按摩椅|按摩枪|按摩仪|书)"
    r"|狗|猫|宠物|兽医"
    r"|作业|论文|毕业设计|(?:中医|针灸|推拿)(?:的)?(?:历史|起源)"
    r"|招聘|招人|应聘|工资|求职|找工作",
    re.IGNORECASE,
)
# Another city's hospital or clinic, unless the visitor asks about ours ("do you have
# a clinic in Beijing?" is a question for the clinic's own answer about locations).
_ELSEWHERE = re.compile(
    rf"\b(?:in|near) {_CITY}\b|{_CITY_ZH}.{{0,8}}?(?:医院|诊所|中医院|推拿|按摩|针灸)",
    re.IGNORECASE,
)
_OURS = re.compile(
    r"\byour\b|\byou guys\b|\b(?:do|does) you (?:have|open|run)\b|你们|贵诊所|贵院",
    re.IGNORECASE,
)
# What such a request is taken for: an answer of the clinic's, or a booking.
_OVERRIDDEN = frozenset({"faq", "book_appointment", "inform"})


def asks_off_topic(text: str) -> bool:
    """Whether `text` asks for something the clinic's assistant does not do."""
    if _REQUESTS.search(text):
        return True
    return bool(_ELSEWHERE.search(text)) and not _OURS.search(text)


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False
)
class OffTopicDetector(IntentRule):
    """Sets `out_of_scope` where clinic words surround a request it can't serve."""

    intent = OFF_TOPIC_INTENT
    overridden = _OVERRIDDEN
    applies = staticmethod(asks_off_topic)
