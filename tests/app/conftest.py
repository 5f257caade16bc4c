"""Fixtures for the task API: an app on the session's MongoDB, an async client, users with tokens."""

from __future__ import annotations

import gc
import subprocess
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from asgi_lifespan import LifespanManager
from fastapi import FastAPI
from redis.asyncio import Redis

from app.db import store
from app.main import create_app
from app.redis.client import close_redis, create_redis
from app.settings import Settings
from tests.app.live_server import running_api
from tests.app.mongodb_server import TEST_MONGODB
from tests.app.redis_server import RedisServer, require_redis_server
from tests.app.taskapi_testing import Account, SignUp, make_settings


@pytest.fixture(scope="session", autouse=True)
def session_mongodb() -> Iterator[None]:
    """Stop the session's MongoDB server (started by the first test that needs one) at the end."""
    yield
    TEST_MONGODB.stop()


@pytest.fixture(autouse=True)
def dropped_test_databases() -> Iterator[None]:
    """Each test starts from empty databases and leaves none behind."""
    yield
    TEST_MONGODB.drop_test_databases()


@pytest.fixture(autouse=True)
def restored_garbage_collector() -> Iterator[None]:
    """Undo what each app's startup does to the collector, so no test runs under another's settings."""
    threshold = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*threshold)


@pytest.fixture
def settings() -> Settings:
    return make_settings()


@pytest.fixture
async def app(settings: Settings) -> AsyncIterator[FastAPI]:
    application = create_app(settings)
    async with LifespanManager(application):
        yield application


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app, client=("203.0.113.7", 40000))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield http


@pytest.fixture
def sign_up(client: httpx.AsyncClient) -> SignUp:
    counter = iter(range(1_000_000))

    async def _sign_up(name: str = "Ada", password: str = "s3cret-pass") -> Account:
        email = f"user{next(counter)}@example.com"
        response = await client.post(
            "/api/auth/signup", json={"name": name, "email": email, "password": password}
        )
        assert response.status_code == 201, response.text
        body = response.json()
        return Account(id=body["user"]["id"], email=email, password=password, token=body["token"])

    return _sign_up


@pytest.fixture
async def alice(sign_up: SignUp) -> Account:
    return await sign_up("Alice")


@pytest.fixture
async def bob(sign_up: SignUp) -> Account:
    return await sign_up("Bob")


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisServer]:
    """A real redis-server on a free loopback port for this test only, stoppable mid-test."""
    server = RedisServer(require_redis_server(), tmp_path)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def redis_url(redis_server: RedisServer) -> str:
    return redis_server.url


@pytest.fixture
async def redis_client(redis_server: RedisServer) -> AsyncIterator[Redis]:
    """A plain redis-py client, to look at what the app left in Redis."""
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


@pytest.fixture
def live_api() -> Iterator[tuple[subprocess.Popen[str], int]]:
    """``python -m app`` as a real process with one worker: (process, port)."""
    with running_api() as started:
        yield started


@pytest.fixture
def quick_server_selection(monkeypatch: pytest.MonkeyPatch) -> None:
    """A MongoDB that does not answer fails each operation after 0.5 s instead of the production 5 s."""
    monkeypatch.setitem(store.MONGO_CLIENT_OPTIONS, "serverSelectionTimeoutMS", 500)
