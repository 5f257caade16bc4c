"""The API against its own OpenAPI schema: generated requests never cause a 5xx, and every response
(status, content type, body) conforms to what /docs promises."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, cast

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.python import asgi
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from app.main import create_app
from tests.app.taskapi_testing import make_settings

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


# Loaded when the module is collected: schemathesis' lazy fixture loader does not work with pytest 9.
FUZZED_APP: FastAPI = create_app(make_settings())
schema = schemathesis.openapi.from_asgi("/openapi.json", FUZZED_APP)


@pytest.fixture(scope="module", autouse=True)
def _stop_the_fuzzed_app() -> Iterator[None]:
    yield
    asgi.shutdown_lifespans()


@pytest.fixture(scope="module")
def bearer() -> dict[str, str]:
    """A real account, so authenticated routes are explored past the 401."""
    with asgi.get_client(cast(Any, FUZZED_APP)) as client:
        response = client.post(
            "/api/auth/signup", json={"name": "Fuzz", "email": "fuzz@example.com", "password": "fuzz-pass"}
        )
    assert response.status_code == 201, response.text
    return {"Authorization": f"Bearer {response.json()['token']}"}


@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_generated_request_breaks_the_api_or_its_schema(case: Any, bearer: dict[str, str]) -> None:
    case.call_and_validate(headers=bearer, checks=CHECKS)
