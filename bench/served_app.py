"""The app factory the benchmark serves (through ``python -m bench.api_server``), able to leave parts out.

Production never builds the app this way: ``python -m app`` names its own factory, and the image does
not ship ``bench/``. Read by the factory in each worker:

- ``BENCH_FIXED_STORE=1``: tasks come from ``FixedTaskRepository``, so a figure shows what the API
  costs without what the store costs;
- ``BENCH_WITHOUT=name``: the app with that shortcut replaced by the library's own path (see
  ``WITHOUT``), so the difference shows what the shortcut saves.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable
from datetime import UTC, datetime

from fastapi import FastAPI
from redis.asyncio import Redis
from starlette.middleware.cors import CORSMiddleware
from starlette.middleware.gzip import GZipMiddleware

import app.main
from app import health
from app.auth.router import router as auth_router
from app.observability import access_log, logs, request_id
from app.redis import client
from app.tasks.deps import task_repository
from app.tasks.router import router as tasks_router
from bench.fixed_store import FixedTaskRepository

FIXED_STORE_ENV = "BENCH_FIXED_STORE"
WITHOUT_ENV = "BENCH_WITHOUT"


def _replace(module: object, name: str, value: object) -> None:
    """Swap one of the app's names before the app is built (this module's measurement switches only)."""
    setattr(module, name, value)


def _without_cors_shortcut() -> None:
    _replace(app.main, "CORSMiddleware", CORSMiddleware)


def _without_gzip_responder() -> None:
    _replace(app.main, "GZipMiddleware", GZipMiddleware)


def _without_log_fast_path() -> None:
    _replace(access_log, "sole_json_handler", lambda logger, level: None)


def _without_auto_pipelining() -> None:
    _replace(client, "AutoPipelinedRedis", Redis)


def _without_gc_tuning() -> None:
    _replace(app.main, "settle_garbage_collector", lambda: None)


def _without_request_id_bytes() -> None:
    _replace(request_id, "random_uuid_hex", lambda: uuid.uuid4().hex)


def _without_log_time_prefix() -> None:
    _replace(
        logs,
        "iso_time",
        lambda created: datetime.fromtimestamp(created, UTC).isoformat(timespec="milliseconds"),
    )


def _without_flat_routes() -> None:
    _replace(app.main, "_flat_routes", lambda *routers: [])


WITHOUT: dict[str, Callable[[], None]] = {
    "cors": _without_cors_shortcut,
    "gzip": _without_gzip_responder,
    "log-fast-path": _without_log_fast_path,
    "auto-pipelining": _without_auto_pipelining,
    "gc": _without_gc_tuning,
    "request-id": _without_request_id_bytes,
    "log-time": _without_log_time_prefix,
    "flat-routes": _without_flat_routes,
}


def create_app() -> FastAPI:
    without = os.environ.get(WITHOUT_ENV)
    if without:
        WITHOUT[without]()
    api = app.main.create_app()
    if without == "flat-routes":
        for router in (auth_router, tasks_router, health.router):
            api.include_router(router)
    if os.environ.get(FIXED_STORE_ENV) == "1":
        repository = FixedTaskRepository()

        async def fixed_repository() -> FixedTaskRepository:
            return repository

        api.dependency_overrides[task_repository] = fixed_repository
    return api
