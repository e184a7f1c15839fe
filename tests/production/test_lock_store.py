"""The atomic Redis ticket lock on a real Redis: order, exclusion, expiry."""

from __future__ import annotations

import asyncio
import contextvars
import time
from typing import Dict, Iterator, List

import pytest
import redis
from rasa.core.lock_store import LockError, LockStore
from rasa.utils.endpoints import EndpointConfig

from stores.lock_store import TAKE_TICKET, AtomicRedisLockStore
from stores.tracker_store import is_store_outage
from tests.production.conftest import Cache

pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
def cache(tmp_path_factory) -> Iterator[Cache]:
    started = Cache(tmp_path_factory.mktemp("redis"))
    yield started
    started.stop()


def store(cache: Cache, **settings) -> AtomicRedisLockStore:
    """A lock store as endpoints.yml makes it (`type:` this class)."""
    config = {"type": "stores.lock_store.AtomicRedisLockStore", "url": "127.0.0.1"}
    config.update(port=cache.port, db=1, key_prefix="clinic", **settings)
    made = LockStore.create(EndpointConfig.from_dict(config))
    assert isinstance(made, AtomicRedisLockStore)
    return made


def conversation() -> str:
    return f"visitor-{time.monotonic_ns()}"


async def test_a_turn_holds_a_lock_rasa_can_read_and_leaves_nothing(cache):
    locks = store(cache)
    sender = conversation()
    async with locks.lock(sender):
        held = locks.get_lock(sender)  # Rasa's own reader, synchronous client
        assert held is not None and held.now_serving == 0
        assert held.conversation_id == sender
        ttl = locks.red.pttl(locks.key_prefix + sender)
        assert 0 < ttl <= 60_000  # expires with its ticket
    assert locks.get_lock(sender) is None


async def test_messages_of_one_conversation_go_one_at_a_time_in_order(cache):
    servers = [store(cache), store(cache)]  # two servers sharing the Redis
    sender = conversation()
    turn_of: contextvars.ContextVar[int] = contextvars.ContextVar("turn")
    tickets: Dict[int, int] = {}  # turn -> the ticket number Redis gave it
    for server in servers:
        take = server._take

        async def recorded_take(*args, take=take, **kwargs):
            taken = await take(*args, **kwargs)
            tickets[turn_of.get()] = taken[0]
            return taken

        server._take = recorded_take
    inside: List[int] = []
    order: List[int] = []

    async def turn(n: int) -> None:
        turn_of.set(n)
        # Roughly in this order; on a busy machine two may swap, which is fine:
        # what matters is that turns are served in the order of their tickets.
        await asyncio.sleep(n * 0.002)
        async with servers[n % 2].lock(sender):
            inside.append(n)
            assert len(inside) == 1, inside  # nobody else in the turn
            order.append(n)
            await asyncio.sleep(0.01)
            inside.remove(n)

    await asyncio.gather(*(turn(n) for n in range(12)))
    assert sorted(order) == list(range(12))
    assert order == sorted(tickets, key=tickets.get)
    assert servers[0].get_lock(sender) is None


async def test_tickets_taken_at_the_same_moment_are_all_different(cache):
    # Rasa's RedisLockStore reads, changes and writes the lock: two servers taking a
    # ticket at once could both get number 0. Here Redis runs each take atomically.
    servers = [store(cache) for _ in range(4)]
    sender = conversation()
    takes = [
        server._take(keys=[server.key_prefix + sender], args=[sender, time.time(), 60])
        for server in servers
        for _ in range(10)
    ]
    tickets = [ticket for ticket, _ in await asyncio.gather(*takes)]
    assert sorted(tickets) == list(range(40))


async def test_a_ticket_never_given_back_expires_and_the_next_turn_goes_on(cache):
    locks = store(cache)
    sender = conversation()
    key = locks.key_prefix + sender
    crashed = locks.red.register_script(TAKE_TICKET)  # a server that died mid-turn
    assert crashed(keys=[key], args=[sender, time.time(), 0.3]) == [0, 0]
    started = time.monotonic()
    async with locks.lock(sender):
        waited = time.monotonic() - started
    assert 0.2 < waited < 2


async def test_a_turn_whose_own_ticket_expired_while_waiting_fails(cache):
    locks = store(cache)
    sender = conversation()
    slow = locks.lock(sender, lock_lifetime=60)
    await slow.__aenter__()
    try:
        with pytest.raises(LockError):
            async with locks.lock(sender, lock_lifetime=0.2):
                pass
    finally:
        await slow.__aexit__(None, None, None)


async def test_redis_down_is_a_store_outage(tmp_path):
    from scripts.servers import free_port

    locks = AtomicRedisLockStore(host="127.0.0.1", port=free_port(), socket_timeout=1)
    with pytest.raises(LockError) as raised:
        async with locks.lock(conversation()):
            pass
    assert is_store_outage(raised.value)
    with pytest.raises(redis.exceptions.ConnectionError):
        locks.red.ping()
