"""One JSON line per request, written inside the request-id context (uvicorn's own access log is off)."""

from __future__ import annotations

import logging

from starlette.types import Scope

from app.observability.response_observer import ResponseObserver

logger = logging.getLogger("app.access")
MESSAGE = "request"


class AccessLogMiddleware(ResponseObserver):
    def observe(self, scope: Scope, status: int, seconds: float) -> None:
        logger.info(
            MESSAGE,
            extra={
                "method": scope["method"],
                "path": scope["path"],
                "status": status,
                "durationMs": round(seconds * 1000, 2),
            },
        )
