"""Conversations older than the retention period are deleted, daily, by themselves.

Every Rasa server runs the job in its tracker store (stores/tracker_store.py): once at
start-up, then every `PURGE_EVERY_SECONDS`. Several servers on one database each run
it; a DELETE of rows already deleted deletes nothing, so that is harmless. `make purge`
(`python -m privacy purge`) runs the same deletion on demand.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Callable

import sqlalchemy as sa

from stores.conversations import delete_before

logger = logging.getLogger(__name__)

PURGE_EVERY_SECONDS = 24 * 3600.0
# After a failed run (the database was down): try again sooner than a day.
RETRY_SECONDS = 600.0
DAY_SECONDS = 86400.0


def purge_conversations(
    engine: sa.engine.Engine, days: int, now: float | None = None
) -> int:
    """Deletes every conversation event older than `days` days; returns how many."""
    cutoff = (time.time() if now is None else now) - days * DAY_SECONDS
    with engine.begin() as connection:  # committed at the end, whatever the mode
        deleted = delete_before(connection, cutoff)
    return deleted


class RetentionJob:
    """A daemon thread deleting old conversation events, now and then daily."""

    def __init__(
        self,
        purge: Callable[[], int],
        days: int,
        every_seconds: float = PURGE_EVERY_SECONDS,
    ) -> None:
        """Runs `purge` (which deletes what is older than `days`) every so often."""
        self._purge = purge
        self._days = days
        self._every = every_seconds
        self._stop = threading.Event()
        self._thread = threading.Thread(
            target=self._run, name="conversation-retention", daemon=True
        )

    def start(self) -> RetentionJob:
        """Starts the thread; its first purge runs at once."""
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stops the thread (after a purge in progress ends)."""
        self._stop.set()

    def _run(self) -> None:
        while not self._stop.is_set():
            wait = self._every
            try:
                deleted = self._purge()
            except Exception as error:  # whatever failed, the thread must go on
                logger.warning(
                    "Conversation retention: the purge failed (%s); trying again in "
                    "%.0f min.",
                    type(error).__name__,
                    RETRY_SECONDS / 60,
                )
                wait = min(self._every, RETRY_SECONDS)
            else:
                if deleted:
                    logger.info(
                        "Conversation retention: deleted %d events older than %d days.",
                        deleted,
                        self._days,
                    )
            self._stop.wait(wait)
