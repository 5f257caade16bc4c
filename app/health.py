"""Liveness (/health, /api/health) and readiness (/ready): the paths the chart probes."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable
from datetime import UTC, datetime
from typing import Literal

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field
from starlette.responses import Response

from app.observability.sentry import NamedRoute
from app.serialization import JsDateTime

logger = logging.getLogger(__name__)

PROBE_TIMEOUT_SECONDS = 2.0

router = APIRouter(tags=["health"], route_class=NamedRoute)


class Health(BaseModel):
    status: Literal["OK"] = "OK"
    timestamp: JsDateTime = Field(description="Current server time (UTC)")
    uptime: float = Field(description="Seconds since this worker process started")


DependencyState = Literal["up", "down", "not configured"]


class Readiness(BaseModel):
    status: Literal["ready", "not ready"]
    mongodb: DependencyState
    indexes: Literal["ensured", "pending"] = Field(
        description="pending while MongoDB has not answered since startup; the API retries meanwhile"
    )
    redis: DependencyState
    durable: bool = Field(
        description="False when the data lives in memory only (the embedded development server)"
    )


def _health(request: Request) -> Health:
    started: float = request.app.state.started_monotonic
    return Health(timestamp=datetime.now(UTC), uptime=round(time.monotonic() - started, 3))


@router.get("/health", summary="Liveness: the process answers (no dependency checks)")
async def health(request: Request) -> Health:
    return _health(request)


@router.get("/api/health", summary="Liveness at the Express service's path")
async def api_health(request: Request) -> Health:
    return _health(request)


async def _probe(name: str, check: Awaitable[object]) -> DependencyState:
    try:
        async with asyncio.timeout(PROBE_TIMEOUT_SECONDS):
            await check
    except Exception as exc:
        logger.warning("readiness probe failed", extra={"dependency": name, "error": type(exc).__name__})
        return "down"
    return "up"


@router.get(
    "/ready",
    summary="Readiness: MongoDB must answer and its indexes exist; Redis is reported but not required",
    responses={
        503: {"model": Readiness, "description": "MongoDB does not answer, or its indexes are pending"}
    },
)
async def ready(request: Request, response: Response) -> Readiness:
    state = request.app.state
    mongodb = await _probe("mongodb", state.store.ping())
    redis_state: DependencyState = "not configured"
    if state.redis is not None:
        redis_state = await _probe("redis", state.redis.ping())
    # Redis down is a degraded mode (MongoDB reads, per-process limits), not a reason to drop the pod.
    indexes_ensured: bool = state.store_preparation.ready
    is_ready = mongodb == "up" and indexes_ensured
    readiness = Readiness(
        status="ready" if is_ready else "not ready",
        mongodb=mongodb,
        indexes="ensured" if indexes_ensured else "pending",
        redis=redis_state,
        durable=state.store.durable,
    )
    if not is_ready:
        response.status_code = 503
    return readiness
