"""The privacy notice: what the assistant keeps about a visitor, why, and for how long.

In full at /webchat/privacy (channels/webchat.py serves `render_notice_page`), and in
one line where a conversation starts: above the widget's input (WIDGET_NOTICE, the
same words as webchat/widget.js's STRINGS) and in WeChat's welcome
(WECHAT_NOTICE_LINE).
Every figure comes from the settings the stores delete by, so the notice cannot say
90 days while the conversations are kept 30. The text is data, one `Notice` per
language; `{name}` fields are filled by `notice_values` and every piece of text is
escaped as it is rendered.
"""

from __future__ import annotations

import datetime as dt
import html
import logging
import os
from dataclasses import dataclass
from typing import Dict, Mapping, Tuple

from actions.parsing import CLINICS
from booking.settings import booking_settings
from privacy.settings import NOTICE_VERSION, privacy_settings

logger = logging.getLogger(__name__)

# booking/settings.py's default, shown when the booking settings cannot be read here.
DEFAULT_BOOKING_RETENTION_DAYS = 30

# What the visitor writes in the chat to have their data deleted.
DELETE_PHRASES = {"en": "delete my data", "zh": "删除我的信息"}

# One line where a conversation starts. `{days}`: the conversation retention days.
# webchat/widget.js has the same strings (tests/privacy checks they agree).
WIDGET_NOTICE = {
    "en": "By chatting you agree that we keep this conversation for {days} days.",
    "zh": "继续对话即表示您同意我们将本次对话保存 {days} 天。",
}
WIDGET_NOTICE_LINK = {"en": "Privacy notice", "zh": "隐私声明"}
# WeChat shows plain text only: both languages, one line each, no link.
WECHAT_NOTICE_LINE = (
    "对话记录保存 {days} 天后自动删除；如需删除您的信息，请发送「删除我的信息」。\n"
    "We keep conversations for {days} days, then delete them automatically; "
    'to have yours deleted, send "delete my data".'
)


@dataclass(frozen=True)
class NoticeFacts:
    """The figures and the contact the notice states, from the settings."""

    conversation_days: int
    booking_days: int
    # PRIVACY_CONTACT; None: the clinics' reception phones.
    contact: str | None


@dataclass(frozen=True)
class Section:
    """One heading of the notice: its paragraphs, then its list (if any)."""

    heading: str
    paragraphs: Tuple[str, ...] = ()
    items: Tuple[str, ...] = ()


@dataclass(frozen=True)
class Notice:
    """The whole notice in one language."""

    html_lang: str
    title: str
    intro: str
    sections: Tuple[Section, ...]
    version: str
    other_language: str  # the link to the notice in the other language


NOTICE: Dict[str, Notice] = {
    "en": Notice(
        html_lang="en",
        title="Privacy notice: the Body & Soul chat assistant",
        intro=(
            "This notice explains what the Body & Soul chat assistant (on our "
            "website and our WeChat Official Account) keeps about you, why, for "
            "how long, who can see it, and how to have it deleted."
        ),
        sections=(
            Section(
                "Who is responsible",
                paragraphs=(
                    "Body & Soul Medical Clinics, Shanghai ({clinics}) is responsible "
                    "for the personal information the assistant collects.",
                ),
            ),
            Section(
                "What we keep, and for how long",
                items=(
                    "The conversation: the messages you send and the assistant's "
                    "replies. They are kept in the assistant's conversation store for "
                    "{conversation_days} days, then deleted automatically.",
                    "The website chat also keeps a copy of the conversation in your "
                    "browser (local storage), so that it is still there when you "
                    "reload the page. It stays there until you clear the site's data "
                    "in your browser.",
                    "On WeChat, the conversation is linked to your WeChat OpenID (the "
                    "identifier WeChat gives our Official Account), not to your name. "
                    "WeChat carries the messages under its own privacy policy.",
                    "Booking and call-back requests: your name, phone number, the "
                    "treatment, the clinic, your preferred time, your note, and the "
                    "record of your consent (when you agreed, to which version of "
                    "this notice). They are kept only after you agree in the chat, "
                    "are sent to the clinic's reception (booking) system, and are "
                    "deleted from the assistant {booking_days} days after they reach "
                    "the clinic.",
                    "Our servers' logs never contain your name or phone number in "
                    "full.",
                ),
            ),
            Section(
                "Why",
                items=(
                    "To answer your questions about our treatments and clinics.",
                    "To let our reception call you back to arrange your appointment.",
                    "To improve the assistant: our staff read the messages it did "
                    "not understand.",
                ),
            ),
            Section(
                "Who can see it",
                paragraphs=(
                    "The clinic's staff: reception, to arrange your appointment, and "
                    "the staff who look after the assistant. We do not sell it or "
                    "give it to anyone outside the clinic.",
                    "Health information (symptoms, conditions, treatments) is "
                    "sensitive personal information under China's Personal "
                    "Information Protection Law (PIPL). The clinic processes it only "
                    "with your separate consent, which the assistant asks for before "
                    "it sends a booking or call-back request. Please write only what "
                    "your question needs.",
                ),
            ),
            Section(
                "Your rights",
                paragraphs=(
                    "You can ask what we keep about you, ask for a copy, or ask us to "
                    "delete it. You can also withdraw your consent at any time; this "
                    "does not affect what was done before.",
                    'To have it deleted, write "{delete_en}" (or "{delete_zh}") in '
                    "the chat.",
                    "Or contact {contact}.",
                ),
            ),
        ),
        version="Notice version {version}, in effect from {date}.",
        other_language="中文",
    ),
    "zh": Notice(
        html_lang="zh-CN",
        title="隐私声明：Body & Soul 聊天助手",
        intro=(
            "本声明说明 Body & Soul 聊天助手（在我们的网站和微信公众号上）会保存您的"
            "哪些信息、为什么保存、保存多久、谁可以查看，以及如何删除。"
        ),
        sections=(
            Section(
                "负责方",
                paragraphs=(
                    "上海 Body & Soul 医疗诊所（{clinics}）负责处理本助手收集的"
                    "个人信息。",
                ),
            ),
            Section(
                "我们保存什么、保存多久",
                items=(
                    "对话内容：您发送的消息和助手的回复。它们保存在助手的对话记录库中，"
                    "{conversation_days} 天后自动删除。",
                    "网站聊天窗口还会在您的浏览器中（本地存储）保存一份对话副本，以便"
                    "刷新页面后仍能看到。在您清除浏览器中该网站的数据之前，它会一直保留。",
                    "在微信上，对话与您的微信 OpenID（微信为我们的公众号提供的标识）"
                    "关联，而不是与您的姓名关联。微信依据其自身的隐私政策传递消息。",
                    "预约和回电请求：您的姓名、电话号码、疗法、诊所、希望的时间、备注，"
                    "以及您的同意记录（同意的时间、对应的本声明版本）。只有在您于对话中"
                    "同意后才会保存，并发送到诊所的前台（预约）系统；送达诊所 "
                    "{booking_days} 天后，助手会删除其保存的副本。",
                    "我们服务器的日志中绝不会出现您完整的姓名或电话号码。",
                ),
            ),
            Section(
                "为什么保存",
                items=(
                    "回答您关于疗法和诊所的问题。",
                    "让诊所前台给您回电，安排预约。",
                    "改进助手：诊所工作人员会查看助手没有理解的消息。",
                ),
            ),
            Section(
                "谁可以查看",
                paragraphs=(
                    "诊所的工作人员：前台（为您安排预约）以及负责维护助手的工作人员。"
                    "我们不会出售这些信息，也不会将其提供给诊所以外的任何人。",
                    "健康信息（症状、身体状况、治疗）属于中国《个人信息保护法》规定的"
                    "敏感个人信息。诊所只有在取得您的单独同意后才会处理这些信息；助手在"
                    "发送预约或回电请求之前会征求您的同意。请只写下您的问题所需要的信息。",
                ),
            ),
            Section(
                "您的权利",
                paragraphs=(
                    "您可以询问我们保存了您的哪些信息、索取一份副本，或要求我们删除。"
                    "您也可以随时撤回同意；撤回不影响此前已进行的处理。",
                    "如需删除，在对话中发送「{delete_zh}」（或“{delete_en}”）即可。",
                    "您也可以联系：{contact}。",
                ),
            ),
        ),
        version="声明版本 {version}，自{date}起生效。",
        other_language="English",
    ),
}

PAGE_CSS = """
body { margin: 0; font-family: system-ui, -apple-system, "Segoe UI", "PingFang SC",
  "Microsoft YaHei", sans-serif; color: #1b1b1b; background: #fbfaf7;
  line-height: 1.6; }
header { background: #1d5c47; color: #fff; padding: 14px 20px; display: flex;
  flex-wrap: wrap; align-items: center; gap: 12px; }
header p { margin: 0; flex: 1; font-weight: 700; }
header a { color: #fff; }
main { max-width: 760px; margin: 0 auto; padding: 20px; }
h1 { font-size: 24px; line-height: 1.3; color: #1d5c47; }
h2 { font-size: 18px; margin-top: 28px; color: #1d5c47; }
li { margin-bottom: 8px; }
.version { margin-top: 32px; font-size: 14px; color: #4a4a4a; }
"""


def notice_facts(environ: Mapping[str, str] = os.environ) -> NoticeFacts:
    """Reads the figures from the settings; raises ValueError on a bad privacy one."""
    privacy = privacy_settings(environ)
    try:
        booking_days = booking_settings(environ).retention_days
    except ValueError as error:
        # The relay refuses to start on these settings; the notice still says the
        # default rather than nothing.
        logger.warning(f"Privacy notice: booking settings unreadable ({error}).")
        booking_days = DEFAULT_BOOKING_RETENTION_DAYS
    return NoticeFacts(
        conversation_days=privacy.conversation_retention_days,
        booking_days=booking_days,
        contact=privacy.contact,
    )


def notice_language(lang: str | None, accept_language: str | None) -> str:
    """Returns "zh" or "en": `lang` if given, else the browser's preference."""
    if lang is not None:
        return "zh" if lang.strip().lower().startswith("zh") else "en"
    ranked = []
    for position, item in enumerate((accept_language or "").split(",")):
        tag, _, params = item.strip().partition(";")
        quality = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        primary = tag.strip().lower().split("-")[0]
        if primary in ("zh", "en") and quality > 0:
            ranked.append((-quality, position, primary))
    return min(ranked)[2] if ranked else "en"


def contact_text(lang: str, facts: NoticeFacts) -> str:
    """Whom to contact about one's data: PRIVACY_CONTACT, or the reception phones."""
    if facts.contact:
        return facts.contact
    if lang == "zh":
        phones = "；".join(f"{c.name_zh} {c.phone_in('zh')}" for c in CLINICS.values())
        return f"任一诊所的前台，{phones}"
    phones = "; ".join(f"{c.name_en} {c.phone_in('en')}" for c in CLINICS.values())
    return f"the reception of either clinic: {phones}"


def _date_text(lang: str, version: str) -> str:
    # NOTICE_VERSION is the date the notice took effect (YYYY-MM-DD).
    try:
        date = dt.date.fromisoformat(version)
    except ValueError:
        return version
    if lang == "zh":
        return f"{date.year}年{date.month}月{date.day}日"
    return f"{date.day} {date:%B} {date.year}"


def notice_values(lang: str, facts: NoticeFacts) -> Dict[str, str]:
    """The `{name}` fields of the notice's text in `lang`."""
    if lang == "zh":
        clinics = "；".join(f"{c.name_zh}：{c.address_zh}" for c in CLINICS.values())
    else:
        clinics = "; ".join(f"{c.name_en}, {c.address_en}" for c in CLINICS.values())
    return {
        "clinics": clinics,
        "conversation_days": str(facts.conversation_days),
        "booking_days": str(facts.booking_days),
        "contact": contact_text(lang, facts),
        "delete_en": DELETE_PHRASES["en"],
        "delete_zh": DELETE_PHRASES["zh"],
        "version": NOTICE_VERSION,
        "date": _date_text(lang, NOTICE_VERSION),
    }


def render_notice_page(lang: str, facts: NoticeFacts) -> str:
    """The notice as a whole HTML page in `lang` ("en" or "zh"), with no script."""
    lang = "zh" if lang == "zh" else "en"
    notice = NOTICE[lang]
    values = notice_values(lang, facts)

    def text(template: str) -> str:
        # Filled first, then escaped: the data and the values alike.
        return html.escape(template.format(**values), quote=True)

    other = "en" if lang == "zh" else "zh"
    parts = [
        "<!doctype html>",
        f'<html lang="{notice.html_lang}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<link rel="icon" href="data:,">',
        f"<title>{text(notice.title)}</title>",
        f"<style>{PAGE_CSS}</style>",
        "</head>",
        "<body>",
        "<header>",
        "<p>Body &amp; Soul Medical Clinics</p>",
        f'<a href="?lang={other}" lang="{NOTICE[other].html_lang}">'
        f"{text(notice.other_language)}</a>",
        "</header>",
        "<main>",
        f"<h1>{text(notice.title)}</h1>",
        f"<p>{text(notice.intro)}</p>",
    ]
    for section in notice.sections:
        parts.append(f"<h2>{text(section.heading)}</h2>")
        parts.extend(f"<p>{text(paragraph)}</p>" for paragraph in section.paragraphs)
        if section.items:
            parts.append("<ul>")
            parts.extend(f"<li>{text(item)}</li>" for item in section.items)
            parts.append("</ul>")
    parts += [
        f'<p class="version">{text(notice.version)}</p>',
        "</main>",
        "</body>",
        "</html>",
    ]
    return "\n".join(parts) + "\n"


def wechat_notice_line(facts: NoticeFacts) -> str:
    """WECHAT_NOTICE_LINE with the conversation retention days."""
    return WECHAT_NOTICE_LINE.format(days=facts.conversation_days)
