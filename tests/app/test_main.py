from __future__ import annotations

import asyncio

import httpx
import pytest
from fastapi import FastAPI

from app.main import create_app
from app.settings import Settings
from app.tasks.deps import task_repository
from app.tasks.repository import TaskQuery
from app.tasks.schemas import Task
from tests.app.taskapi_testing import Account


def _get(app: FastAPI, path: str) -> httpx.Response:
    async def fetch() -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            return await client.get(path)

    return asyncio.run(fetch())


# Production needs a MongoDB URI and a real key; nothing connects until the lifespan starts.
def production(docs_enabled: bool | None = None) -> Settings:
    return Settings(
        app_env="production",
        jwt_secret="p" * 32,
        mongodb_uri="mongodb://127.0.0.1:1/",
        docs_enabled=docs_enabled,
    )


@pytest.mark.parametrize("path", ["/docs", "/redoc", "/openapi.json", "/docs/oauth2-redirect"])
def test_outside_development_the_docs_and_the_schema_are_not_served(path: str) -> None:
    app = create_app(production())

    response = _get(app, path)

    assert response.status_code == 404
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]


def test_a_setting_turns_on_the_schema_in_production_but_never_the_cdn_pages() -> None:
    app = create_app(production(docs_enabled=True))

    schema = _get(app, "/openapi.json")

    assert schema.status_code == 200
    assert "/api/tasks" in schema.json()["paths"]
    assert "script-src 'self'" in schema.headers["Content-Security-Policy"]
    assert _get(app, "/docs").status_code == 404
    assert _get(app, "/redoc").status_code == 404


def test_development_can_turn_the_docs_off() -> None:
    app = create_app(Settings(app_env="development", docs_enabled=False))

    assert _get(app, "/docs").status_code == 404
    assert _get(app, "/openapi.json").status_code == 404


class CountingOnly:
    async def find_page(self, user_id: str, query: TaskQuery) -> tuple[list[Task], int]:
        return [], 42


async def test_dependency_overrides_reach_the_routes(
    app: FastAPI, client: httpx.AsyncClient, alice: Account
) -> None:
    # FastAPI's own seam for swapping a dependency: the routes are included, so it reaches them.
    async def counting_only() -> CountingOnly:
        return CountingOnly()

    app.dependency_overrides[task_repository] = counting_only
    try:
        response = await client.get("/api/tasks", headers=alice.headers)
    finally:
        app.dependency_overrides.clear()
    assert response.status_code == 200
    assert response.json() == []
    assert response.headers["X-Total-Count"] == "42"
