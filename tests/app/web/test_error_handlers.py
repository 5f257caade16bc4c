"""An exception no handler expected: a 500 {message} that carries the request id, logged under that id."""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI

from app.observability.logs import JsonFormatter
from app.observability.request_id import REQUEST_ID_HEADER
from app.web.rate_limit import RateLimitMiddleware

SECRET_DETAIL = "the database password is hunter2"


@pytest.fixture
async def failing_client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """The app with a route that raises; the client gets the app's answer, as a real server's would."""

    @app.get("/api/fails")
    async def fails() -> None:
        raise RuntimeError(SECRET_DETAIL)

    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield http


def lines(records: list[logging.LogRecord], logger: str, message: str) -> list[dict[str, object]]:
    formatted = [json.loads(JsonFormatter().format(record)) for record in records if record.name == logger]
    return [line for line in formatted if line["message"] == message]


@pytest.mark.parametrize("sent", [{}, {REQUEST_ID_HEADER: "client-chosen-id"}], ids=["generated", "sent"])
async def test_the_unhandled_error_line_names_the_request_id_the_response_carries(
    failing_client: httpx.AsyncClient, caplog: pytest.LogCaptureFixture, sent: dict[str, str]
) -> None:
    with caplog.at_level(logging.INFO):
        response = await failing_client.get("/api/fails", headers=sent)

    request_id = response.headers.get(REQUEST_ID_HEADER)
    assert request_id is not None
    assert request_id == sent.get(REQUEST_ID_HEADER, request_id)
    [error] = lines(caplog.records, "app.web.error_handlers", "unhandled error")
    [access] = lines(caplog.records, "app.access", "request")
    assert (error["requestId"], access["requestId"]) == (request_id, request_id)
    assert (error["level"], error["method"], error["path"]) == ("error", "GET", "/api/fails")
    assert SECRET_DETAIL in str(error["exception"])  # the operator gets the stack trace...
    assert access["status"] == 500


async def test_the_client_gets_the_apps_500_with_no_stack_trace_and_every_usual_header(
    failing_client: httpx.AsyncClient,
) -> None:
    origin = {"Origin": "https://app.example.com"}
    response = await failing_client.get("/api/fails", headers=origin)
    not_found = await failing_client.get("/api/nothing-here", headers=origin)

    assert (response.status_code, response.json()) == (500, {"message": "Internal server error"})
    assert SECRET_DETAIL not in response.text  # ...the client does not
    assert "Traceback" not in response.text
    # Security headers, CORS and the request id, as on any other error a browser client may read.
    assert set(response.headers) == set(not_found.headers)


async def test_an_error_raised_by_the_apps_own_middleware_is_still_the_apps_500_under_its_request_id(
    failing_client: httpx.AsyncClient, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The rate limit runs outside the layer that answers route errors: Starlette's outermost handler
    # answers this one, after the request-id middleware has reset its context.
    async def count_fails(*_: object) -> None:
        raise RuntimeError(SECRET_DETAIL)

    monkeypatch.setattr(RateLimitMiddleware, "_count", count_fails)
    with caplog.at_level(logging.INFO):
        response = await failing_client.get("/api/tasks", headers={REQUEST_ID_HEADER: "client-chosen-id"})

    assert (response.status_code, response.json()) == (500, {"message": "Internal server error"})
    assert SECRET_DETAIL not in response.text
    assert response.headers[REQUEST_ID_HEADER] == "client-chosen-id"
    [error] = lines(caplog.records, "app.web.error_handlers", "unhandled error")
    assert (error["requestId"], error["path"]) == ("client-chosen-id", "/api/tasks")
    assert SECRET_DETAIL in str(error["exception"])
