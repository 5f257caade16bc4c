"""/docs and /openapi.json document the routes, the bearer scheme and every 4xx a client can meet."""

from __future__ import annotations

from typing import Any

import httpx
import pytest


@pytest.fixture
async def openapi(client: httpx.AsyncClient) -> dict[str, Any]:
    response = await client.get("/openapi.json")
    assert response.status_code == 200
    document: dict[str, Any] = response.json()
    return document


@pytest.mark.parametrize(
    ("path", "method", "codes"),
    [
        # 503: MongoDB unavailable, on every route that reads or writes it.
        ("/api/tasks", "post", {"201", "400", "401", "413", "429", "503"}),
        ("/api/tasks", "get", {"200", "400", "401", "429", "503"}),
        ("/api/tasks/{id}", "get", {"200", "401", "404", "429", "503"}),
        ("/api/tasks/{id}", "put", {"200", "400", "401", "404", "413", "429", "503"}),
        ("/api/tasks/{id}", "delete", {"200", "401", "404", "429", "503"}),
        ("/api/tasks/batch", "post", {"201", "400", "401", "413", "429", "503"}),
        ("/api/auth/login", "post", {"200", "400", "401", "413", "429", "503"}),
        ("/api/auth/signup", "post", {"201", "400", "413", "429", "503"}),
        ("/api/auth/profile", "get", {"200", "401", "404", "429", "503"}),
        ("/api/auth/profile", "put", {"200", "400", "401", "404", "413", "429", "503"}),
    ],
)
def test_each_route_documents_its_error_responses(
    openapi: dict[str, Any], path: str, method: str, codes: set[str]
) -> None:
    assert codes <= set(openapi["paths"][path][method]["responses"])


def test_task_routes_declare_the_bearer_scheme(openapi: dict[str, Any]) -> None:
    assert openapi["components"]["securitySchemes"]["HTTPBearer"]["scheme"] == "bearer"
    assert openapi["paths"]["/api/tasks"]["get"]["security"] == [{"HTTPBearer": []}]


def test_the_task_schema_names_its_id_field_like_mongoose(openapi: dict[str, Any]) -> None:
    task = openapi["components"]["schemas"]["Task"]
    assert "_id" in task["properties"]
    assert task["properties"]["status"]["enum"] == ["pending", "in-progress", "completed"]


async def test_the_interactive_docs_are_served(client: httpx.AsyncClient) -> None:
    response = await client.get("/docs")
    assert response.status_code == 200
    assert "swagger" in response.text.lower()


def test_no_route_documents_a_422_the_api_never_sends(openapi: dict[str, Any]) -> None:
    documented = {
        code for path_item in openapi["paths"].values() for operation in path_item.values()
        for code in operation["responses"]
    }  # fmt: skip
    assert "422" not in documented
    assert "HTTPValidationError" not in openapi["components"]["schemas"]
