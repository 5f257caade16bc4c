"""Starlette's CORS middleware, with a cheaper path for the requests that carry no Origin header."""

from __future__ import annotations

from starlette.middleware import cors
from starlette.types import Receive, Scope, Send

from app.web.response_headers import RawHeaders, editing_response_headers

_VARY = b"vary"
_ORIGIN = b"Origin"


class CORSMiddleware(cors.CORSMiddleware):
    """Answers exactly as Starlette's does; only the request without an Origin takes a shorter path.

    Such a request (a same-origin page, a mobile app, a server, a load generator) gets no CORS headers,
    only ``Vary: Origin``. Starlette still parses the request's headers for it and rebuilds the
    response's through ``MutableHeaders``: about 8 us of CPU on every such request, a twentieth of a
    cached profile read. Requests with an Origin, preflights included, go through Starlette unchanged.
    """

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or _has_origin(scope):
            await super().__call__(scope, receive, send)
            return
        await self.app(scope, receive, editing_response_headers(send, _vary_on_origin))


def _has_origin(scope: Scope) -> bool:
    return any(name == b"origin" for name, _ in scope["headers"])


def _vary_on_origin(headers: RawHeaders) -> RawHeaders:
    """The headers with Origin added to Vary, as Starlette does it: every Vary header's values joined
    into the first one, followed by Origin; a Vary header appended when there was none."""
    varies = [index for index, (name, _) in enumerate(headers) if name == _VARY]
    if not varies:
        return [*headers, (_VARY, _ORIGIN)]
    joined = b", ".join([*(headers[index][1] for index in varies), _ORIGIN])
    merged = list(headers)
    merged[varies[0]] = (_VARY, joined)
    for index in reversed(varies[1:]):
        del merged[index]
    return merged
