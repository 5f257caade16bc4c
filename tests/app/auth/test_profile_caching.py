"""The profile route reads through the Redis cache and every profile change invalidates it."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import orjson
import pytest
from asgi_lifespan import LifespanManager
from fastapi import FastAPI
from redis.asyncio import Redis

from app.auth.profile_cache import profile_key
from app.main import create_app
from tests.app.taskapi_testing import Account, make_settings

pytestmark = pytest.mark.redis


@pytest.fixture
async def cached_app(redis_url: str) -> AsyncIterator[FastAPI]:
    application = create_app(make_settings(redis_url=redis_url))
    async with LifespanManager(application):
        yield application


@pytest.fixture
async def cached_client(cached_app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=cached_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield http


@pytest.fixture
async def redis(redis_url: str) -> AsyncIterator[Redis]:
    client = Redis.from_url(redis_url)
    try:
        yield client
    finally:
        await client.aclose()


async def _account(client: httpx.AsyncClient) -> Account:
    body = {"name": "Cached", "email": "cached@example.com", "password": "secret1"}
    signed_up = (await client.post("/api/auth/signup", json=body)).json()
    return Account(signed_up["user"]["id"], body["email"], body["password"], signed_up["token"])


async def test_a_profile_read_fills_the_cache_with_a_ttl(
    cached_client: httpx.AsyncClient, redis: Redis
) -> None:
    account = await _account(cached_client)
    response = await cached_client.get("/api/auth/profile", headers=account.headers)
    cached = await redis.get(profile_key(account.id))
    assert cached is not None
    assert orjson.loads(cached) == response.json()
    assert 0 < await redis.ttl(profile_key(account.id)) <= 3600


async def test_a_cached_profile_is_served_from_redis(cached_client: httpx.AsyncClient, redis: Redis) -> None:
    account = await _account(cached_client)
    first = (await cached_client.get("/api/auth/profile", headers=account.headers)).json()
    # Rewrite the entry: if the next answer shows it, the route read the cache rather than the store.
    await redis.set(profile_key(account.id), orjson.dumps({**first, "name": "From Cache"}), ex=60)
    second = await cached_client.get("/api/auth/profile", headers=account.headers)
    assert second.json()["name"] == "From Cache"


async def test_changing_the_profile_invalidates_the_cached_entry(
    cached_client: httpx.AsyncClient, redis: Redis
) -> None:
    account = await _account(cached_client)
    await cached_client.get("/api/auth/profile", headers=account.headers)
    await cached_client.put("/api/auth/profile", json={"name": "Renamed"}, headers=account.headers)
    assert await redis.exists(profile_key(account.id)) == 0
    fresh = await cached_client.get("/api/auth/profile", headers=account.headers)
    assert fresh.json()["name"] == "Renamed"


async def test_a_cache_hit_answers_the_very_bytes_of_the_miss_before_it(
    cached_client: httpx.AsyncClient, redis: Redis
) -> None:
    body = {"name": 'Zoë "Q" \\ 日本 🎉', "email": "zoe@example.com", "password": "secret1"}
    signed_up = (await cached_client.post("/api/auth/signup", json=body)).json()
    headers = {"Authorization": f"Bearer {signed_up['token']}"}
    miss = await cached_client.get("/api/auth/profile", headers=headers)
    assert await redis.exists(profile_key(signed_up["user"]["id"])) == 1
    hit = await cached_client.get("/api/auth/profile", headers=headers)
    assert hit.content == miss.content
    assert hit.headers["Content-Type"] == miss.headers["Content-Type"] == "application/json"
    assert hit.json()["name"] == body["name"]


async def test_a_cached_entry_that_is_not_a_profile_is_replaced_by_the_stored_one(
    cached_client: httpx.AsyncClient, redis: Redis
) -> None:
    account = await _account(cached_client)
    await redis.set(profile_key(account.id), b'{"id": 42}', ex=60)
    response = await cached_client.get("/api/auth/profile", headers=account.headers)
    assert response.json()["email"] == account.email
    assert orjson.loads(await redis.get(profile_key(account.id)) or b"{}") == response.json()
