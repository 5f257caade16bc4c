"""CPU time per request, measured in-process: a figure that other load on the machine barely moves.

wrk's req/s on a shared machine depends on what else runs; the CPU seconds this process spends per
request do not. Each variant strips layers off the same app, so the differences show what each costs.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import time
from collections.abc import Callable
from dataclasses import dataclass

import httpx
from asgi_lifespan import LifespanManager
from fastapi import FastAPI
from starlette.types import ASGIApp, Message

from app.main import create_app
from app.settings import Settings
from bench.floor import app as floor_app

CONCURRENCY = 64
REQUESTS = 6400
REPEATS = 3

# The app's middleware from the outside in, each with the name its row in the table gets. Stripping them
# one at a time in this order leaves a working app at every step, and the drop from one row to the
# next is what that layer costs.
LAYERS = (
    ("RequestIdMiddleware", "request id"),
    ("AccessLogMiddleware", "access log line"),
    ("MetricsMiddleware", "Prometheus metrics"),
    ("SecurityHeadersMiddleware", "security headers"),
    ("CORSMiddleware", "CORS"),
    ("RateLimitMiddleware", "rate limit (Redis script)"),
    ("BodyLimitMiddleware", "body size limit"),
    ("GZipMiddleware", "gzip"),
)


@dataclass(frozen=True)
class CpuCost:
    name: str
    microseconds: float


async def _call(app: ASGIApp, path: str, token: str | None) -> int:
    headers = [(b"host", b"bench")]
    if token is not None:
        headers.append((b"authorization", f"Bearer {token}".encode()))
    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET",
        "scheme": "http", "path": path, "raw_path": path.encode(), "query_string": b"", "root_path": "",
        "headers": headers, "client": ("127.0.0.1", 40000), "server": ("127.0.0.1", 8000),
    }  # fmt: skip
    status = 0

    async def receive() -> Message:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Message) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]

    await app(scope, receive, send)
    return status


async def _cpu_per_request(app: ASGIApp, path: str, token: str | None) -> float:
    if (status := await _call(app, path, token)) != 200:
        raise RuntimeError(f"{path} answered {status} before measuring")

    async def client() -> None:
        for _ in range(REQUESTS // CONCURRENCY):
            await _call(app, path, token)

    best = float("inf")
    for _ in range(REPEATS):
        started = time.process_time()
        await asyncio.gather(*(client() for _ in range(CONCURRENCY)))
        best = min(best, (time.process_time() - started) / REQUESTS * 1e6)
    return best


def _without(app: FastAPI, keep: Callable[[str], bool]) -> FastAPI:
    app.user_middleware = [layer for layer in app.user_middleware if keep(getattr(layer.cls, "__name__", ""))]
    return app


def _all_but(gone: frozenset[str]) -> Callable[[str], bool]:
    return lambda name: name not in gone


async def measure_cpu(redis_url: str, rate_limit: int) -> list[CpuCost]:
    # Every log line is still formatted and written (that is part of the cost), but into /dev/null:
    # the app's handler writes to whatever sys.stdout is at the time.
    with open(os.devnull, "w") as devnull, contextlib.redirect_stdout(devnull):  # noqa: ASYNC230 - never blocks
        return await _measure_cpu(redis_url, rate_limit)


async def _measure_cpu(redis_url: str, rate_limit: int) -> list[CpuCost]:
    settings = Settings(redis_url=redis_url, rate_limit_max=rate_limit, log_level="info")
    variants = {"task API, GET /api/auth/profile (cache hit)": create_app(settings)}
    stripped: set[str] = set()
    for layer, label in LAYERS:
        stripped.add(layer)
        name = f"  minus {label}" + (" (no middleware left)" if len(stripped) == len(LAYERS) else "")
        variants[name] = _without(create_app(settings), _all_but(frozenset(stripped)))
    costs = [CpuCost("floor: bare FastAPI GET /floor", await _cpu_per_request(floor_app, "/floor", None))]
    token: str | None = None
    for name, app in variants.items():
        async with LifespanManager(app) as manager:
            if token is None:
                transport = httpx.ASGITransport(app=manager.app)
                async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
                    user = {"name": "Cpu Bench", "email": "cpu@example.com", "password": "bench-password"}
                    token = (await client.post("/api/auth/signup", json=user)).json()["token"]
            costs.append(CpuCost(name, await _cpu_per_request(manager.app, "/api/auth/profile", token)))
    return costs
