"""A per-process outage flag shared by everything that uses one Redis client.

After a failure, Redis is skipped for a short cool-down so that requests during an outage answer
from their fallback at once instead of each waiting for a connect timeout; the first request after
the cool-down tries Redis again, which is how service recovers without a restart.
"""

from __future__ import annotations

import time
import weakref

from redis.asyncio import Redis
from redis.exceptions import MaxConnectionsError

COOLDOWN_SECONDS = 1.0


class OutageBreaker:
    def __init__(self, cooldown_seconds: float = COOLDOWN_SECONDS) -> None:
        self._cooldown = cooldown_seconds
        self._skip_until = 0.0

    def should_try(self) -> bool:
        return time.monotonic() >= self._skip_until

    def record_failure(self, error: BaseException) -> None:
        # A full pool means this process is busy, not that Redis is down: only that command falls back.
        if not isinstance(error, MaxConnectionsError):
            self._skip_until = time.monotonic() + self._cooldown

    def record_success(self) -> None:
        self._skip_until = 0.0


_breakers: weakref.WeakKeyDictionary[Redis, OutageBreaker] = weakref.WeakKeyDictionary()


def breaker_for(client: Redis) -> OutageBreaker:
    """The one breaker of ``client``, created on first use and dropped with the client."""
    breaker = _breakers.get(client)
    if breaker is None:
        breaker = _breakers[client] = OutageBreaker()
    return breaker
