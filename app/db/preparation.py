"""The store's indexes, ensured at startup and then retried until MongoDB answers.

A worker whose MongoDB does not answer at startup (an election, a network policy still propagating,
a cluster still being created on the first deploy) starts anyway: live on /health, not ready on /ready,
so Kubernetes sends it no traffic while it keeps trying with growing pauses. Exiting instead would put
the pod into CrashLoopBackOff, whose restarts back off to five minutes after the database is back.

Until the indexes exist the store is not handed to any route (they answer 503): the unique index on
email is what keeps two accounts from sharing one address, so nothing is written without it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from pymongo.errors import PyMongoError

from app.db.indexes import ensure_indexes
from app.db.store import Store

logger = logging.getLogger(__name__)

FIRST_RETRY_SECONDS = 1.0
MAX_RETRY_SECONDS = 30.0


class StorePreparation:
    def __init__(
        self,
        store: Store,
        first_retry_seconds: float = FIRST_RETRY_SECONDS,
        max_retry_seconds: float = MAX_RETRY_SECONDS,
    ) -> None:
        self._store = store
        self._first_retry = first_retry_seconds
        self._max_retry = max_retry_seconds
        self._retrying: asyncio.Task[None] | None = None
        self._stopping = asyncio.Event()
        self.ready = False

    async def start(self) -> None:
        """Ensure the indexes now; if MongoDB does not answer, keep trying in the background."""
        try:
            await ensure_indexes(self._store)
        except PyMongoError as error:
            logger.error(
                "MongoDB did not answer at startup: check MONGODB_URI and network access to the cluster. "
                "The API is not ready and keeps trying.",
                extra={"error": type(error).__name__, "retryInSeconds": self._first_retry},
            )
            self._retrying = asyncio.create_task(self._retry())
        else:
            self.ready = True

    async def stop(self) -> None:
        """End the retries. Waits at most for one attempt to give up (the store's selection timeout):
        PyMongo's server selection does not always let a cancellation through, so the loop is also told
        to stop and checks between attempts."""
        self._stopping.set()
        if self._retrying is not None:
            self._retrying.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._retrying

    async def _retry(self) -> None:
        pause = self._first_retry
        attempts = 1
        while not await self._stopped_within(pause):
            attempts += 1
            try:
                await ensure_indexes(self._store)
            except PyMongoError as error:
                pause = min(pause * 2, self._max_retry)
                logger.warning(
                    "MongoDB still does not answer: the API stays not ready",
                    extra={"error": type(error).__name__, "attempts": attempts, "retryInSeconds": pause},
                )
            else:
                self.ready = True
                logger.info(
                    "MongoDB answered: indexes ensured, the API is ready", extra={"attempts": attempts}
                )
                return

    async def _stopped_within(self, seconds: float) -> bool:
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(seconds):
                await self._stopping.wait()
        return self._stopping.is_set()
