"""Every error answers in one of the Express service's two shapes; unknown routes are a 404 {message}."""

from __future__ import annotations

import httpx

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
