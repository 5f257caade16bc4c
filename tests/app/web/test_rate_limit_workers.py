"""The limit holds across worker processes: the real server, two workers, one Redis."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import httpx
import pytest
from redis.asyncio import Redis

from app.web.rate_limit_windows import KEY_PREFIX
from tests.app.live_server import running_api
from tests.app.redis_server import RedisServer

LIMIT = 10
REQUESTS = 40


@pytest.fixture
def two_workers(redis_server: RedisServer) -> Iterator[str]:
    """``python -m app --workers 2`` against the test Redis; yields its base URL."""
    # At warning level the workers write next to nothing to the pipe nobody reads during the test.
    settings = {"REDIS_URL": redis_server.url, "RATE_LIMIT_MAX": str(LIMIT), "LOG_LEVEL": "warning"}
    with running_api(workers=2, RATE_LIMIT_WINDOW_SECONDS="900", **settings) as (_, port):
        yield f"http://127.0.0.1:{port}"


async def test_two_worker_processes_allow_exactly_the_limit_in_total(
    two_workers: str, redis_server: RedisServer
) -> None:
    async def one_request() -> int:
        # A fresh connection each time, so the kernel spreads the requests over both workers.
        async with httpx.AsyncClient(base_url=two_workers) as client:
            return (await client.get("/api/health")).status_code

    statuses = await asyncio.gather(*(one_request() for _ in range(REQUESTS)))
    assert statuses.count(200) == LIMIT
    assert statuses.count(429) == REQUESTS - LIMIT
    async with Redis.from_url(redis_server.url) as probe:
        assert int(await probe.get(f"{KEY_PREFIX}127.0.0.1") or 0) == REQUESTS
