"""Pure text helpers of the WeChat channel: numbered options, picking one, splitting.

WeChat shows plain text: buttons become numbered options, and the user answers with
the number or the option's text. One text message holds at most 2048 bytes.
"""

from __future__ import annotations

import html
from typing import Any, Dict, List, Tuple
from urllib.parse import quote

MAX_TEXT_BYTES = 2048

Option = Dict[str, str]  # {"title": ..., "payload": ...}


def collect(
    messages: List[Dict[str, Any]], links: bool = False
) -> Tuple[str, List[Option]]:
    """One turn's bot messages as one text, and the options its buttons offer.

    With `links`, options are `weixin://bizmsgmenu` links (customer-service messages
    only): tapping one sends its title, which `pick` maps back to the payload.
    """
    parts: List[str] = []
    options: List[Option] = []
    for message in messages:
        lines = [message["text"]] if message.get("text") else []
        if message.get("image"):
            lines.append(str(message["image"]))
        for button in message.get("buttons") or []:
            title = str(button.get("title", "")).strip()
            payload = str(button.get("payload") or title)
            options.append({"title": title, "payload": payload})
            number = len(options)
            if links:
                href = (
                    f"weixin://bizmsgmenu?msgmenucontent={quote(title)}"
                    f"&msgmenuid={number}"
                )
                lines.append(f'{number}. <a href="{html.escape(href)}">{title}</a>')
            else:
                lines.append(f"{number}. {title}")
        if lines:
            parts.append("\n".join(lines))
    return "\n\n".join(parts), options


def pick(text: str, options: List[Option]) -> str:
    """The payload of the option `text` names (its number or title), else `text`."""
    answer = text.strip().rstrip(".。")
    # Full-width digits from Chinese keyboards count too.
    answer = answer.translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    if answer.isdigit() and 1 <= int(answer) <= len(options):
        return options[int(answer) - 1]["payload"]
    for option in options:
        if option["title"] and answer.casefold() == option["title"].casefold():
            return option["payload"]
    return text


def split(text: str, limit: int = MAX_TEXT_BYTES) -> List[str]:
    """Splits `text` into pieces of at most `limit` UTF-8 bytes.

    Prefers a line break, then a space, and never cuts a character in two.
    """
    pieces: List[str] = []
    rest = text
    while len(rest.encode("utf-8")) > limit:
        # The longest prefix that fits, in whole characters.
        cut = len(rest.encode("utf-8")[:limit].decode("utf-8", errors="ignore"))
        head = rest[:cut]
        for separator in ("\n\n", "\n", " "):
            at = head.rfind(separator)
            if at > cut // 2:
                cut = at + len(separator)
                break
        pieces.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip("\n")
    if rest.strip() or not pieces:
        pieces.append(rest)
    return pieces
