from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
from asgi_lifespan import LifespanManager

from app.main import create_app
from app.settings import Settings
from tests.app.redis_server import RedisServer

LIMIT = 3


@asynccontextmanager
async def api(redis_url: str | None, **overrides: object) -> AsyncIterator[httpx.AsyncClient]:
    settings = Settings.model_validate({"redis_url": redis_url, "rate_limit_max": LIMIT, **overrides})
    app = create_app(settings)
    async with LifespanManager(app) as manager:
        transport = httpx.ASGITransport(app=manager.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://taskapi.test") as client:
            yield client


async def test_requests_within_the_limit_carry_the_ratelimit_headers(redis_server: RedisServer) -> None:
    async with api(redis_server.url) as client:
        responses = [await client.get("/api/health") for _ in range(LIMIT)]
    assert [r.status_code for r in responses] == [200] * LIMIT
    assert [r.headers["RateLimit-Remaining"] for r in responses] == ["2", "1", "0"]
    assert all(r.headers["RateLimit-Limit"] == str(LIMIT) for r in responses)
    assert all(0 < int(r.headers["RateLimit-Reset"]) <= 900 for r in responses)


async def test_the_request_past_the_limit_gets_429_with_retry_after(redis_server: RedisServer) -> None:
    async with api(redis_server.url) as client:
        for _ in range(LIMIT):
            await client.get("/api/health")
        refused = await client.get("/api/health")
    assert refused.status_code == 429
    assert refused.json() == {"message": "Too many requests, please try again later."}
    assert 0 < int(refused.headers["Retry-After"]) <= 900
    assert refused.headers["RateLimit-Remaining"] == "0"
    assert refused.headers["RateLimit-Reset"] == refused.headers["Retry-After"]


async def test_a_refused_request_still_carries_the_request_id_and_security_headers(
    redis_server: RedisServer,
) -> None:
    async with api(redis_server.url, rate_limit_max=1) as client:
        await client.get("/api/health")
        refused = await client.get("/api/health")
    assert refused.status_code == 429
    assert refused.headers.get("X-Request-Id")
    assert refused.headers.get("X-Content-Type-Options") == "nosniff"


async def test_the_count_lives_in_redis_and_so_survives_a_new_app_instance(redis_server: RedisServer) -> None:
    async with api(redis_server.url) as client:
        for _ in range(LIMIT):
            await client.get("/api/health")
    async with api(redis_server.url) as client:
        assert (await client.get("/api/health")).status_code == 429


async def test_paths_outside_api_are_not_limited(redis_server: RedisServer) -> None:
    async with api(redis_server.url, rate_limit_max=1) as client:
        statuses = [(await client.get("/health")).status_code for _ in range(3)]
        assert "RateLimit-Limit" not in (await client.get("/health")).headers
    assert statuses == [200, 200, 200]


async def test_clients_behind_a_trusted_proxy_are_counted_apart(redis_server: RedisServer) -> None:
    async with api(redis_server.url, rate_limit_max=1, trusted_proxy_hops=1) as client:
        first = await client.get("/api/health", headers={"X-Forwarded-For": "203.0.113.7"})
        second = await client.get("/api/health", headers={"X-Forwarded-For": "203.0.113.8"})
        again = await client.get("/api/health", headers={"X-Forwarded-For": "203.0.113.7"})
    assert (first.status_code, second.status_code, again.status_code) == (200, 200, 429)


async def test_a_forged_forwarded_for_does_not_escape_the_limit(redis_server: RedisServer) -> None:
    async with api(redis_server.url, rate_limit_max=1, trusted_proxy_hops=0) as client:
        await client.get("/api/health", headers={"X-Forwarded-For": "198.51.100.1"})
        refused = await client.get("/api/health", headers={"X-Forwarded-For": "198.51.100.2"})
    assert refused.status_code == 429


async def test_without_redis_url_the_per_process_limit_applies() -> None:
    async with api(None) as client:
        statuses = [(await client.get("/api/health")).status_code for _ in range(LIMIT + 1)]
    assert statuses == [200] * LIMIT + [429]
