"""The WeChat API, faked as a real HTTP server on 127.0.0.1 (WECHAT_API_BASE=fake.url).

    GET  /cgi-bin/token?grant_type=client_credential&appid=..&secret=..
    POST /cgi-bin/message/custom/send?access_token=..

It checks the AppID/AppSecret, issues numbered tokens, accepts only the latest one, and
can be told to declare the current token invalid (errcode 40001) once.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Dict, List
from urllib.parse import parse_qs, urlparse


class FakeWeChatAPI:
    """A fake api.weixin.qq.com: token issuing and customer-service sends."""

    def __init__(self, app_id: str, app_secret: str) -> None:
        """Serves on a free port of 127.0.0.1 once started (`with`)."""
        self.app_id, self.app_secret = app_id, app_secret
        self.tokens_issued = 0
        self.valid_token: str | None = None
        self.sent: List[Dict[str, Any]] = []
        self.refused: List[str] = []
        self.lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def _answer(self, body: Dict[str, Any]) -> None:
                data = json.dumps(body, ensure_ascii=False).encode("utf-8")
                self.send_response(200)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:
                url = urlparse(self.path)
                query = {k: v[0] for k, v in parse_qs(url.query).items()}
                if url.path != "/cgi-bin/token":
                    return self._answer({"errcode": 404, "errmsg": "not found"})
                if (query.get("appid"), query.get("secret")) != (
                    fake.app_id,
                    fake.app_secret,
                ) or query.get("grant_type") != "client_credential":
                    return self._answer({"errcode": 40013, "errmsg": "invalid appid"})
                with fake.lock:
                    fake.tokens_issued += 1
                    fake.valid_token = f"token-{fake.tokens_issued}"
                    token = fake.valid_token
                self._answer({"access_token": token, "expires_in": 7200})

            def do_POST(self) -> None:
                url = urlparse(self.path)
                token = parse_qs(url.query).get("access_token", [""])[0]
                length = int(self.headers.get("Content-Length", 0))
                body = json.loads(self.rfile.read(length).decode("utf-8"))
                if url.path != "/cgi-bin/message/custom/send":
                    return self._answer({"errcode": 404, "errmsg": "not found"})
                with fake.lock:
                    if token != fake.valid_token:
                        fake.refused.append(token)
                        return self._answer(
                            {"errcode": 40001, "errmsg": "invalid credential"}
                        )
                    fake.sent.append(body)
                self._answer({"errcode": 0, "errmsg": "ok"})

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def invalidate_token(self) -> None:
        """WeChat forgets the current token (as when another server fetched one)."""
        with self.lock:
            self.valid_token = None

    def __enter__(self) -> FakeWeChatAPI:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.server.shutdown()
        self.server.server_close()
