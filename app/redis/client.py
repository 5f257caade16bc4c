"""The one Redis client of a worker process: short timeouts, a bounded pool, no endless retries."""

from __future__ import annotations

from typing import TYPE_CHECKING

from redis.asyncio import ConnectionPool, Redis
from redis.asyncio.retry import Retry
from redis.backoff import ExponentialWithJitterBackoff

from app.redis.auto_pipeline import AutoPipelinedRedis

if TYPE_CHECKING:
    from app.settings import Settings

# A dead Redis must cost a request milliseconds, not seconds: callers fall back to MongoDB
# or to the per-process limit, so waiting longer buys nothing.
CONNECT_TIMEOUT_SECONDS = 0.25
SOCKET_TIMEOUT_SECONDS = 0.5
# The app's commands all travel on one connection (see auto_pipeline); the pool's bound only matters
# to code that checks connections out itself (an explicit pipeline(), the tests). Past it a checkout
# fails at once rather than waiting: redis-py's BlockingConnectionPool starved its waiters past their
# timeout under 64 concurrent requests (a releasing task re-acquires before any waiter wakes).
MAX_CONNECTIONS = 128
HEALTH_CHECK_INTERVAL_SECONDS = 30
# One quick retry of a failed connect covers a failover; more would only add latency. A command whose
# connection drops is not sent again (an INCR could count twice): it fails and its caller falls back.
RETRIES = 1


def create_redis(settings: Settings) -> Redis | None:
    """Build the client for ``REDIS_URL``, or return None when Redis is not configured.

    Its commands are pipelined automatically (unless REDIS_AUTO_PIPELINING is off): those issued in
    the same turn of the event loop share one round trip.

    Nothing connects here: the first command opens a connection, so the app starts even while
    Redis is down and recovers when it comes back.
    """
    if settings.redis_url is None:
        return None
    pool = ConnectionPool.from_url(
        settings.redis_url.get_secret_value(),
        max_connections=MAX_CONNECTIONS,
        socket_connect_timeout=CONNECT_TIMEOUT_SECONDS,
        socket_timeout=SOCKET_TIMEOUT_SECONDS,
        socket_keepalive=True,
        health_check_interval=HEALTH_CHECK_INTERVAL_SECONDS,
        retry=Retry(ExponentialWithJitterBackoff(cap=0.05, base=0.01), RETRIES),
        client_name="taskapi",
    )
    if not settings.redis_auto_pipelining:
        return Redis.from_pool(pool)
    return AutoPipelinedRedis.from_pool(pool)


async def close_redis(client: Redis | None) -> None:
    """Close the client and its pool; a no-op for None."""
    if client is not None:
        await client.aclose()
