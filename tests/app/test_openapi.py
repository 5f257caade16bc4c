"""/docs and /openapi.json document the routes, the bearer scheme and every 4xx a client can meet."""

from __future__ import annotations

from typing import Any

import httpx
import jsonschema_rs
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


def _schema_at(openapi: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    """``schema`` with a top-level ``$ref`` to a component followed."""
    while "$ref" in schema:
        schema = openapi["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def test_a_batch_item_is_declared_as_a_task_to_create(openapi: dict[str, Any]) -> None:
    batch = _schema_at(openapi, openapi["paths"]["/api/tasks/batch"]["post"]["requestBody"]["content"]
                       ["application/json"]["schema"])  # fmt: skip
    item = _schema_at(openapi, batch["properties"]["tasks"]["items"])
    validator = jsonschema_rs.validator_for(item)
    assert not validator.is_valid({})  # the server refuses an empty item too
    assert validator.is_valid({"title": "Write the report", "priority": "high"})
    assert not validator.is_valid({"title": "x", "priority": "urgent"})


def _declared_400_bodies(openapi: dict[str, Any], path: str, method: str) -> set[str]:
    content = openapi["paths"][path][method]["responses"]["400"]["content"]["application/json"]
    schema = content["schema"]
    return {_ref.rsplit("/", 1)[1] for _ref in (option["$ref"] for option in schema.get("anyOf", [schema]))}


@pytest.mark.parametrize(("path", "method"), [("/api/auth/signup", "post"), ("/api/auth/profile", "put")])
def test_a_taken_email_is_declared_as_a_400_message(openapi: dict[str, Any], path: str, method: str) -> None:
    assert _declared_400_bodies(openapi, path, method) == {"ValidationErrors", "Message"}
    assert "another account" in openapi["paths"][path][method]["responses"]["400"]["description"]


@pytest.mark.parametrize(
    ("path", "method"),
    [("/api/auth/login", "post"), ("/api/tasks", "post"), ("/api/tasks", "get"), ("/api/tasks/{id}", "put")],
)
def test_other_400s_are_declared_as_field_errors_only(
    openapi: dict[str, Any], path: str, method: str
) -> None:
    assert _declared_400_bodies(openapi, path, method) == {"ValidationErrors"}


EMAILS = [
    "ada@example.com",
    "Ada.Lovelace+tasks@Example.co.uk",
    "o'brien@example.ie",
    "a..b@example.com",
    "x@1.2",
    "no-at-sign.example.com",
    "ada@localhost",
    "ada@-example.com",
    "ada@example-.com",
    "ada@exa_mple.com",
    "ada lovelace@example.com",
    "ada@example.com\n",
    '"ada"@example.com',
    "ada@[192.0.2.1]",
    "ü@example.de",
    "ada@bücher.de",
    "a@" + "b" * 64 + ".com",
    "a" * 245 + "@example.com",
]


@pytest.mark.parametrize("email", EMAILS)
async def test_the_declared_email_pattern_is_what_signup_accepts(
    client: httpx.AsyncClient, openapi: dict[str, Any], email: str
) -> None:
    declared = openapi["components"]["schemas"]["SignupRequest"]["properties"]["email"]
    # A JSON Schema pattern is an ECMA-262 regex (its `$` admits no trailing newline), as jsonschema-rs
    # and schemathesis read it; python-jsonschema reads it as a Python one.
    validator = jsonschema_rs.validator_for(declared, validate_formats=True)
    body = {"name": "Ada", "email": email, "password": "secret1"}
    response = await client.post("/api/auth/signup", json=body)
    assert response.status_code == (201 if validator.is_valid(email) else 400), response.text
