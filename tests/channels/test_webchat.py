"""The webchat channel's pure parts: origins, session ids, credentials."""

from __future__ import annotations

import pytest
from rasa.shared.exceptions import RasaException

from channels.webchat import (
    SocketCounter,
    WebchatInput,
    origin_checker,
    parse_origins,
)


def test_origins_are_read_from_a_comma_or_space_separated_list():
    value = "https://www.bodysoul.cn, https://bodysoul.cn/  http://localhost:8000"
    assert parse_origins(value) == [
        "https://www.bodysoul.cn",
        "https://bodysoul.cn",
        "http://localhost:8000",
    ]
    assert parse_origins("") == [] and parse_origins(None) == []
    assert parse_origins(["https://a.example"]) == ["https://a.example"]


def test_without_configured_origins_only_this_machine_may_connect():
    allowed = origin_checker([])
    assert allowed("http://localhost:5005")
    assert allowed("http://127.0.0.1:41234")
    assert allowed("http://localhost")
    assert not allowed("https://evil.example")
    assert not allowed("http://localhost.evil.example")
    assert not allowed("http://127.0.0.1.evil.example:80")


def test_configured_origins_replace_the_default():
    allowed = origin_checker(["https://www.bodysoul.cn"])
    assert allowed("https://www.bodysoul.cn")
    assert not allowed("http://www.bodysoul.cn")
    assert not allowed("http://localhost:5005")
    assert origin_checker(["*"])("https://anything.example")


def test_clients_without_an_origin_header_are_not_browsers_and_may_connect():
    assert origin_checker([])(None)


def test_channel_is_served_at_webchat_and_always_keeps_sessions():
    channel = WebchatInput.from_credentials({"allowed_origins": "https://a.example"})
    assert channel.url_prefix() == "/webchat"
    assert channel.name() == "webchat"
    assert channel.session_persistence
    assert channel.allowed_origins == ["https://a.example"]


def test_missing_credentials_entry_is_a_clear_error():
    with pytest.raises(RasaException, match="webchat"):
        WebchatInput.from_credentials(None)


def test_open_sockets_are_counted_per_address():
    sockets = SocketCounter(2)
    assert sockets.open("a", "1.1.1.1") and sockets.open("b", "1.1.1.1")
    assert not sockets.open("c", "1.1.1.1")
    assert sockets.open("d", "2.2.2.2")
    sockets.close("a")
    sockets.close("c")  # refused, never counted: closing it changes nothing
    assert sockets.open("e", "1.1.1.1")
    assert not sockets.open("f", "1.1.1.1")
    assert SocketCounter(0).open("g", "1.1.1.1")
