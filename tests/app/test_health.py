"""Liveness, readiness and the contract's health path, as the chart's probes see them."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from asgi_lifespan import LifespanManager
from fastapi import FastAPI

from app.db.store import open_store
from app.main import create_app
from tests.app.taskapi_testing import free_port, make_settings


@pytest.mark.parametrize("path", ["/health", "/api/health"])
async def test_liveness_reports_ok_with_time_and_uptime(client: httpx.AsyncClient, path: str) -> None:
    response = await client.get(path)
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "OK"
    assert body["timestamp"].endswith("Z")
    assert body["uptime"] >= 0


async def test_readiness_is_ready_once_mongodb_answers_and_its_indexes_exist(
    client: httpx.AsyncClient,
) -> None:
    response = await client.get("/ready")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ready",
        "mongodb": "up",
        "indexes": "ensured",
        "redis": "not configured",
        "durable": True,
    }


async def test_readiness_is_503_when_mongodb_does_not_answer(app: FastAPI, client: httpx.AsyncClient) -> None:
    # A real client pointed at a port where nothing listens: the ping fails the way a dead cluster does.
    unreachable = open_store(
        make_settings(mongodb_uri=f"mongodb://127.0.0.1:{free_port()}/?directConnection=true")
    )
    app.state.store = unreachable
    try:
        response = await client.get("/ready")
    finally:
        await unreachable.close()
    assert response.status_code == 503
    assert response.json()["mongodb"] == "down"
    assert response.json()["status"] == "not ready"


@pytest.fixture
async def app_with_redis(redis_url: str) -> AsyncIterator[FastAPI]:
    application = create_app(make_settings(redis_url=redis_url))
    async with LifespanManager(application):
        yield application


async def test_readiness_reports_redis_up_when_it_answers(app_with_redis: FastAPI) -> None:
    transport = httpx.ASGITransport(app=app_with_redis)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        response = await client.get("/ready")
    assert response.status_code == 200
    assert response.json()["redis"] == "up"


async def test_readiness_stays_200_with_redis_down_because_the_api_degrades_instead() -> None:
    application = create_app(make_settings(redis_url=f"redis://127.0.0.1:{free_port()}/0"))
    async with LifespanManager(application):
        transport = httpx.ASGITransport(app=application)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            response = await client.get("/ready")
    assert response.status_code == 200
    assert response.json()["redis"] == "down"
