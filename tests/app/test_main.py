from __future__ import annotations

from fastapi import FastAPI
from fastapi.routing import APIRoute
from starlette.routing import Route


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
    assert {"/health", "/api/health", "/ready", "/metrics", "/docs"} <= set(paths[last_api_route + 1 :])
