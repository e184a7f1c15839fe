"""Helpers for talking to the running assistant and recognising its replies."""

from __future__ import annotations

import re
import uuid
from typing import List


def sender() -> str:
    """A new conversation."""
    return f"test-{uuid.uuid4().hex}"


def variation(responses: dict, name: str, language: str) -> dict:
    """The English (default) or Chinese variation of a response."""
    for candidate in responses[name]:
        if ("condition" in candidate) == (language == "zh"):
            return candidate
    raise AssertionError(f"{name} has no {language} variation")


def text_of(response_variations: List[dict], language: str) -> str:
    """The text of the English or Chinese variation."""
    return variation({"r": response_variations}, "r", language)["text"]


def matches(text: str, responses: dict, name: str, language: str) -> bool:
    """Whether `text` is the response `name` in `language`, {placeholders} filled."""
    template = variation(responses, name, language)["text"]
    pattern = "".join(
        ".+?" if part.startswith("{") else re.escape(part)
        for part in re.split(r"(\{\w+\})", template)
    )
    return re.fullmatch(pattern, text, re.DOTALL) is not None
