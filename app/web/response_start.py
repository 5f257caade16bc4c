"""Whether a response has started: what a middleware answering an error must know before it answers."""

from __future__ import annotations

from starlette.types import Message, Send


class NotingStart:
    """``send``, noting when the response's start message goes through it (``started``): after that, a
    middleware can no longer answer in its place."""

    def __init__(self, send: Send) -> None:
        self._send = send
        self.started = False

    async def __call__(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self.started = True
        await self._send(message)
