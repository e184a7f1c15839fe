"""What the Rasa server serves for the widget, and who may connect (plain HTTP)."""

from __future__ import annotations

import http.client
from urllib.parse import urlsplit

import requests


def test_demo_page_embeds_the_widget_with_the_clinics_snippet(assistant):
    page = requests.get(f"{assistant.url}/webchat/", timeout=10)
    assert page.status_code == 200
    assert page.headers["Content-Type"] == "text/html; charset=utf-8"
    assert page.headers["Cache-Control"] == "no-cache"
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]
    snippet = (
        f'<script src="{assistant.url}/webchat/widget.js" '
        f'data-server="{assistant.url}" defer></script>'
    )
    assert snippet in page.text
    assert '<html lang="en">' in page.text
    chinese = requests.get(f"{assistant.url}/webchat/?lang=zh", timeout=10)
    assert '<html lang="zh-CN">' in chinese.text


def test_widget_is_javascript_cached_briefly_and_revalidated(assistant):
    url = f"{assistant.url}/webchat/widget.js"
    script = requests.get(url, timeout=10)
    assert script.status_code == 200
    assert script.headers["Content-Type"] == "text/javascript; charset=utf-8"
    assert script.headers["Cache-Control"] == "public, max-age=300"
    assert script.headers["X-Content-Type-Options"] == "nosniff"
    assert "window.BodySoulChat" in script.text and "Socket.IO v4.8.4" in script.text
    again = requests.get(
        url, headers={"If-None-Match": script.headers["ETag"]}, timeout=10
    )
    assert again.status_code == 304 and again.content == b""


def test_health_route(assistant):
    assert requests.get(f"{assistant.url}/webchat/health", timeout=10).json() == {
        "status": "ok"
    }


def test_only_the_known_files_are_served(assistant):
    host = urlsplit(assistant.url)
    for path in [
        "/webchat/../credentials.yml",
        "/webchat/%2e%2e/credentials.yml",
        "/webchat/demo.html",
        "/webchat/widget.js/../../endpoints.yml",
        "/webchat/dist/widget.js",
    ]:
        connection = http.client.HTTPConnection(host.hostname, host.port, timeout=10)
        connection.request("GET", path)  # sent as is, not normalised by a client
        answer = connection.getresponse()
        body = answer.read()
        assert answer.status == 404, path
        # Neither a project file (credentials.yml, endpoints.yml) nor the widget.
        assert b"allowed_origins" not in body and b"action_endpoint" not in body
        assert b"BodySoulChat" not in body
        connection.close()


def polling_handshake(assistant, origin: str) -> requests.Response:
    return requests.get(
        f"{assistant.url}/socket.io/",
        params={"EIO": "4", "transport": "polling"},
        headers={"Origin": origin},
        timeout=10,
    )


def test_socket_io_accepts_the_demo_page_and_localhost_by_default(assistant):
    assert polling_handshake(assistant, assistant.url).status_code == 200
    assert polling_handshake(assistant, "http://localhost:8080").status_code == 200


def test_socket_io_refuses_other_origins_by_default(assistant):
    assert polling_handshake(assistant, "https://evil.example").status_code == 400
