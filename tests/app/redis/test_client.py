from __future__ import annotations

import pytest
from redis.exceptions import ConnectionError as RedisConnectionError

from app.redis.client import close_redis, create_redis
from app.settings import Settings
from tests.app.redis_server import RedisServer, free_port


def test_no_client_is_built_when_redis_url_is_unset() -> None:
    assert create_redis(Settings(redis_url=None)) is None


async def test_closing_the_absent_client_is_harmless() -> None:
    await close_redis(None)


async def test_the_client_talks_to_the_configured_server(redis_server: RedisServer) -> None:
    client = create_redis(Settings(redis_url=redis_server.url))
    assert client is not None
    try:
        await client.set("greeting", "hello")
        assert await client.get("greeting") == b"hello"
    finally:
        await close_redis(client)


async def test_an_unreachable_server_raises_instead_of_hanging() -> None:
    client = create_redis(Settings(redis_url=f"redis://127.0.0.1:{free_port()}/0"))
    assert client is not None
    try:
        with pytest.raises(RedisConnectionError):
            await client.ping()
    finally:
        await close_redis(client)


def test_the_pool_is_bounded_and_every_socket_has_a_timeout() -> None:
    client = create_redis(Settings(redis_url="redis://127.0.0.1:6379/0"))
    assert client is not None
    pool = client.connection_pool
    assert pool.max_connections <= 256
    kwargs = pool.connection_kwargs
    assert 0 < kwargs["socket_connect_timeout"] <= 1
    assert 0 < kwargs["socket_timeout"] <= 1
    assert kwargs["health_check_interval"] > 0
    assert kwargs["retry"].get_retries() <= 2
