"""Cache of user profiles in Redis; every failure is a miss, so the caller reads MongoDB instead."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Any, TypeVar

import orjson
from redis.asyncio import Redis

from app.redis.breaker import breaker_for
from app.redis.fallback import REDIS_ERRORS, record_fallback

DEFAULT_TTL_SECONDS = 3600
# The version lets a release that changes the profile's shape ignore entries written by the last one.
KEY_PREFIX = "taskapi:profile:v1:"

T = TypeVar("T")


def profile_key(user_id: str) -> str:
    return f"{KEY_PREFIX}{user_id}"


class ProfileCache:
    """get -> miss -> read the repository -> set; invalidate whenever the profile changes.

    Store the profile in its JSON form (``model_dump(mode="json")``) so that a hit returns
    exactly what a miss would have answered. With no Redis configured every call is a miss.
    """

    def __init__(self, redis: Redis | None, ttl_seconds: int = DEFAULT_TTL_SECONDS) -> None:
        if ttl_seconds < 1:
            raise ValueError(f"PROFILE_CACHE_TTL_SECONDS must be at least 1, got {ttl_seconds}")
        self._redis = redis
        self._ttl_seconds = ttl_seconds

    async def get(self, user_id: str) -> dict[str, Any] | None:
        raw = await self.get_json(user_id)
        if raw is None:
            return None
        try:
            profile = orjson.loads(raw)
        except orjson.JSONDecodeError:
            return None  # a foreign or truncated entry is a miss; the next set overwrites it
        return profile if isinstance(profile, dict) else None

    async def get_json(self, user_id: str) -> bytes | None:
        """The entry as stored, unparsed: a caller that answers with JSON can validate and send it as is."""
        key = profile_key(user_id)
        raw = await self._call("profile_cache_get", "read from the database", lambda r: r.get(key))
        return raw if isinstance(raw, bytes) else None

    async def set(self, user_id: str, profile: Mapping[str, Any]) -> None:
        key, payload, ttl = profile_key(user_id), orjson.dumps(dict(profile)), self._ttl_seconds
        await self._call("profile_cache_set", "not cached", lambda r: r.set(key, payload, ex=ttl))

    async def invalidate(self, user_id: str) -> None:
        key = profile_key(user_id)
        # If Redis is unreachable now, the entry it still holds expires within the TTL.
        await self._call("profile_cache_invalidate", "entry left to expire", lambda r: r.delete(key))

    async def _call(
        self, operation: str, fallback: str, command: Callable[[Redis], Awaitable[T]]
    ) -> T | None:
        client = self._redis
        if client is None:
            return None
        breaker = breaker_for(client)
        if not breaker.should_try():
            record_fallback(operation, fallback, None)
            return None
        try:
            result = await command(client)
        except REDIS_ERRORS as error:
            breaker.record_failure(error)
            record_fallback(operation, fallback, error)
            return None
        breaker.record_success()
        return result
