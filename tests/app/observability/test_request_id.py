"""X-Request-ID: echoed when sane, generated otherwise, and present on the request's log lines."""

from __future__ import annotations

import json
import logging
import uuid

import httpx
import pytest

from app.observability.logs import JsonFormatter


async def test_a_sane_client_request_id_is_echoed(client: httpx.AsyncClient) -> None:
    response = await client.get("/health", headers={"X-Request-ID": "req-123.abc:def"})
    assert response.headers["X-Request-ID"] == "req-123.abc:def"


@pytest.mark.parametrize("bad", ["has space", "x" * 129, 'quote"', "new\\nline", ""])
async def test_an_insane_request_id_is_replaced(client: httpx.AsyncClient, bad: str) -> None:
    response = await client.get("/health", headers={"X-Request-ID": bad})
    generated = response.headers["X-Request-ID"]
    assert generated != bad
    assert len(generated) == 32


async def test_each_request_without_an_id_gets_its_own(client: httpx.AsyncClient) -> None:
    first = await client.get("/health")
    second = await client.get("/health")
    assert first.headers["X-Request-ID"] != second.headers["X-Request-ID"]


async def test_a_generated_request_id_is_a_random_uuid_in_hex(client: httpx.AsyncClient) -> None:
    generated = [(await client.get("/health")).headers["X-Request-ID"] for _ in range(20)]
    for request_id in generated:
        parsed = uuid.UUID(hex=request_id)
        assert (parsed.hex, parsed.version, parsed.variant) == (request_id, 4, uuid.RFC_4122)
    assert len(set(generated)) == len(generated)


async def test_the_response_carries_one_request_id_header(client: httpx.AsyncClient) -> None:
    response = await client.get("/health", headers={"X-Request-ID": "only-once"})
    assert response.headers.get_list("X-Request-ID") == ["only-once"]


async def test_error_responses_carry_the_request_id_too(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/tasks", headers={"X-Request-ID": "trace-401"})
    assert response.status_code == 401
    assert response.headers["X-Request-ID"] == "trace-401"


async def test_the_access_log_line_is_json_with_the_request_id(
    client: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="app.access"):
        await client.get("/api/health", headers={"X-Request-ID": "trace-me"})
    [record] = [record for record in caplog.records if record.name == "app.access"]
    line = json.loads(JsonFormatter().format(record))
    assert line["requestId"] == "trace-me"
    assert (line["method"], line["path"], line["status"]) == ("GET", "/api/health", 200)
    assert line["level"] == "info"


async def test_log_lines_never_contain_the_password_or_token(
    client: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG):
        signup = await client.post(
            "/api/auth/signup",
            json={"name": "Ada", "email": "ada@example.com", "password": "pw-never-logged"},
        )
    token = signup.json()["token"]
    formatted = "\n".join(JsonFormatter().format(record) for record in caplog.records)
    assert "pw-never-logged" not in formatted
    assert token not in formatted
