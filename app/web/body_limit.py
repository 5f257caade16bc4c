"""413 for request bodies over the limit, whether announced by Content-Length or streamed in chunks."""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.errors import message_body_bytes
from app.web.response_start import NotingStart

MAX_BODY_BYTES = 1024 * 1024


class _BodyTooLarge(HTTPException):
    """An HTTPException so the framework's body parsing passes it through instead of answering 400."""

    def __init__(self, max_bytes: int) -> None:
        super().__init__(413, f"Request body exceeds the {max_bytes} byte limit")


class BodyLimitMiddleware:
    def __init__(self, app: ASGIApp, max_bytes: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared: bytes | None = None
        chunked = False
        for name, value in scope["headers"]:
            if name == b"content-length":
                declared = value
            elif name == b"transfer-encoding":
                chunked = True
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await self._reject(send)
            return
        if not chunked:
            # The server frames the body by its Content-Length (none: no body at all), so what arrives
            # cannot exceed what was declared: nothing to count. Most requests take this path.
            await self.app(scope, receive, send)
            return

        received = 0

        # A chunked body announces no length: count while the app reads it.
        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise _BodyTooLarge(self.max_bytes)
            return message

        noting_start = NotingStart(send)
        try:
            await self.app(scope, counting_receive, noting_start)
        except _BodyTooLarge:
            if not noting_start.started:
                await self._reject(send)

    async def _reject(self, send: Send) -> None:
        body = message_body_bytes(f"Request body exceeds the {self.max_bytes} byte limit")
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                    (b"connection", b"close"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})
