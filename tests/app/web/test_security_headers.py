"""helmet's default headers on every response, and a CSP the interactive docs can live with."""

from __future__ import annotations

import httpx
import pytest

from app.web.security_headers import HELMET_HEADERS


@pytest.mark.parametrize("path", ["/health", "/api/tasks", "/no-such-route"])
async def test_every_response_carries_helmets_headers(client: httpx.AsyncClient, path: str) -> None:
    response = await client.get(path)
    for name, value in HELMET_HEADERS.items():
        assert response.headers[name] == value
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert "X-Powered-By" not in response.headers
    assert "Server" not in response.headers


async def test_the_docs_page_is_served_without_the_strict_csp(client: httpx.AsyncClient) -> None:
    response = await client.get("/docs")
    assert response.status_code == 200
    assert "Content-Security-Policy" not in response.headers
    assert response.headers["X-Frame-Options"] == "SAMEORIGIN"
