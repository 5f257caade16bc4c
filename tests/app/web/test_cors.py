"""The CORS middleware answers byte for byte what Starlette's own answers, with or without an Origin."""

from __future__ import annotations

from typing import Any

import pytest
from starlette.middleware import cors as starlette_cors
from starlette.types import ASGIApp

from app.main import EXPOSED_HEADERS
from app.web.cors import CORSMiddleware
from tests.app.web.asgi_exchange import Headers, messages_sent

ALLOWED_ORIGIN = b"https://app.example.com"
OPTIONS: dict[str, Any] = {
    "allow_origins": [ALLOWED_ORIGIN.decode()],
    "allow_methods": ["GET", "POST", "PUT", "DELETE", "OPTIONS"],
    "allow_headers": ["Authorization", "Content-Type", "X-Request-ID"],
    "expose_headers": EXPOSED_HEADERS,
    "max_age": 600,
}

REQUESTS: dict[str, tuple[str, Headers]] = {
    "no origin": ("GET", [(b"host", b"api.example.com")]),
    "allowed origin": ("GET", [(b"origin", ALLOWED_ORIGIN)]),
    "unknown origin": ("GET", [(b"origin", b"https://evil.example.net")]),
    "preflight": (
        "OPTIONS",
        [(b"origin", ALLOWED_ORIGIN), (b"access-control-request-method", b"POST")],
    ),
}

RESPONSES: dict[str, Headers] = {
    "no vary": [(b"content-type", b"application/json")],
    "one vary": [(b"vary", b"Accept-Encoding"), (b"content-type", b"application/json")],
    "two varies": [(b"vary", b"Accept-Encoding"), (b"content-length", b"2"), (b"vary", b"Cookie")],
}


def answering(headers: Headers) -> ASGIApp:
    async def app(scope: Any, receive: Any, send: Any) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": list(headers)})
        await send({"type": "http.response.body", "body": b"{}"})

    return app


@pytest.mark.parametrize("request_name", REQUESTS)
@pytest.mark.parametrize("response_name", RESPONSES)
async def test_the_answer_is_starlettes(request_name: str, response_name: str) -> None:
    method, request_headers = REQUESTS[request_name]
    inner = answering(RESPONSES[response_name])
    ours = await messages_sent(CORSMiddleware(inner, **OPTIONS), method, request_headers)
    theirs = await messages_sent(starlette_cors.CORSMiddleware(inner, **OPTIONS), method, request_headers)
    assert ours == theirs


async def test_a_request_without_an_origin_varies_on_origin_after_the_existing_values() -> None:
    inner = answering(RESPONSES["two varies"])
    start, _ = await messages_sent(CORSMiddleware(inner, **OPTIONS), *REQUESTS["no origin"])
    assert start["headers"] == [(b"vary", b"Accept-Encoding, Cookie, Origin"), (b"content-length", b"2")]
