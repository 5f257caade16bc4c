"""The gzip middleware answers what Starlette's own answers, and skips its work for small responses."""

from __future__ import annotations

import gzip
from typing import Any

import pytest
from starlette.middleware import gzip as starlette_gzip
from starlette.types import ASGIApp, Message

from app.main import GZIP_EXCLUDED_CONTENT_TYPES
from app.web.compression import GZipMiddleware
from tests.app.web.asgi_exchange import messages_sent

MINIMUM_SIZE = 1024
LARGE = b'{"title":"' + b"task " * 400 + b'"}'
SMALL = b'{"title":"task"}'


def start(status: int = 200, *headers: tuple[bytes, bytes]) -> Message:
    return {"type": "http.response.start", "status": status, "headers": list(headers)}


def body(content: bytes, more: bool = False) -> Message:
    return {"type": "http.response.body", "body": content, "more_body": more}


def json_start(length: int | None, *extra: tuple[bytes, bytes], status: int = 200) -> Message:
    headers = [(b"content-type", b"application/json"), *extra]
    if length is not None:
        headers.append((b"content-length", str(length).encode()))
    return start(status, *headers)


RESPONSES: dict[str, list[Message]] = {
    "small with its length": [json_start(len(SMALL)), body(SMALL)],
    "large with its length": [json_start(len(LARGE)), body(LARGE)],
    "small without a length": [json_start(None), body(SMALL)],
    "large streamed": [
        json_start(None),
        body(LARGE[:600], more=True),
        body(LARGE[600:], more=True),
        body(b""),
    ],
    "already encoded": [json_start(len(LARGE), (b"content-encoding", b"br")), body(LARGE)],
    "partial content": [json_start(len(LARGE), status=206), body(LARGE)],
    "event stream": [start(200, (b"content-type", b"text/event-stream")), body(LARGE, more=True), body(b"")],
    "length not a number": [json_start(None, (b"content-length", b"abc")), body(SMALL)],
}
CLIENTS = {"gzip client": [(b"accept-encoding", b"gzip, deflate")], "identity client": []}


def answering(messages: list[Message]) -> ASGIApp:
    async def app(scope: Any, receive: Any, send: Any) -> None:
        for message in messages:
            # A copy each time: middleware may edit a message, and both middleware replay the same list.
            await send(
                {**message, "headers": list(message["headers"])} if "headers" in message else dict(message)
            )

    return app


def both(messages: list[Message]) -> tuple[ASGIApp, ASGIApp]:
    options: dict[str, Any] = {
        "minimum_size": MINIMUM_SIZE,
        "exclude_content_types": GZIP_EXCLUDED_CONTENT_TYPES,
    }
    inner = answering(messages)
    return GZipMiddleware(inner, **options), starlette_gzip.GZipMiddleware(inner, **options)


@pytest.mark.parametrize("client", CLIENTS)
@pytest.mark.parametrize("response", RESPONSES)
async def test_the_answer_is_starlettes(client: str, response: str) -> None:
    ours, theirs = both(RESPONSES[response])
    request_headers = CLIENTS[client]
    ours_sent = await messages_sent(ours, "GET", request_headers)
    assert ours_sent == await messages_sent(theirs, "GET", request_headers)


async def test_a_large_response_is_compressed_for_a_client_that_accepts_gzip() -> None:
    ours, _ = both(RESPONSES["large with its length"])
    started, sent = await messages_sent(ours, "GET", CLIENTS["gzip client"])
    assert (b"content-encoding", b"gzip") in started["headers"]
    assert (b"vary", b"Accept-Encoding") in started["headers"]
    assert gzip.decompress(sent["body"]) == LARGE


async def test_a_small_declared_length_streamed_in_parts_passes_uncompressed() -> None:
    # The one difference from Starlette, which would compress this body: it arrives untouched.
    messages = [json_start(len(SMALL)), body(SMALL[:5], more=True), body(SMALL[5:])]
    ours, _ = both(messages)
    sent = await messages_sent(ours, "GET", CLIENTS["gzip client"])
    assert sent == messages
