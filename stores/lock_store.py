"""Rasa's Redis ticket lock, with each step one atomic round trip that does not block.

endpoints.prod.yml: `lock_store: {type: stores.lock_store.AtomicRedisLockStore, url,
port, password, db, key_prefix, socket_timeout}` (the settings of Rasa's `type: redis`).

One conversation is handled by one server at a time: each message takes a ticket, waits
until its ticket is the first unexpired one, and gives it back when the turn is done
(`rasa.core.lock.TicketLock`). Rasa's `RedisLockStore` does each of those steps as a
read, a change in Python and a write (seven blocking round trips per message, which
stop every other conversation on the server while they wait), and two servers taking
a ticket for the same conversation at the same moment can both get the same number.

Here taking and giving back a ticket are each one Lua script, which Redis runs
atomically, sent with the asyncio client: two round trips per message, no lost tickets,
and the server goes on with other turns while Redis answers. The lock is stored in
Rasa's format under Rasa's key, so `get_lock` and every other inherited method read
it as before; it also expires by itself once its last ticket has. A message that waits
checks again every `POLL_SECONDS` (Rasa waits a whole second) and, as in Rasa, fails
with `LockError` when the tickets before it vanished without being given back in time.
"""

from __future__ import annotations

import asyncio
import time
from contextlib import asynccontextmanager
from typing import Any, AsyncIterator, Text

import redis.asyncio
from rasa.core.lock import TicketLock
from rasa.core.lock_store import (
    DEFAULT_SOCKET_TIMEOUT_IN_SECONDS,
    LOCK_LIFETIME,
    LockError,
    RedisLockStore,
)
from rasa.utils.endpoints import EndpointConfig

POLL_SECONDS = 0.05

# Both scripts keep Rasa's TicketLock format: {"conversation_id": ..., "tickets": [
# '{"number": 0, "expires": 1.7e9}', ...]} (each ticket a JSON string), and drop the
# tickets that expired (Rasa: now > expires). The key lives as long as its last ticket.
_LIVE_TICKETS = """
local function live_tickets(now)
  local tickets = {}
  local raw = redis.call('GET', KEYS[1])
  if raw then
    for _, text in ipairs(cjson.decode(raw)['tickets'] or {}) do
      local ticket = cjson.decode(text)
      if ticket['expires'] >= now then table.insert(tickets, ticket) end
    end
  end
  return tickets
end
local function store(tickets, conversation_id, now)
  if #tickets == 0 then
    redis.call('DEL', KEYS[1])
    return
  end
  local texts, last = {}, 0
  for i, ticket in ipairs(tickets) do
    texts[i] = cjson.encode(ticket)
    if ticket['expires'] > last then last = ticket['expires'] end
  end
  local lock = cjson.encode({conversation_id = conversation_id, tickets = texts})
  redis.call('SET', KEYS[1], lock, 'PX', math.max(1, math.ceil((last - now) * 1000)))
end
"""
# ARGV: conversation id, now, lifetime. Returns {ticket, the ticket now served}.
TAKE_TICKET = (
    _LIVE_TICKETS
    + """
local now = tonumber(ARGV[2])
local tickets = live_tickets(now)
local number = 0
if #tickets > 0 then number = tickets[#tickets]['number'] + 1 end
table.insert(tickets, {number = number, expires = now + tonumber(ARGV[3])})
store(tickets, ARGV[1], now)
return {number, tickets[1]['number']}
"""
)
# ARGV: conversation id, now, ticket. Returns the ticket now served, -1 for none.
GIVE_BACK = (
    _LIVE_TICKETS
    + """
local now = tonumber(ARGV[2])
local kept = {}
for _, ticket in ipairs(live_tickets(now)) do
  if ticket['number'] ~= tonumber(ARGV[3]) then table.insert(kept, ticket) end
end
store(kept, ARGV[1], now)
if #kept == 0 then return -1 end
return kept[1]['number']
"""
)
# ARGV: conversation id, now, ticket. Drops expired tickets; the ticket now served,
# or -1 when this ticket expired.
NOW_SERVING = (
    _LIVE_TICKETS
    + """
local now = tonumber(ARGV[2])
local tickets = live_tickets(now)
store(tickets, ARGV[1], now)
for _, ticket in ipairs(tickets) do
  if ticket['number'] == tonumber(ARGV[3]) then return tickets[1]['number'] end
end
return -1
"""
)


class AtomicRedisLockStore(RedisLockStore):
    """Rasa's RedisLockStore; `lock()` takes and gives back tickets atomically."""

    def __init__(
        self, endpoint_config: EndpointConfig | None = None, **settings: Any
    ) -> None:
        """Rasa's settings for `type: redis` (from endpoints.yml, or as keywords)."""
        if endpoint_config is not None:
            settings = {"host": endpoint_config.url, **endpoint_config.kwargs}
        settings.setdefault("host", "localhost")
        super().__init__(**settings)
        # The synchronous client (self.red) still serves the inherited methods and
        # GET /health; turns use this one.
        self.red_async = redis.asyncio.StrictRedis(
            host=settings["host"],
            port=int(settings.get("port", 6379)),
            db=int(settings.get("db", 1)),
            username=settings.get("username"),
            password=settings.get("password") or None,
            ssl=bool(settings.get("use_ssl", False)),
            ssl_certfile=settings.get("ssl_certfile"),
            ssl_keyfile=settings.get("ssl_keyfile"),
            ssl_ca_certs=settings.get("ssl_ca_certs"),
            socket_timeout=float(
                settings.get("socket_timeout", DEFAULT_SOCKET_TIMEOUT_IN_SECONDS)
            ),
        )
        self._take = self.red_async.register_script(TAKE_TICKET)
        self._give_back = self.red_async.register_script(GIVE_BACK)
        self._now_serving = self.red_async.register_script(NOW_SERVING)

    @asynccontextmanager
    async def lock(
        self,
        conversation_id: Text,
        lock_lifetime: float = LOCK_LIFETIME,
        wait_time_in_seconds: float = POLL_SECONDS,
    ) -> AsyncIterator[TicketLock]:
        """Holds the conversation's lock: waits for this message's turn, then yields."""
        key = [self.key_prefix + conversation_id]
        try:
            ticket, serving = await self._take(
                keys=key, args=[conversation_id, time.time(), lock_lifetime]
            )
        except Exception as error:  # Rasa raises LockError for any failure here
            raise LockError(f"Error while acquiring lock. Error:\n{error}") from error
        try:
            while serving != ticket:
                if serving == -1:  # this ticket expired while it waited
                    raise LockError(
                        f"Could not acquire lock for conversation_id "
                        f"'{conversation_id}'."
                    )
                await asyncio.sleep(wait_time_in_seconds)
                serving = await self._now_serving(
                    keys=key, args=[conversation_id, time.time(), ticket]
                )
            yield TicketLock(conversation_id)
        finally:
            await self._give_back(keys=key, args=[conversation_id, time.time(), ticket])
