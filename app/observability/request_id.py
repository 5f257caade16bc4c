"""X-Request-ID on every response and every log line: taken from the client when sane, else generated."""

from __future__ import annotations

import re
import uuid
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
    return uuid.uuid4().hex


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
