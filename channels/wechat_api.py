"""A thin async client of the WeChat API: the access_token and customer-service sends.

wechatpy's own client is synchronous (requests) and would block the Sanic event loop
for the duration of every call, so the two calls this channel needs are made here with
aiohttp. The token is cached in the channel's store (shared between processes with
Redis), fetched by one caller at a time, and fetched again when WeChat says it is
invalid or expired.
"""

from __future__ import annotations

import json
import logging
from typing import Any, Dict

import aiohttp

from channels.wechat_store import MemoryStore

logger = logging.getLogger(__name__)

# invalid credential / access_token expired / invalid access_token
TOKEN_ERRORS = {40001, 42001, 40014}
TOKEN_KEY, TOKEN_LOCK = "token", "token-refresh"
# Refresh this long before WeChat says the token expires (it lasts 7200 s).
TOKEN_MARGIN_SECONDS = 300


class WeChatAPIError(RuntimeError):
    """WeChat answered with an error code."""

    def __init__(self, errcode: int, errmsg: str) -> None:
        """Keeps WeChat's error code and message."""
        super().__init__(f"WeChat API error {errcode}: {errmsg}")
        self.errcode = errcode


class WeChatAPI:
    """access_token (cached, single-flight) and /cgi-bin/message/custom/send."""

    def __init__(
        self, base_url: str, app_id: str, app_secret: str, store: MemoryStore
    ) -> None:
        """A client of the API at `base_url` (https://api.weixin.qq.com)."""
        self.base_url = base_url.rstrip("/")
        self.app_id, self.app_secret, self.store = app_id, app_secret, store

    async def _call(
        self, method: str, path: str, params: Dict[str, str], body: Any = None
    ) -> Dict[str, Any]:
        data = None
        if body is not None:
            # WeChat wants the characters themselves, not \\u escapes.
            data = json.dumps(body, ensure_ascii=False).encode("utf-8")
        timeout = aiohttp.ClientTimeout(total=10)
        async with (
            aiohttp.ClientSession(timeout=timeout) as session,
            session.request(
                method, self.base_url + path, params=params, data=data
            ) as response,
        ):
            response.raise_for_status()
            return await response.json(content_type=None)

    async def access_token(self, stale: str | None = None) -> str:
        """The cached token, or a new one (one caller fetches, the others wait)."""
        cached = await self.store.get(TOKEN_KEY)
        if cached and cached != stale:
            return cached
        async with self.store.lock(TOKEN_LOCK, ttl=15):
            cached = await self.store.get(TOKEN_KEY)
            if cached and cached != stale:
                return cached  # another caller fetched it while we waited
            params = {
                "grant_type": "client_credential",
                "appid": self.app_id,
                "secret": self.app_secret,
            }
            answer = await self._call("GET", "/cgi-bin/token", params)
            if "access_token" not in answer:
                raise WeChatAPIError(
                    answer.get("errcode", -1), answer.get("errmsg", "")
                )
            expires_in = int(answer.get("expires_in", 7200))
            ttl = max(expires_in - TOKEN_MARGIN_SECONDS, expires_in / 2)
            await self.store.put(TOKEN_KEY, answer["access_token"], ttl)
            logger.info("Fetched a WeChat access_token (valid %s s).", expires_in)
            return answer["access_token"]

    async def send_text(self, open_id: str, content: str) -> None:
        """Sends one customer-service text message; refreshes the token once if told."""
        body = {"touser": open_id, "msgtype": "text", "text": {"content": content}}
        stale = None
        for attempt in range(2):
            token = await self.access_token(stale)
            answer = await self._call(
                "POST", "/cgi-bin/message/custom/send", {"access_token": token}, body
            )
            errcode = int(answer.get("errcode", 0))
            if errcode == 0:
                return
            if errcode in TOKEN_ERRORS and attempt == 0:
                logger.info(
                    "WeChat refused the access_token (%s); refreshing.", errcode
                )
                stale = token
                continue
            raise WeChatAPIError(errcode, answer.get("errmsg", ""))
