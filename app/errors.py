"""One error hierarchy for the API, and the two JSON shapes the Express clients expect.

Validation problems answer 400 ``{"errors": [{msg, path, ...}]}``; everything else ``{"message": ...}``.
Middleware (rate limit, body limit) builds its answers with the same helpers so every error looks alike.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from starlette.responses import JSONResponse


class AppError(Exception):
    """An error the client caused or must be told about; never logged as a server fault."""

    status_code = 500

    def __init__(self, message: str, headers: Mapping[str, str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.headers = dict(headers or {})


class BadRequestError(AppError):
    status_code = 400


class UnauthorizedError(AppError):
    status_code = 401


class NotFoundError(AppError):
    status_code = 404


# Every 503 a client gets (a dependency down, not its mistake) says the same, whatever is down.
SERVICE_UNAVAILABLE = "Service temporarily unavailable, please try again shortly."
# About how long a replica-set election or a dropped connection takes to heal.
DATABASE_RETRY_AFTER_SECONDS = 5


class ServiceUnavailableError(AppError):
    status_code = 503


class DatabaseUnavailableError(ServiceUnavailableError):
    """MongoDB cannot serve this request yet; the client may retry in a few seconds."""

    def __init__(self) -> None:
        super().__init__(SERVICE_UNAVAILABLE, {"Retry-After": str(DATABASE_RETRY_AFTER_SECONDS)})


def message_response(
    status_code: int, message: str, headers: Mapping[str, str] | None = None
) -> JSONResponse:
    """The ``{"message": ...}`` body the Express service used for every non-validation error."""
    return JSONResponse({"message": message}, status_code=status_code, headers=dict(headers or {}))


def field_error(msg: str, path: str, location: str = "body", **extra: Any) -> dict[str, Any]:
    """One express-validator style entry; ``param`` repeats ``path`` for clients of its older releases."""
    return {"type": "field", "msg": msg, "path": path, "param": path, "location": location, **extra}


def validation_response(errors: Sequence[Mapping[str, Any]]) -> JSONResponse:
    return JSONResponse({"errors": list(errors)}, status_code=400)


def message_body_bytes(message: str) -> bytes:
    """The same body as raw bytes, for pure-ASGI middleware that writes its own response."""
    return json.dumps({"message": message}).encode()
