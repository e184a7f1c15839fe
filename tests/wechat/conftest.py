"""Real servers for the WeChat channel's tests.

- a throwaway Redis on 127.0.0.1 (Debian's redis-server; `make redis` installs it),
- the fake WeChat API (tests/fakes/wechat_api.py),
- two real Rasa servers with the trained model and the channel enabled through
  credentials.yml's WECHAT_* variables: a passive one with an EncodingAESKey and the
  in-process store, and an active one whose reply budget is shorter than any turn,
  with the Redis store and the fake API.
"""

from __future__ import annotations

import base64
import os
import secrets
from typing import Iterator

import pytest

from scripts.servers import Assistant, ServerError
from scripts.services import throwaway_redis
from tests.assistant import started_assistant
from tests.fakes.wechat_api import FakeWeChatAPI
from tests.wechat.client import WeChat

TOKEN = "clinic-token-" + secrets.token_hex(4)
APP_ID = "wx" + secrets.token_hex(8)
APP_SECRET = secrets.token_hex(16)
AES_KEY = base64.b64encode(secrets.token_bytes(32)).decode().rstrip("=")
MENU = "BOOKING=book_appointment,HUMAN=human_handoff"


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory) -> Iterator[str]:
    """A Redis of our own on loopback, no persistence; stopped after the tests."""
    try:
        with throwaway_redis(tmp_path_factory.mktemp("redis")) as url:
            yield url
    except ServerError as error:
        pytest.fail(str(error))


@pytest.fixture(scope="session")
def fake_api() -> Iterator[FakeWeChatAPI]:
    """The WeChat API on loopback."""
    with FakeWeChatAPI(APP_ID, APP_SECRET) as fake:
        yield fake


def _start(tmp_path_factory, name: str, env: dict) -> Iterator[Assistant]:
    base = {
        "WECHAT_TOKEN": TOKEN,
        "WECHAT_APP_ID": APP_ID,
        "WECHAT_APP_SECRET": APP_SECRET,
        "WECHAT_MENU": MENU,
        "WECHAT_TRANSFER_TO_HUMAN": "true",
    }
    with started_assistant(
        tmp_path_factory.mktemp(name), extra_env={**base, **env}
    ) as running:
        yield running


@pytest.fixture(scope="module")
def passive(tmp_path_factory) -> Iterator[Assistant]:
    """A Rasa server whose WeChat channel answers passively, AES key configured."""
    yield from _start(
        tmp_path_factory,
        "passive",
        {"WECHAT_MODE": "passive", "WECHAT_ENCODING_AES_KEY": AES_KEY},
    )


@pytest.fixture(scope="module")
def active(tmp_path_factory, redis_url, fake_api) -> Iterator[Assistant]:
    """A Rasa server in active mode: Redis store, fake API, a budget no turn meets."""
    yield from _start(
        tmp_path_factory,
        "active",
        {
            "WECHAT_MODE": "active",
            "WECHAT_REDIS_URL": redis_url,
            "WECHAT_API_BASE": fake_api.url,
            "WECHAT_REPLY_BUDGET_SECONDS": "0.001",
        },
    )


def webhook(assistant: Assistant) -> str:
    """The channel's webhook on a running server."""
    return f"{assistant.url}/webhooks/wechat/webhook"


@pytest.fixture
def plain(passive) -> WeChat:
    """WeChat posting plaintext messages to the passive server."""
    return WeChat(webhook(passive), TOKEN)


@pytest.fixture
def safe(passive) -> WeChat:
    """WeChat posting AES-encrypted messages (safe mode) to the passive server."""
    return WeChat(webhook(passive), TOKEN, APP_ID, AES_KEY)


def open_id() -> str:
    """A new WeChat user."""
    return "o" + secrets.token_urlsafe(20)


os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
