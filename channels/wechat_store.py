"""The WeChat channel's shared state: message claims, finished replies, options, token.

In-process by default; in Redis when a URL is configured, so that several server
processes behind one Official Account agree on who answers a message. Values are
small JSON documents, each with a time to live.
"""

from __future__ import annotations

import asyncio
import json
import secrets
import time
from contextlib import asynccontextmanager
from typing import Any, AsyncIterator, Dict, Tuple

# How often a process that does not own a lock or a reply looks again.
POLL_SECONDS = 0.05

_RELEASE = """
if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end
return 0
"""
_RENEW = """
if redis.call('get', KEYS[1]) == ARGV[1] then
    return redis.call('pexpire', KEYS[1], ARGV[2])
end
return 0
"""


class MemoryStore:
    """One process's store (the default)."""

    def __init__(self) -> None:
        """Creates an empty store."""
        self._values: Dict[str, Tuple[float, Any]] = {}

    def _live(self, key: str) -> Any:
        entry = self._values.get(key)
        if entry is None or entry[0] < time.monotonic():
            self._values.pop(key, None)
            return None
        return entry[1]

    async def claim(self, key: str, ttl: float, holder: str = "1") -> bool:
        """Marks `key` as `holder`'s unless it is taken; True for the first caller."""
        # No await between the check and the set: atomic within the event loop.
        if self._live(key) is not None:
            return False
        self._values[key] = (time.monotonic() + ttl, holder)
        return True

    async def renew(self, key: str, holder: str, ttl: float) -> bool:
        """Gives `holder`'s claim on `key` `ttl` more seconds; False if not theirs."""
        if self._live(key) != holder:
            return False
        self._values[key] = (time.monotonic() + ttl, holder)
        return True

    async def put(self, key: str, value: Any, ttl: float) -> None:
        """Stores `value` (JSON-serialisable) for `ttl` seconds."""
        self._values[key] = (time.monotonic() + ttl, json.loads(json.dumps(value)))

    async def get(self, key: str) -> Any:
        """The value stored under `key`, or None."""
        return self._live(key)

    async def release(self, key: str) -> None:
        """Forgets `key` (a claim that may be taken again)."""
        self._values.pop(key, None)

    @asynccontextmanager
    async def lock(self, key: str, ttl: float) -> AsyncIterator[None]:
        """Holds `key` exclusively (one caller at a time)."""
        while not await self.claim(key, ttl):
            await asyncio.sleep(POLL_SECONDS)
        try:
            yield
        finally:
            self._values.pop(key, None)

    async def close(self) -> None:
        """Nothing to close."""


class RedisStore(MemoryStore):
    """The store in Redis, shared by every server process (SET NX + TTL claims)."""

    def __init__(self, url: str, prefix: str = "wechat:") -> None:
        """Connects lazily to the Redis at `url`."""
        import redis.asyncio as redis

        super().__init__()
        self.redis = redis.from_url(url)
        self.prefix = prefix

    async def claim(self, key: str, ttl: float, holder: str = "1") -> bool:
        """Atomically takes `key` (SET NX PX); True for the first caller anywhere."""
        return bool(
            await self.redis.set(self.prefix + key, holder, nx=True, px=_ms(ttl))
        )

    async def renew(self, key: str, holder: str, ttl: float) -> bool:
        """Gives `holder`'s claim on `key` `ttl` more seconds; False if not theirs."""
        return bool(
            await self.redis.eval(_RENEW, 1, self.prefix + key, holder, _ms(ttl))
        )

    async def put(self, key: str, value: Any, ttl: float) -> None:
        """Stores `value` as JSON for `ttl` seconds."""
        await self.redis.set(
            self.prefix + key, json.dumps(value, ensure_ascii=False), px=_ms(ttl)
        )

    async def get(self, key: str) -> Any:
        """The value stored under `key`, or None."""
        raw = await self.redis.get(self.prefix + key)
        return None if raw is None else json.loads(raw)

    async def release(self, key: str) -> None:
        """Forgets `key` (a claim that may be taken again)."""
        await self.redis.delete(self.prefix + key)

    @asynccontextmanager
    async def lock(self, key: str, ttl: float) -> AsyncIterator[None]:
        """Holds `key` exclusively across processes; expires if its holder dies."""
        name, mine = self.prefix + key, secrets.token_hex(8)
        while not await self.redis.set(name, mine, nx=True, px=_ms(ttl)):
            await asyncio.sleep(POLL_SECONDS)
        try:
            yield
        finally:
            # Only our own lock: it may have expired and been taken by another caller.
            await self.redis.eval(_RELEASE, 1, name, mine)

    async def close(self) -> None:
        """Closes the connection pool."""
        await self.redis.close()


def _ms(seconds: float) -> int:
    return max(1, int(seconds * 1000))


def make_store(redis_url: str | None) -> MemoryStore:
    """A Redis store when a URL is configured, else an in-process one."""
    return RedisStore(redis_url) if redis_url else MemoryStore()
