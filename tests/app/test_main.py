from __future__ import annotations

import asyncio

import httpx
import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from starlette.routing import Route

from app.main import create_app
from app.settings import Settings


def test_every_route_is_served_by_the_apps_own_router(app: FastAPI) -> None:
    # A router added with include_router() would be a nested node, resolved again on every request.
    assert app.routes
    assert all(isinstance(route, APIRoute | Route) for route in app.routes), app.routes


def test_the_api_routes_are_matched_before_the_probes_and_the_docs(app: FastAPI) -> None:
    paths = [route.path for route in app.routes if isinstance(route, APIRoute | Route)]
    last_api_route = max(
        index for index, path in enumerate(paths) if path.startswith(("/api/auth", "/api/tasks"))
    )
    assert paths[0] == "/api/auth/signup"
    assert {"/health", "/api/health", "/ready", "/docs"} <= set(paths[last_api_route + 1 :])


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
