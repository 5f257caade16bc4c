"""Cache of user profiles in Redis; every failure is a miss, so the caller reads MongoDB instead.

An invalidation that fails (Redis unreachable while a profile changes) is owed, not forgotten: Redis
may come back with the old entry still in it (a failover keeps its data), so this process treats that
profile as a miss and deletes the entry as soon as Redis answers again: before its next command, and
from a background task that tries every ``SETTLE_INTERVAL_SECONDS`` meanwhile, so an idle process
settles too. Other processes can read the old entry until then; past ``MAX_OWED`` owed profiles, the
oldest are left to expire within the TTL.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, TypeVar

import orjson
from redis.asyncio import Redis

from app.redis.breaker import COOLDOWN_SECONDS, breaker_for
from app.redis.fallback import REDIS_ERRORS, record_fallback

DEFAULT_TTL_SECONDS = 3600
# The version lets a release that changes the profile's shape ignore entries written by the last one.
KEY_PREFIX = "taskapi:profile:v1:"
MAX_OWED = 10_000
# Redis is retried after an outage's cool-down anyway; the settling task tries no more often than that.
SETTLE_INTERVAL_SECONDS = COOLDOWN_SECONDS

logger = logging.getLogger("app.redis")

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
        # User ids whose entry could not be deleted, oldest first (a dict is an ordered set).
        self._owed: dict[str, None] = {}
        self._settling: asyncio.Task[None] | None = None

    def owed_invalidations(self) -> int:
        return len(self._owed)

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
        if user_id in self._owed:
            return None  # the entry may predate a change this process could not invalidate
        key = profile_key(user_id)
        raw = await self._call("profile_cache_get", "read from the database", lambda r: r.get(key))
        return raw if isinstance(raw, bytes) else None

    async def set(self, user_id: str, profile: Mapping[str, Any]) -> None:
        key, payload, ttl = profile_key(user_id), orjson.dumps(dict(profile)), self._ttl_seconds
        if await self._call("profile_cache_set", "not cached", lambda r: r.set(key, payload, ex=ttl)):
            self._owed.pop(user_id, None)  # the fresh entry replaced whatever was left

    async def invalidate(self, user_id: str) -> None:
        key = profile_key(user_id)
        fallback = "deleted when Redis answers"
        deleted = await self._call("profile_cache_invalidate", fallback, lambda r: r.delete(key))
        if deleted is None and self._redis is not None:
            self._owe(self._redis, user_id)

    async def close(self) -> None:
        """Stop the settling task; what is still owed is left to expire within the TTL."""
        if self._settling is not None:
            self._settling.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._settling

    def _owe(self, client: Redis, user_id: str) -> None:
        self._owed.pop(user_id, None)
        self._owed[user_id] = None
        if len(self._owed) > MAX_OWED:
            dropped = next(iter(self._owed))
            del self._owed[dropped]
            logger.warning("too many owed profile invalidations: the oldest is left to expire")
        if self._settling is None or self._settling.done():
            self._settling = asyncio.create_task(self._settle_in_background(client))

    async def _settle_in_background(self, client: Redis) -> None:
        breaker = breaker_for(client)
        while self._owed:
            await asyncio.sleep(SETTLE_INTERVAL_SECONDS)
            if breaker.should_try() and self._owed:
                await self._settle_owed(client)

    async def _settle_owed(self, client: Redis) -> None:
        owed = list(self._owed)
        try:
            await client.delete(*(profile_key(user_id) for user_id in owed))
        except REDIS_ERRORS as error:
            breaker_for(client).record_failure(error)
            return  # still owed: the next command or the settling task tries again
        breaker_for(client).record_success()
        for user_id in owed:
            self._owed.pop(user_id, None)
        logger.info("owed profile invalidations settled", extra={"profiles": len(owed)})

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
        if self._owed:
            # Before the command, so a fresh entry that a set is about to write is not deleted with the old.
            await self._settle_owed(client)
        try:
            result = await command(client)
        except REDIS_ERRORS as error:
            breaker.record_failure(error)
            record_fallback(operation, fallback, error)
            return None
        breaker.record_success()
        return result
