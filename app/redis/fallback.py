"""What a Redis failure is, and the log line and counter that each fallback from it leaves."""

from __future__ import annotations

import logging

from prometheus_client import Counter
from redis.exceptions import RedisError

logger = logging.getLogger("app.redis")

# redis-py wraps most socket trouble in RedisError; OSError covers the rest (TimeoutError included).
REDIS_ERRORS: tuple[type[BaseException], ...] = (RedisError, OSError)

REDIS_FALLBACKS = Counter(
    "taskapi_redis_fallback_total",
    "Redis operations that failed or were skipped during an outage, by operation.",
    ["operation"],
)


def record_fallback(operation: str, fallback: str, error: BaseException | None) -> None:
    """Count and log one fallback; ``error`` is None when an ongoing outage made us skip Redis."""
    REDIS_FALLBACKS.labels(operation=operation).inc()
    # The error's text names host and port at most; the URL (which may hold a password) is never logged.
    logger.warning(
        "redis unavailable, falling back",
        extra={
            "operation": operation,
            "fallback": fallback,
            "error": type(error).__name__ if error else "outage in progress",
            "detail": str(error)[:200] if error else "",
        },
    )
