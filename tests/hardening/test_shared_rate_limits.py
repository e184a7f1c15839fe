"""Rate counts shared by every server process through Redis (GUARD_REDIS_URL)."""

from __future__ import annotations

import asyncio
import uuid

import pytest

from channels.guard import GuardSettings, MessageGuard, SharedRateLimiter, rate_limiter
from scripts.servers import ServerError, free_port
from scripts.services import throwaway_redis


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory):
    """A Redis of our own on loopback."""
    try:
        with throwaway_redis(tmp_path_factory.mktemp("guard-redis")) as url:
            yield url
    except ServerError as error:
        pytest.fail(str(error))


def test_two_processes_share_one_count(redis_url):
    # Two limiters stand for two Rasa servers: together they allow `count` events.
    async def run() -> list:
        first = SharedRateLimiter(redis_url, 3, 60, "test:")
        second = SharedRateLimiter(redis_url, 3, 60, "test:")
        key = uuid.uuid4().hex
        return [await limiter.hit(key) for limiter in (first, second) * 2]

    assert asyncio.run(run()) == [True, True, True, False]


def test_sender_over_the_shared_rate_is_told_to_slow_down(redis_url):
    settings = GuardSettings(sender_rate=(2, 60), redis_url=redis_url)
    servers = [MessageGuard(settings), MessageGuard(settings)]
    assert isinstance(servers[0].senders, SharedRateLimiter)
    sender = uuid.uuid4().hex

    async def run() -> list:
        return [(await guard.check(sender, "hi")).reason for guard in servers * 2]

    assert asyncio.run(run()) == [None, None, "rate_limited", "rate_limited"]


def test_without_redis_each_process_counts_locally():
    # Nothing listens on this port: the limiter still limits, per process.
    url = f"redis://127.0.0.1:{free_port()}/0"
    limiter = rate_limiter(GuardSettings(redis_url=url), (2, 60), "test:")

    async def run() -> list:
        return [await limiter.hit("k") for _ in range(3)]

    assert asyncio.run(run()) == [True, True, False]
