"""The privacy notice's text, figures and rendering (privacy/notice.py)."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Dict, List

import pytest

from actions.parsing import CLINICS
from channels.webchat import RETENTION_MARK, with_retention_days
from channels.wechat import welcome_text
from channels.wechat_text import MAX_TEXT_BYTES
from privacy.notice import (
    NOTICE,
    WECHAT_NOTICE_LINE,
    WIDGET_NOTICE,
    WIDGET_NOTICE_LINK,
    NoticeFacts,
    contact_text,
    notice_facts,
    notice_language,
    render_notice_page,
    wechat_notice_line,
)
from privacy.settings import NOTICE_VERSION
from tests.conftest import ROOT

WIDGET_SOURCE = ROOT / "webchat" / "widget.js"
DEFAULTS = NoticeFacts(conversation_days=90, booking_days=30, contact=None)


class _Page(HTMLParser):
    """The text of a page and the tags in it."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: List[str] = []
        self.chunks: List[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.tags.append(tag)

    def handle_data(self, data: str) -> None:
        self.chunks.append(data)


def page_of(lang: str, facts: NoticeFacts = DEFAULTS) -> _Page:
    page = _Page()
    page.feed(render_notice_page(lang, facts))
    return page


def text_of(lang: str, facts: NoticeFacts = DEFAULTS) -> str:
    """The visible text of the rendered page, entities decoded, spaces collapsed."""
    return re.sub(r"\s+", " ", " ".join(page_of(lang, facts).chunks))


# -- both languages ----------------------------------------------------------------


def test_english_notice_says_who_what_how_long_why_who_sees_and_rights():
    text = text_of("en")
    for phrase in [
        "Body & Soul Medical Clinics, Shanghai",
        "is responsible for the personal information",
        "the messages you send and the assistant's replies",
        "for 90 days, then deleted automatically",
        "your name, phone number, the treatment, the clinic, your preferred time, "
        "your note, and the record of your consent",
        "only after you agree in the chat",
        "reception (booking) system",
        "deleted from the assistant 30 days after they reach the clinic",
        "To answer your questions",
        "call you back to arrange your appointment",
        "The clinic's staff",
        "sensitive personal information under China's Personal Information "
        "Protection Law (PIPL)",
        "only with your separate consent",
        "ask for a copy",
        'write "delete my data" (or "删除我的信息")',
        f"Notice version {NOTICE_VERSION}",
    ]:
        assert phrase in text, phrase


def test_chinese_notice_says_the_same_in_chinese():
    text = text_of("zh")
    for phrase in [
        "上海 Body & Soul 医疗诊所",
        "负责处理本助手收集的个人信息",
        "您发送的消息和助手的回复",
        "90 天后自动删除",
        "您的姓名、电话号码、疗法、诊所、希望的时间、备注，以及您的同意记录",
        "只有在您于对话中同意后才会保存",
        "送达诊所 30 天后",
        "回答您关于疗法和诊所的问题",
        "让诊所前台给您回电",
        "诊所的工作人员",
        "《个人信息保护法》规定的敏感个人信息",
        "单独同意",
        "索取一份副本",
        "「删除我的信息」",
        f"声明版本 {NOTICE_VERSION}",
    ]:
        assert phrase in text, phrase
    assert not re.search(r"\b(the|and|you)\b", text.replace("Body & Soul", ""))


def test_both_languages_have_the_same_sections_paragraphs_and_items():
    english, chinese = NOTICE["en"], NOTICE["zh"]
    assert len(english.sections) == len(chinese.sections)
    for en, zh in zip(english.sections, chinese.sections, strict=True):
        assert len(en.paragraphs) == len(zh.paragraphs)
        assert len(en.items) == len(zh.items)
    assert [re.findall(r"{(\w+)}", s.version) for s in (english, chinese)] == [
        ["version", "date"],
        ["version", "date"],
    ]


@pytest.mark.parametrize("lang, html_lang", [("en", "en"), ("zh", "zh-CN")])
def test_page_is_a_whole_document_in_its_language_without_script(lang, html_lang):
    html = render_notice_page(lang, DEFAULTS)
    assert html.startswith("<!doctype html>\n")
    assert f'<html lang="{html_lang}">' in html and '<meta charset="utf-8">' in html
    page = page_of(lang)
    assert "script" not in page.tags and "form" not in page.tags
    assert page.tags.count("h1") == 1 and page.tags.count("h2") == 5
    # Every {field} was filled.
    assert not re.search(r"{\w+}", html)
    # A link to the other language.
    other = "zh" if lang == "en" else "en"
    assert f'href="?lang={other}"' in html


def test_version_and_its_date_are_shown():
    assert NOTICE_VERSION in text_of("en") and NOTICE_VERSION in text_of("zh")
    year, month, day = (int(part) for part in NOTICE_VERSION.split("-"))
    assert f"{year}年{month}月{day}日" in text_of("zh")
    assert re.search(rf"in effect from {day} [A-Z][a-z]+ {year}\.", text_of("en"))


# -- figures and contact from the environment --------------------------------------


def test_retention_days_come_from_the_environment():
    facts = notice_facts(
        {"CONVERSATION_RETENTION_DAYS": "45", "BOOKING_RETENTION_DAYS": "14"}
    )
    assert (facts.conversation_days, facts.booking_days) == (45, 14)
    assert "for 45 days, then deleted" in text_of("en", facts)
    assert "14 days after they reach the clinic" in text_of("en", facts)
    assert "45 天后自动删除" in text_of("zh", facts)
    assert "送达诊所 14 天后" in text_of("zh", facts)


def test_defaults_are_90_and_30_days_and_the_reception_phones():
    assert notice_facts({}) == DEFAULTS


def test_unreadable_booking_settings_fall_back_to_30_days():
    # A webhook without its secret: the relay refuses it, the notice says 30.
    environ = {
        "BOOKING_WEBHOOK_URL": "https://booking.example",
        "BOOKING_RETENTION_DAYS": "7",
    }
    facts = notice_facts(environ)
    assert facts.booking_days == 30


def test_a_bad_conversation_retention_is_an_error_not_a_wrong_notice():
    with pytest.raises(ValueError, match="CONVERSATION_RETENTION_DAYS"):
        notice_facts({"CONVERSATION_RETENTION_DAYS": "ninety"})


def test_contact_is_privacy_contact_when_set():
    facts = notice_facts({"PRIVACY_CONTACT": "privacy@bodysoul.cn, 021 6345 5101"})
    assert "Or contact privacy@bodysoul.cn, 021 6345 5101." in text_of("en", facts)
    assert "您也可以联系：privacy@bodysoul.cn, 021 6345 5101。" in text_of("zh", facts)


def test_contact_is_both_clinics_reception_phones_when_unset():
    english, chinese = text_of("en"), text_of("zh")
    for clinic in CLINICS.values():
        assert f"{clinic.name_en} {clinic.phone_in('en')}" in english
        assert f"{clinic.name_zh} {clinic.phone_in('zh')}" in chinese
    assert "转" in contact_text("zh", DEFAULTS)
    assert "ext." in contact_text("en", DEFAULTS)


def test_interpolated_values_are_escaped():
    attack = '<script>alert(1)</script> "x" & <b onmouseover=y>'
    facts = NoticeFacts(conversation_days=90, booking_days=30, contact=attack)
    for lang in ("en", "zh"):
        html = render_notice_page(lang, facts)
        assert "<script" not in html and "<b " not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt; &quot;x&quot; &amp;" in html
        assert attack in text_of(lang, facts)  # shown as text
    # The notice's own text too ("Body & Soul").
    assert "Body &amp; Soul" in render_notice_page("en", DEFAULTS)


# -- which language ----------------------------------------------------------------


@pytest.mark.parametrize(
    "lang, accept, expected",
    [
        ("zh", "en-US,en", "zh"),
        ("en", "zh-CN,zh", "en"),
        ("fr", "zh-CN", "en"),  # a lang parameter that is not zh: English
        (None, "zh-CN,zh;q=0.9,en;q=0.8", "zh"),
        (None, "en-GB,en;q=0.9,zh;q=0.8", "en"),
        (None, "fr-FR,zh-TW;q=0.5", "zh"),
        (None, "en;q=0.2,zh;q=0.5", "zh"),
        (None, "zh;q=0", "en"),
        (None, "", "en"),
        (None, None, "en"),
    ],
)
def test_language_is_the_parameter_else_the_browsers(lang, accept, expected):
    assert notice_language(lang, accept) == expected


# -- the one-line notices ----------------------------------------------------------


def test_widget_shows_the_same_one_line_notice_in_both_languages():
    source = WIDGET_SOURCE.read_text(encoding="utf-8")
    strings: Dict[str, str] = {}
    for lang in ("en", "zh"):
        block = re.search(rf"\n    {lang}: {{\n(.*?)\n    }},", source, re.DOTALL)
        assert block, f"STRINGS.{lang} not found in widget.js"
        strings = dict(re.findall(r'(\w+): "([^"]*)"', block.group(1)))
        assert strings["notice"] == WIDGET_NOTICE[lang]
        assert strings["noticeLink"] == WIDGET_NOTICE_LINK[lang]
        assert "{days}" in strings["notice"]


def test_served_widget_states_the_configured_retention_days():
    source = WIDGET_SOURCE.read_bytes()
    assert source.count(RETENTION_MARK) == 1
    served = with_retention_days(source, 45)
    assert b"/* CONVERSATION_RETENTION_DAYS */ 45;" in served
    assert RETENTION_MARK not in served
    assert with_retention_days(b"no mark here", 45) == b"no mark here"


def test_wechat_line_gives_the_days_and_how_to_delete_in_both_languages():
    line = wechat_notice_line(
        NoticeFacts(conversation_days=60, booking_days=30, contact=None)
    )
    chinese, english = line.split("\n")
    assert "60 天" in chinese and "删除我的信息" in chinese
    assert "60 days" in english and '"delete my data"' in english
    assert "<" not in line and "{" not in line
    assert WECHAT_NOTICE_LINE.count("{days}") == 2


def test_wechat_welcome_has_the_notice_and_fits_one_message():
    longest = wechat_notice_line(
        NoticeFacts(conversation_days=99999, booking_days=30, contact=None)
    )
    welcome = welcome_text(longest)
    assert longest in welcome and "Welcome" in welcome and "欢迎" in welcome
    assert len(welcome.encode("utf-8")) <= MAX_TEXT_BYTES
