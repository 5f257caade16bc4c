"""Which MongoDB the API uses, and that the startup log warns when its data is not durable."""

from __future__ import annotations

import logging

import httpx
import pytest
from asgi_lifespan import LifespanManager

from app.db.store import open_store
from app.main import create_app
from tests.app.taskapi_testing import make_settings


async def test_without_mongodb_uri_the_app_runs_its_own_embedded_server_and_says_it_is_not_durable(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.INFO):
        async with LifespanManager(create_app(make_settings(mongodb_uri=None))) as manager:
            transport = httpx.ASGITransport(app=manager.app)
            async with httpx.AsyncClient(transport=transport, base_url="http://taskapi.test") as client:
                user = {"name": "Ada", "email": "ada@example.com", "password": "correct-horse"}
                signup = await client.post("/api/auth/signup", json=user)
                duplicate = await client.post("/api/auth/signup", json=user)
                ready = await client.get("/ready")
    assert (signup.status_code, duplicate.status_code) == (201, 400)
    assert ready.json()["durable"] is False
    warnings = [record.getMessage() for record in caplog.records if record.levelno == logging.WARNING]
    assert any(
        "started an embedded MongoDB server" in message and "NOT durable" in message for message in warnings
    )


async def test_with_mongodb_uri_the_store_is_durable_and_the_uri_is_not_logged(
    caplog: pytest.LogCaptureFixture,
) -> None:
    uri = "mongodb://taskapi:hunter2@db.example.internal:27017/?directConnection=true"
    with caplog.at_level(logging.DEBUG, logger="app"):
        store = open_store(make_settings(mongodb_uri=uri))
        await store.close()
    assert store.durable is True
    assert "hunter2" not in caplog.text
