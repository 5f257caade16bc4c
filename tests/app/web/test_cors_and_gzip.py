"""CORS answers only the allow-listed origins; large responses are gzip-compressed."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
from fastapi import FastAPI
from fastapi.responses import StreamingResponse

from tests.app.taskapi_testing import Account


async def test_an_allowed_origin_gets_cors_headers(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/health", headers={"Origin": "https://app.example.com"})
    assert response.headers["Access-Control-Allow-Origin"] == "https://app.example.com"
    assert "X-Total-Count" in response.headers["Access-Control-Expose-Headers"]


async def test_an_unknown_origin_gets_no_cors_headers(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/health", headers={"Origin": "https://evil.example.net"})
    assert "Access-Control-Allow-Origin" not in response.headers


async def test_a_preflight_from_an_allowed_origin_is_answered(client: httpx.AsyncClient) -> None:
    response = await client.options(
        "/api/tasks",
        headers={
            "Origin": "https://app.example.com",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "Authorization, Content-Type",
        },
    )
    assert response.status_code == 200
    assert "POST" in response.headers["Access-Control-Allow-Methods"]


async def test_a_preflight_from_an_unknown_origin_is_refused(client: httpx.AsyncClient) -> None:
    response = await client.options(
        "/api/tasks",
        headers={"Origin": "https://evil.example.net", "Access-Control-Request-Method": "POST"},
    )
    assert response.status_code == 400


async def add_a_page_of_tasks(client: httpx.AsyncClient, account: Account) -> None:
    """Twenty tasks: their page is well over gzip's minimum size."""
    batch = {"tasks": [{"title": f"task {n}", "description": "d" * 100} for n in range(20)]}
    await client.post("/api/tasks/batch", json=batch, headers=account.headers)


async def large_list_for_a_gzip_client(client: httpx.AsyncClient, account: Account) -> httpx.Response:
    """A page of twenty tasks, asked for by a client that takes gzip."""
    await add_a_page_of_tasks(client, account)
    return await client.get("/api/tasks", headers={**account.headers, "Accept-Encoding": "gzip"})


async def test_a_large_list_is_gzipped_for_clients_that_accept_it(
    client: httpx.AsyncClient, alice: Account
) -> None:
    response = await large_list_for_a_gzip_client(client, alice)
    assert response.headers["Content-Encoding"] == "gzip"
    assert len(response.json()) == 20


async def test_a_tiny_response_is_not_compressed(client: httpx.AsyncClient) -> None:
    response = await client.get("/health", headers={"Accept-Encoding": "gzip"})
    assert "Content-Encoding" not in response.headers


async def test_a_large_event_stream_is_never_compressed(app: FastAPI, client: httpx.AsyncClient) -> None:
    async def events() -> AsyncIterator[bytes]:
        for number in range(50):
            yield f"data: event {number} {'x' * 40}\n\n".encode()

    app.add_api_route("/test/events", lambda: StreamingResponse(events(), media_type="text/event-stream"))
    response = await client.get("/test/events", headers={"Accept-Encoding": "gzip"})
    assert "Content-Encoding" not in response.headers
    assert response.text.count("data: event") == 50


async def test_a_large_json_answer_names_accept_encoding_in_vary(
    client: httpx.AsyncClient, alice: Account
) -> None:
    response = await large_list_for_a_gzip_client(client, alice)
    assert response.headers["Vary"] == "Accept-Encoding, Origin"


async def test_a_large_list_is_compressed_at_the_fastest_level(
    client: httpx.AsyncClient, alice: Account
) -> None:
    await add_a_page_of_tasks(client, alice)
    headers = {**alice.headers, "Accept-Encoding": "gzip"}
    async with client.stream("GET", "/api/tasks", headers=headers) as response:
        raw = b"".join([chunk async for chunk in response.aiter_raw()])
    assert raw[:2] == b"\x1f\x8b"  # a gzip member as sent, before httpx decodes it
    # The gzip header's extra-flags byte (RFC 1952): 4 for the fastest compression, 2 for the slowest.
    assert raw[8] == 4
