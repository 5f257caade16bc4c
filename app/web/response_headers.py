"""The one way a pure-ASGI middleware here changes the headers of the response passing through it."""

from __future__ import annotations

from collections.abc import Callable

from starlette.types import Message, Send

RawHeaders = list[tuple[bytes, bytes]]


def editing_response_headers(send: Send, edit: Callable[[RawHeaders], RawHeaders]) -> Send:
    """``send``, with the headers of the response's start message replaced by ``edit(headers)``.

    Raw header pairs are edited directly: Starlette's ``MutableHeaders`` would decode and rescan them
    for every response.
    """

    async def send_edited(message: Message) -> None:
        if message["type"] == "http.response.start":
            message["headers"] = edit(list(message.get("headers", ())))
        await send(message)

    return send_edited


def appending(added: RawHeaders) -> Callable[[RawHeaders], RawHeaders]:
    """An edit that appends ``added`` after the response's own headers."""
    return lambda headers: [*headers, *added]
