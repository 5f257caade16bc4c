"""X-Request-ID on every response and every log line: taken from the client when sane, else generated."""

from __future__ import annotations

import os
import re
from contextvars import ContextVar

from starlette.types import ASGIApp, Receive, Scope, Send

from app.web.response_headers import appending, editing_response_headers

REQUEST_ID_HEADER = "X-Request-ID"
_RAW_HEADER_NAME = REQUEST_ID_HEADER.lower().encode("latin-1")
# Sane means short and printable: anything else could forge or break log lines downstream.
_SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9._:\-]{1,128}")

request_id_var: ContextVar[str | None] = ContextVar("request_id", default=None)


def accept_or_generate(candidate: bytes | None) -> str:
    if candidate is not None:
        text = candidate.decode("latin-1")
        if _SANE_REQUEST_ID.fullmatch(text):
            return text
    return random_uuid_hex()


def random_uuid_hex() -> str:
    """A random (version 4) UUID as 32 hex digits, what ``uuid.uuid4().hex`` gives.

    Built from the bytes directly: uuid.UUID's constructor checks its arguments at four times the
    cost of the random bytes themselves, on every request.
    """
    octets = bytearray(os.urandom(16))
    octets[6] = (octets[6] & 0x0F) | 0x40  # version 4
    octets[8] = (octets[8] & 0x3F) | 0x80  # the RFC 4122 variant
    return octets.hex()


class RequestIdMiddleware:
    """Pure ASGI so the id is set before anything else runs, including the other middleware."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = None
        for name, value in scope["headers"]:
            if name == b"x-request-id":
                incoming = value
                break
        request_id = accept_or_generate(incoming)
        scope.setdefault("state", {})["request_id"] = request_id
        token = request_id_var.set(request_id)
        # Added, not set: nothing inside this middleware sets the header.
        send_with_id = editing_response_headers(
            send, appending([(_RAW_HEADER_NAME, request_id.encode("latin-1"))])
        )
        try:
            await self.app(scope, receive, send_with_id)
        finally:
            request_id_var.reset(token)
