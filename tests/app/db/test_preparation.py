"""MongoDB down at startup: the API starts live but not ready, retries, and is ready once MongoDB answers."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
import pytest
from asgi_lifespan import LifespanManager

from app.db.embedded_mongodb import embedded_mongodb
from app.errors import DATABASE_RETRY_AFTER_SECONDS
from app.main import create_app
from app.settings import Settings
from tests.app.taskapi_testing import free_port, make_settings

USER = {"name": "Ada", "email": "ada@example.com", "password": "correct-horse"}


@asynccontextmanager
async def serving(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    async with LifespanManager(create_app(settings), startup_timeout=30, shutdown_timeout=30) as manager:
        transport = httpx.ASGITransport(app=manager.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://taskapi.test") as client:
            yield client


async def ready_within(client: httpx.AsyncClient, seconds: float) -> httpx.Response:
    deadline = asyncio.get_running_loop().time() + seconds
    while True:
        response = await client.get("/ready")
        if response.status_code == 200 or asyncio.get_running_loop().time() > deadline:
            return response
        await asyncio.sleep(0.1)


# The suite's ResourceWarnings ("unclosed <socket.socket ...>", reported from whichever later test
# collects the socket, in some runs only) start in this module, where MongoDB is unreachable at startup:
# when the app's shutdown closes the client, PyMongo 4.20.1 cancels its server monitor, and a connect
# still in flight leaves its socket open (pymongo/pool_shared.py closes it on OSError and timeouts only;
# PYTHON-3923, fix not released). Nothing outside the driver can close it.
@pytest.mark.usefixtures("quick_server_selection")
async def test_an_unreachable_mongodb_leaves_the_api_live_but_not_ready(
    caplog: pytest.LogCaptureFixture,
) -> None:
    settings = make_settings(mongodb_uri=f"mongodb://127.0.0.1:{free_port()}/?directConnection=true")
    with caplog.at_level(logging.INFO, logger="app"):
        async with serving(settings) as client:
            health = await client.get("/health")
            ready = await client.get("/ready")
            signup = await client.post("/api/auth/signup", json=USER)
    assert health.status_code == 200
    assert ready.status_code == 503
    assert ready.json()["status"] == "not ready"
    assert (ready.json()["mongodb"], ready.json()["indexes"]) == ("down", "pending")
    # Not the client's fault: a 503 it may retry, in the Express shape.
    assert signup.status_code == 503
    assert set(signup.json()) == {"message"}
    assert signup.headers["Retry-After"] == str(DATABASE_RETRY_AFTER_SECONDS)
    assert "MongoDB did not answer at startup" in caplog.text
    assert "Traceback" not in caplog.text


@pytest.mark.usefixtures("quick_server_selection")
async def test_the_api_becomes_ready_once_mongodb_answers(caplog: pytest.LogCaptureFixture) -> None:
    port = free_port()  # nothing listens there yet: to the API the database is not there at startup
    settings = make_settings(mongodb_uri=f"mongodb://127.0.0.1:{port}/?directConnection=true")
    with caplog.at_level(logging.INFO, logger="app"):
        async with serving(settings) as client:
            assert (await client.get("/ready")).json()["indexes"] == "pending"
            assert (await client.post("/api/auth/signup", json=USER)).status_code == 503

            with embedded_mongodb(port=port):  # the database is back
                ready = await ready_within(client, seconds=30)
                signup = await client.post("/api/auth/signup", json=USER)
                duplicate = await client.post("/api/auth/signup", json=USER)
    assert ready.status_code == 200
    assert (ready.json()["mongodb"], ready.json()["indexes"]) == ("up", "ensured")
    assert signup.status_code == 201
    assert duplicate.status_code == 400  # the unique index on email is in place
    assert "indexes ensured, the API is ready" in caplog.text
