from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable

import pytest
from prometheus_client import REGISTRY
from redis.asyncio import Redis

from app.auth import profile_cache as profile_cache_module
from app.auth.profile_cache import DEFAULT_TTL_SECONDS, ProfileCache, profile_key
from app.redis.client import close_redis, create_redis
from app.settings import Settings
from tests.app.redis_server import RedisServer

PROFILE = {"id": "u1", "name": "Ada", "email": "ada@example.com", "createdAt": "2026-01-02T03:04:05.000Z"}


@pytest.fixture
async def cache(app_redis: Redis) -> AsyncIterator[ProfileCache]:
    profiles = ProfileCache(app_redis)
    try:
        yield profiles
    finally:
        await profiles.close()


def fallbacks(operation: str) -> float:
    value = REGISTRY.get_sample_value("taskapi_redis_fallback_total", {"operation": operation})
    return value or 0.0


async def test_a_profile_never_stored_is_a_miss(redis_client: Redis) -> None:
    assert await ProfileCache(redis_client).get("u1") is None


async def test_a_stored_profile_comes_back_unchanged(redis_client: Redis) -> None:
    cache = ProfileCache(redis_client)
    await cache.set("u1", PROFILE)
    assert await cache.get("u1") == PROFILE


async def test_profiles_of_different_users_do_not_mix(redis_client: Redis) -> None:
    cache = ProfileCache(redis_client)
    await cache.set("u1", PROFILE)
    assert await cache.get("u2") is None


async def test_a_stored_profile_expires_after_the_default_hour(redis_client: Redis) -> None:
    await ProfileCache(redis_client).set("u1", PROFILE)
    ttl = await redis_client.ttl(profile_key("u1"))
    assert DEFAULT_TTL_SECONDS == 3600
    assert DEFAULT_TTL_SECONDS - 5 <= ttl <= DEFAULT_TTL_SECONDS


async def test_the_configured_ttl_is_applied(redis_client: Redis) -> None:
    await ProfileCache(redis_client, ttl_seconds=120).set("u1", PROFILE)
    assert 115 <= await redis_client.ttl(profile_key("u1")) <= 120


async def test_an_expired_entry_is_a_miss(redis_client: Redis) -> None:
    cache = ProfileCache(redis_client)
    await cache.set("u1", PROFILE)
    await redis_client.pexpire(profile_key("u1"), 1)
    for _ in range(500):
        if not await redis_client.exists(profile_key("u1")):
            break
        await asyncio.sleep(0.01)
    assert await cache.get("u1") is None


async def test_an_invalidated_profile_is_a_miss(redis_client: Redis) -> None:
    cache = ProfileCache(redis_client)
    await cache.set("u1", PROFILE)
    await cache.invalidate("u1")
    assert await cache.get("u1") is None


async def test_a_corrupt_entry_is_a_miss_not_an_error(redis_client: Redis) -> None:
    await redis_client.set(profile_key("u1"), b"{not json")
    assert await ProfileCache(redis_client).get("u1") is None


def test_a_ttl_below_one_second_is_refused() -> None:
    with pytest.raises(ValueError, match="PROFILE_CACHE_TTL_SECONDS"):
        ProfileCache(None, ttl_seconds=0)


async def test_without_redis_every_call_is_a_quiet_miss() -> None:
    cache = ProfileCache(None)
    before = fallbacks("profile_cache_get")
    await cache.set("u1", PROFILE)
    assert await cache.get("u1") is None
    await cache.invalidate("u1")
    assert fallbacks("profile_cache_get") == before


async def test_with_redis_down_calls_miss_and_every_fallback_is_logged_and_counted(
    redis_server: RedisServer, caplog: pytest.LogCaptureFixture
) -> None:
    client = create_redis(Settings(redis_url=redis_server.url))
    assert client is not None
    cache = ProfileCache(client)
    try:
        await cache.set("u1", PROFILE)
        redis_server.stop()
        operations = ("profile_cache_get", "profile_cache_set", "profile_cache_invalidate")
        counted = {operation: fallbacks(operation) for operation in operations}
        with caplog.at_level(logging.WARNING, logger="app.redis"):
            assert await cache.get("u1") is None
            await cache.set("u1", PROFILE)
            await cache.invalidate("u1")
        for operation, before in counted.items():
            assert fallbacks(operation) == before + 1
        assert tuple(getattr(record, "operation", None) for record in caplog.records) == operations
    finally:
        await cache.close()
        await close_redis(client)


async def test_the_cache_serves_again_once_redis_is_back(redis_server: RedisServer) -> None:
    client = create_redis(Settings(redis_url=redis_server.url))
    assert client is not None
    cache = ProfileCache(client)
    try:
        redis_server.stop()
        assert await cache.get("u1") is None
        redis_server.start()
        # The outage cool-down lets the first calls after a failure skip Redis; wait it out.
        for _ in range(200):
            await cache.set("u1", PROFILE)
            if await cache.get("u1") is not None:
                break
            await asyncio.sleep(0.05)
        assert await cache.get("u1") == PROFILE
    finally:
        await close_redis(client)


async def test_the_redis_password_never_reaches_the_logs(
    redis_server: RedisServer, caplog: pytest.LogCaptureFixture
) -> None:
    password = "s3cret-redis-password-value"
    client = create_redis(Settings(redis_url=f"redis://:{password}@127.0.0.1:{redis_server.port}/0"))
    assert client is not None
    try:
        with caplog.at_level(logging.DEBUG):
            # The server has no password, so AUTH fails: the error path is where a secret could leak.
            assert await ProfileCache(client).get("u1") is None
        assert caplog.records
        assert all(password not in record.getMessage() + str(vars(record)) for record in caplog.records)
    finally:
        await close_redis(client)


async def test_a_burst_of_concurrent_reads_is_served_by_redis_without_fallbacks(
    redis_server: RedisServer,
) -> None:
    client = create_redis(Settings(redis_url=redis_server.url))
    assert client is not None
    cache = ProfileCache(client)
    try:
        await cache.set("u1", PROFILE)
        before = fallbacks("profile_cache_get")

        async def reader() -> list[dict[str, object] | None]:
            return [await cache.get("u1") for _ in range(20)]

        results = await asyncio.gather(*(reader() for _ in range(100)))
        assert all(profile == PROFILE for batch in results for profile in batch)
        assert fallbacks("profile_cache_get") == before
    finally:
        await close_redis(client)


async def cached(redis_server: RedisServer, user_id: str) -> bool:
    """Whether Redis holds the user's entry, asked over a new connection (old ones died with the server)."""
    async with Redis.from_url(redis_server.url) as probe:
        return bool(await probe.exists(profile_key(user_id)))


async def stale_entry_survives_an_outage(cache: ProfileCache, redis_server: RedisServer) -> None:
    """Cache u1, change it while Redis is down; Redis comes back with the old entry, as after a failover."""
    await cache.set("u1", PROFILE)
    async with Redis.from_url(redis_server.url) as probe:
        await probe.save()  # the restarted server loads this snapshot, old entry included
    redis_server.stop()
    await cache.invalidate("u1")
    redis_server.start()
    assert await cached(redis_server, "u1"), "the scenario needs the old entry back in Redis"


async def test_a_profile_whose_invalidation_failed_is_a_miss_after_redis_returns(
    redis_server: RedisServer, cache: ProfileCache
) -> None:
    await stale_entry_survives_an_outage(cache, redis_server)
    assert cache.owed_invalidations() == 1
    assert await cache.get("u1") is None


async def repeat_until_settled(cache: ProfileCache, command: Callable[[], Awaitable[object]]) -> None:
    """Send ``command`` until the cache owes nothing (once the outage cool-down has passed), up to 3 s."""
    for _ in range(300):
        await command()
        if cache.owed_invalidations() == 0:
            return
        await asyncio.sleep(0.01)


async def test_the_owed_invalidation_is_made_once_redis_answers_again(
    redis_server: RedisServer, cache: ProfileCache, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The settling task is held off, so only the command below can settle the debt.
    monkeypatch.setattr(profile_cache_module, "SETTLE_INTERVAL_SECONDS", 3600)
    await stale_entry_survives_an_outage(cache, redis_server)
    # Any command of this process that reaches Redis (here a read of another user) settles the debt,
    # once the outage cool-down has passed.
    await repeat_until_settled(cache, lambda: cache.get("someone-else"))
    assert not await cached(redis_server, "u1")
    assert cache.owed_invalidations() == 0


async def test_an_idle_process_settles_its_owed_invalidation_by_itself(
    redis_server: RedisServer, cache: ProfileCache
) -> None:
    await stale_entry_survives_an_outage(cache, redis_server)
    # This process sends Redis nothing more; its settling task deletes the old entry all the same.
    for _ in range(100):
        if not await cached(redis_server, "u1"):
            break
        await asyncio.sleep(0.05)
    assert not await cached(redis_server, "u1")
    assert cache.owed_invalidations() == 0


async def test_storing_the_fresh_profile_settles_its_owed_invalidation(
    redis_server: RedisServer, cache: ProfileCache
) -> None:
    changed = {**PROFILE, "email": "ada@new.example.com"}
    await stale_entry_survives_an_outage(cache, redis_server)
    await repeat_until_settled(cache, lambda: cache.set("u1", changed))
    assert await cache.get("u1") == changed


async def test_without_redis_nothing_is_owed() -> None:
    cache = ProfileCache(None)
    await cache.invalidate("u1")
    assert cache.owed_invalidations() == 0
