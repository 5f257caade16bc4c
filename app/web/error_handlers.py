"""Map every failure to the Express service's error shapes; a client mistake never becomes a 500."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from pymongo.errors import ConnectionFailure
from starlette.exceptions import HTTPException
from starlette.responses import Response
from starlette.routing import Match
from starlette.types import ASGIApp, Receive, Scope, Send

from app.errors import (
    AppError,
    DatabaseUnavailableError,
    field_error,
    message_response,
    validation_response,
)
from app.observability.request_id import REQUEST_ID_HEADER, request_id_var
from app.web.response_start import NotingStart

logger = logging.getLogger(__name__)

_LOCATIONS = frozenset({"body", "query", "path", "header", "cookie"})
# The methods an Allow header may name, in the order RFC 9110 lists them.
_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "CONNECT")


def field_path(loc: Sequence[int | str]) -> str:
    """``("tasks", 3, "title")`` -> ``tasks[3].title``, the way express-validator names nested fields."""
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else str(part)
    return path


def express_errors(errors: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    converted = []
    for error in errors:
        loc = list(error.get("loc", ()))
        location = str(loc.pop(0)) if loc and loc[0] in _LOCATIONS else "body"
        if error.get("type") == "json_invalid":
            converted.append(field_error("Malformed JSON in request body", "", location))
            continue
        message = str(error.get("msg", "Invalid value")).removeprefix("Value error, ")
        converted.append(field_error(message, field_path(loc), location))
    return converted


async def _on_app_error(_: Request, exc: Exception) -> Response:
    assert isinstance(exc, AppError)
    return message_response(exc.status_code, exc.message, exc.headers)


async def _on_validation_error(_: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    return validation_response(express_errors(exc.errors()))


def allowed_methods(request: Request) -> list[str]:
    """Every method some route of the app answers at this request's path.

    The router hands a wrong method to the first route whose path matches, and that route's 405 names
    only its own methods: ``OPTIONS /api/tasks`` would say ``Allow: GET`` though POST is served too.
    Each method is put to the app's routes through their public ``matches``, whatever kind they are."""
    routes = request.app.router.routes
    return [
        method
        for method in _METHODS
        if any(route.matches(_probe(request, method))[0] is Match.FULL for route in routes)
    ]


def _probe(request: Request, method: str) -> Scope:
    """A bare scope for ``method`` at the request's path, so matching leaves the request untouched."""
    return {
        "type": "http",
        "path": request.scope["path"],
        "root_path": request.scope.get("root_path", ""),
        "method": method,
        "headers": [],
    }


async def _on_http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    message = exc.detail if isinstance(exc.detail, str) else HTTPStatus(exc.status_code).phrase
    if exc.status_code == 400:
        # The framework's own 400s (e.g. a body that is not UTF-8) are input problems like any other.
        return validation_response([field_error(message, "", "body")])
    if exc.status_code == 404 and message == HTTPStatus.NOT_FOUND.phrase:
        message = "Route not found"
    headers = dict(exc.headers or {})
    if exc.status_code == 405:
        headers["Allow"] = ", ".join(allowed_methods(request)) or headers.get("Allow", "")
    return message_response(exc.status_code, message, headers)


async def _on_database_unreachable(request: Request, exc: Exception) -> Response:
    # Not the client's fault and not a bug: MongoDB did not answer (an election, a network fault).
    # The error's text names hosts at most; the URI with its password is never logged.
    logger.warning(
        "database unreachable",
        extra={"method": request.method, "path": request.url.path, "error": type(exc).__name__},
    )
    # The same answer as a route refused before the store is ready.
    return await _on_app_error(request, DatabaseUnavailableError())


# Where UnhandledErrorMiddleware leaves the exception it answered, for the fallback below to recognise.
_ANSWERED = "unhandled_error"


def _internal_error(request: Request, exc: Exception, headers: Mapping[str, str] | None = None) -> Response:
    """Logs ``exc`` with its stack trace; the client gets the generic 500 and nothing of the trace."""
    logger.error("unhandled error", exc_info=exc, extra={"method": request.method, "path": request.url.path})
    return message_response(500, "Internal server error", headers)


class UnhandledErrorMiddleware:
    """Answers an exception that nothing handled with the app's 500, inside the app's middleware.

    Starlette answers such an exception in its ServerErrorMiddleware, outside every middleware the app
    adds: there the request id is no longer set, so the error line carried ``requestId: null``, and the
    500 went out without the request id, security and CORS headers every other answer has. Answered
    here, the line and the response carry them. The exception is raised on, as Starlette does, so the
    server and Sentry still see it.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        noting_start = NotingStart(send)
        try:
            await self.app(scope, receive, noting_start)
        except Exception as exc:
            response = _internal_error(Request(scope), exc)
            if not noting_start.started:
                await response(scope, receive, send)
            scope.setdefault("state", {})[_ANSWERED] = exc
            raise


async def _on_unexpected_error(request: Request, exc: Exception) -> Response:
    """Starlette's ServerErrorMiddleware, outside the app's middleware, calls this for every exception
    that reaches it, even one already answered: that one is not logged twice (nor answered twice, the
    response having started)."""
    state = request.scope.get("state", {})
    if state.get(_ANSWERED) is exc:
        return message_response(500, "Internal server error")
    # Raised by the app's middleware itself: the request-id context is gone, but not the id.
    request_id: str | None = state.get("request_id")
    token = request_id_var.set(request_id)
    try:
        return _internal_error(request, exc, {REQUEST_ID_HEADER: request_id} if request_id else None)
    finally:
        request_id_var.reset(token)


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(AppError, _on_app_error)
    app.add_exception_handler(RequestValidationError, _on_validation_error)
    app.add_exception_handler(HTTPException, _on_http_error)
    app.add_exception_handler(ConnectionFailure, _on_database_unreachable)
    app.add_exception_handler(Exception, _on_unexpected_error)
