"""`GET /health` on the Rasa server: can it hold a conversation right now.

Registered in credentials.yml as `channels.health.HealthInput` (a channel only so that
Rasa mounts its route; it takes no messages). Public: load balancers and orchestrators
call it without a token (channels/http_guard.py OPEN_ROUTES).

- 200 `{"status": "ok", "checks": {...}}` when the model is loaded and the tracker
  store and the lock store answer;
- 503 `{"status": "unavailable", "checks": {...}}` otherwise. Each check is "ok" or
  "unavailable"; why is in the server's log, never in the body.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any, Awaitable, Callable, Dict, Set, Text

import sqlalchemy as sa
from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.core.lock_store import InMemoryLockStore, RedisLockStore
from rasa.core.tracker_store import InMemoryTrackerStore
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

logger = logging.getLogger(__name__)

# Each check gives up after this long: a health check must answer quickly.
CHECK_TIMEOUT_SECONDS = 4.0
OK, UNAVAILABLE = "ok", "unavailable"
# The lock store's outage is logged once, when a check first finds it (and its end).
_lock_store_down: Set[int] = set()


def _unwrapped(store: Any) -> Any:
    # Rasa's FailSafeTrackerStore and AwaitableTrackerStore keep the real store here.
    while hasattr(store, "_tracker_store"):
        store = store._tracker_store
    return store


async def _in_thread(check: Callable[[], Any]) -> None:
    # The stores' clients are blocking: keep them off the event loop.
    await asyncio.wait_for(asyncio.to_thread(check), CHECK_TIMEOUT_SECONDS)


def _select_one(engine: Any) -> None:
    with engine.connect() as connection:
        connection.execute(sa.text("SELECT 1"))


async def tracker_store_ok(tracker_store: Any) -> bool:
    """True when the agent's tracker store answers."""
    store = _unwrapped(tracker_store)
    if store is None:
        return False
    ping = getattr(store, "ping", None)
    if ping is not None:  # stores.tracker_store.StrictSQLTrackerStore
        return bool(await ping())
    if isinstance(store, InMemoryTrackerStore):
        return True
    engine = getattr(store, "engine", None)
    if engine is None:
        return True  # a store this check does not know how to ask
    try:
        await _in_thread(lambda: _select_one(engine))
    except Exception:
        logger.exception("Health: the tracker store did not answer.")
        return False
    return True


async def lock_store_ok(lock_store: Any) -> bool:
    """True when the agent's lock store answers (Redis PING; in-memory always)."""
    if lock_store is None or isinstance(lock_store, InMemoryLockStore):
        return True
    if not isinstance(lock_store, RedisLockStore):
        return True
    try:
        await _in_thread(lock_store.red.ping)
    except Exception as error:
        if not _lock_store_down:
            logger.error(
                "LOCK STORE UNAVAILABLE (Redis, %s): messages cannot be processed.",
                type(error).__name__,
            )
        _lock_store_down.add(id(lock_store))
        return False
    if _lock_store_down:
        logger.warning("The Redis lock store is available again.")
        _lock_store_down.clear()
    return True


async def checks(agent: Any) -> Dict[str, str]:
    """Each part's state, "ok" or "unavailable"."""
    model = agent is not None and agent.is_ready()
    tracker = agent is not None and await tracker_store_ok(agent.tracker_store)
    lock = agent is not None and await lock_store_ok(agent.lock_store)
    return {
        "model": OK if model else UNAVAILABLE,
        "tracker_store": OK if tracker else UNAVAILABLE,
        "lock_store": OK if lock else UNAVAILABLE,
    }


class HealthInput(InputChannel):
    """Serves GET /health; takes no messages."""

    @classmethod
    def name(cls) -> Text:
        """The channel's name."""
        return "health"

    def url_prefix(self) -> Text:
        """At the server's root: Rasa mounts it at urljoin("/webhooks/", "/") = "/"."""
        return "/"

    def blueprint(
        self, on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> Blueprint:
        """One route, /health."""
        health = Blueprint("server_health", __name__)

        @health.route("/health", methods=["GET", "HEAD"])
        async def state(request: Request) -> HTTPResponse:
            found = await checks(getattr(request.app.ctx, "agent", None))
            if all(value == OK for value in found.values()):
                return response.json({"status": "ok", "checks": found})
            return response.json(
                {"status": "unavailable", "checks": found},
                status=503,
                headers={"Cache-Control": "no-store"},
            )

        return health
