"""Every error answers in one of the Express service's two shapes; unknown routes are a 404 {message}."""

from __future__ import annotations

import httpx
import pytest

from app.web.error_handlers import field_path


def test_nested_fields_are_named_like_express_validator_names_them() -> None:
    assert field_path(["tasks", 3, "title"]) == "tasks[3].title"
    assert field_path(["title"]) == "title"
    assert field_path([]) == ""


async def test_an_unknown_route_is_a_404_message(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/nothing-here")
    assert (response.status_code, response.json()) == (404, {"message": "Route not found"})


async def test_a_wrong_method_is_a_405_message(client: httpx.AsyncClient) -> None:
    response = await client.delete("/api/health")
    assert response.status_code == 405
    assert response.json() == {"message": "Method Not Allowed"}


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        ("OPTIONS", "/api/tasks", "GET, POST"),
        ("DELETE", "/api/tasks", "GET, POST"),
        ("OPTIONS", "/api/tasks/0123456789abcdef01234567", "GET, PUT, DELETE"),
        ("POST", "/api/tasks/0123456789abcdef01234567", "GET, PUT, DELETE"),
        # "batch" is no task id: the batch route alone answers there.
        ("OPTIONS", "/api/tasks/batch", "POST"),
        ("GET", "/api/tasks/batch", "POST"),
        ("DELETE", "/api/tasks/batch", "POST"),
        ("OPTIONS", "/api/auth/profile", "GET, PUT"),
        ("DELETE", "/api/auth/profile", "GET, PUT"),
        ("GET", "/api/auth/login", "POST"),
    ],
)
async def test_a_405_allows_every_method_the_path_answers(
    client: httpx.AsyncClient, method: str, path: str, allow: str
) -> None:
    response = await client.request(method, path)
    assert response.status_code == 405
    assert response.headers["Allow"] == allow


async def test_a_cors_preflight_is_still_answered_before_routing(client: httpx.AsyncClient) -> None:
    response = await client.options(
        "/api/tasks",
        headers={"Origin": "https://app.example.com", "Access-Control-Request-Method": "POST"},
    )
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "https://app.example.com"
    assert "Allow" not in response.headers


async def test_a_non_json_content_type_is_a_400_not_a_500(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/api/auth/login", content=b"email=a@example.com", headers={"Content-Type": "text/plain"}
    )
    assert response.status_code == 400
    assert "errors" in response.json()


async def test_a_body_that_is_not_utf8_is_a_400_field_error(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/api/auth/login", content=b"5\xff\xfe\x15", headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["location"] == "body"
