"""Redis stops in the middle of serving and comes back: what a client sees throughout."""

from __future__ import annotations

import asyncio

import httpx
from asgi_lifespan import LifespanManager
from redis.asyncio import Redis

from app.auth.profile_cache import profile_key
from app.main import create_app
from app.settings import Settings
from app.web.rate_limit_windows import KEY_PREFIX
from tests.app.redis_server import RedisServer
from tests.app.taskapi_testing import exposed_metrics

LIMIT = 12
USER = {"name": "Ada", "email": "ada@example.com", "password": "correct-horse"}
LOGIN = {"email": USER["email"], "password": USER["password"]}


def fallback_count(metrics_text: str, operation: str) -> float:
    prefix = f'taskapi_redis_fallback_total{{operation="{operation}"}} '
    lines = [line for line in metrics_text.splitlines() if line.startswith(prefix)]
    return float(lines[0].removeprefix(prefix)) if lines else 0.0


async def wait_until_redis_counts_again(client: httpx.AsyncClient) -> httpx.Response:
    """Poll until a request is counted in Redis again (the outage cool-down has passed)."""
    for _ in range(300):
        response = await client.get("/api/health")
        if response.status_code == 200 and response.headers["RateLimit-Remaining"] == str(LIMIT - 1):
            return response
        await asyncio.sleep(0.05)
    raise AssertionError("the rate limit never returned to Redis after the restart")


async def test_an_outage_degrades_service_and_the_restart_restores_every_limit(
    redis_server: RedisServer,
) -> None:
    settings = Settings(redis_url=redis_server.url, rate_limit_max=LIMIT)
    app = create_app(settings)
    async with LifespanManager(app) as manager:
        transport = httpx.ASGITransport(app=manager.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://taskapi.test") as client:
            # Healthy: the profile is cached in Redis after the first read.
            signup = await client.post("/api/auth/signup", json=USER)
            assert signup.status_code == 201
            token, user_id = signup.json()["token"], signup.json()["user"]["id"]
            auth = {"Authorization": f"Bearer {token}"}
            profile = (await client.get("/api/auth/profile", headers=auth)).json()
            async with Redis.from_url(redis_server.url) as probe:
                assert await probe.exists(profile_key(user_id))
            metrics_before = exposed_metrics()

            redis_server.stop()

            # Reads are served from the store, ordinary routes under the per-process limit.
            during = await client.get("/api/auth/profile", headers=auth)
            assert during.status_code == 200
            assert during.json() == profile
            tasks = await client.get("/api/tasks", headers=auth)
            assert tasks.status_code == 200
            assert tasks.headers["RateLimit-Limit"] == str(LIMIT)
            # Login and signup fail closed: without the shared count they would be open to guessing.
            login = await client.post("/api/auth/login", json=LOGIN)
            assert login.status_code == 503
            assert set(login.json()) == {"message"}
            other = {**USER, "email": "grace@example.com"}
            assert (await client.post("/api/auth/signup", json=other)).status_code == 503
            # The per-process limit still refuses once this process has seen LIMIT requests.
            statuses = [(await client.get("/api/health")).status_code for _ in range(LIMIT)]
            assert 429 in statuses
            assert statuses[statuses.index(429) :] == [429] * (LIMIT - statuses.index(429))

            metrics_during = exposed_metrics()
            for operation in ("rate_limit", "profile_cache_get"):
                assert fallback_count(metrics_during, operation) > fallback_count(metrics_before, operation)

            redis_server.start()

            # Back in Redis: a fresh window, login open again, the limit exact.
            await wait_until_redis_counts_again(client)
            assert (await client.post("/api/auth/login", json=LOGIN)).status_code == 200
            statuses = [(await client.get("/api/health")).status_code for _ in range(LIMIT)]
            assert statuses == [200] * (LIMIT - 2) + [429] * 2
            async with Redis.from_url(redis_server.url) as probe:
                assert int(await probe.get(f"{KEY_PREFIX}127.0.0.1") or 0) == LIMIT + 2
