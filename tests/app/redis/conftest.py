from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from redis.asyncio import Redis

from app.redis.client import close_redis, create_redis
from app.settings import Settings
from tests.app.redis.redis_server import RedisServer, require_redis_server


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisServer]:
    server = RedisServer(require_redis_server(), tmp_path)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
async def redis_client(redis_server: RedisServer) -> AsyncIterator[Redis]:
    client = Redis.from_url(redis_server.url)
    try:
        yield client
    finally:
        await client.aclose()


@pytest.fixture
async def app_redis(redis_server: RedisServer) -> AsyncIterator[Redis]:
    """The client the app builds for REDIS_URL (pipelined, with its timeouts), closed after the test."""
    client = create_redis(Settings(redis_url=redis_server.url))
    assert client is not None
    try:
        yield client
    finally:
        await close_redis(client)
