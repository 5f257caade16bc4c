"""One request straight through an ASGI app, for tests that compare what middleware sends."""

from __future__ import annotations

from starlette.types import ASGIApp, Message

Headers = list[tuple[bytes, bytes]]


async def messages_sent(app: ASGIApp, method: str, headers: Headers) -> list[Message]:
    """Every message ``app`` sends for one request to /api/tasks with ``headers`` and no body."""
    scope = {"type": "http", "method": method, "path": "/api/tasks", "headers": headers, "query_string": b""}
    sent: list[Message] = []

    async def receive() -> Message:
        return {"type": "http.request", "body": b""}

    async def send(message: Message) -> None:
        sent.append(message)

    await app(scope, receive, send)
    return sent
