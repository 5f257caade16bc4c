"""What each shortcut still saves as deployed: CPU per cached profile read with it and without it.

uv run python -m bench.shortcuts                      # every shortcut, 3 alternating rounds
uv run python -m bench.shortcuts cors gc --rounds 2   # some of them

Each figure comes from a fresh process that builds one app, as a worker does, with Sentry on (its DSN
points at a local sink), Redis, uvloop, and the shortcut in place or replaced by the library's own
path; 64 concurrent callers read a cached profile and the process's CPU time per request is taken.
The processes alternate (as shipped, then without each shortcut, round after round) and the lowest
figure of each stands: other load on a shared machine only adds to it. Served runs under wrk moved
by ±15% between runs here, more than the 5% a shortcut must save; and one process must not build two
apps, since Sentry wraps every middleware class again at each build. The cached profile read is the
cheapest route, so a shortcut weighs the most there.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import AsyncIterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import sentry_sdk
import uvloop
from asgi_lifespan import LifespanManager
from fastapi import FastAPI
from redis.asyncio import Connection as AsyncioConnection
from redis.asyncio import Redis
from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Message

import app.main
from app import health
from app.auth.router import router as auth_router
from app.observability import logs, request_id
from app.redis import auto_pipeline, client
from app.settings import Settings
from app.tasks.router import router as tasks_router
from bench.processes import REPO_ROOT, BenchError, redis_server
from bench.sentry_sink import sentry_sink

CONCURRENCY = 64
REQUESTS = 3200
REPEATS = 3
THRESHOLD = 0.05
PROFILE = "/api/auth/profile"
SHIPPED = "shipped"

_ASYNCIO_CONNECTION = AsyncioConnection()


def _packed_by_redis_py(args: tuple[Any, ...], encoder: object, text_is_utf8: bool) -> bytes:
    """What redis-py's asyncio connection sends for ``args``: its own packer, in Python."""
    return b"".join(_ASYNCIO_CONNECTION.pack_command(*args))


def _iso_time_of_datetime(created: float) -> str:
    return datetime.fromtimestamp(created, UTC).isoformat(timespec="milliseconds")


# Each shortcut, and what takes its place without it: the library's own path.
WITHOUT: dict[str, list[tuple[object, str, object]]] = {
    "cors": [(app.main, "CORSMiddleware", CORSMiddleware)],
    "auto-pipelining": [(client, "AutoPipelinedRedis", Redis)],
    "hiredis-packing": [(auto_pipeline, "_packed", _packed_by_redis_py)],
    "gc": [(app.main, "settle_garbage_collector", lambda: None)],
    "request-id": [(request_id, "random_uuid_hex", lambda: uuid.uuid4().hex)],
    "log-time": [(logs, "iso_time", _iso_time_of_datetime)],
    "flat-routes": [(app.main, "_flat_routes", lambda *routers: [])],
}


def _build(settings: Settings, without: str) -> FastAPI:
    for module, name, value in WITHOUT.get(without, []):
        setattr(module, name, value)
    api = app.main.create_app(settings)
    if without == "flat-routes":
        for router in (auth_router, tasks_router, health.router):  # as before the shortcut
            api.include_router(router)
    return api


async def _call(asgi: ASGIApp, token: str) -> int:
    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET",
        "scheme": "http", "path": PROFILE, "raw_path": PROFILE.encode(), "query_string": b"", "root_path": "",
        "headers": [(b"host", b"bench"), (b"authorization", f"Bearer {token}".encode())],
        "client": ("127.0.0.1", 40000), "server": ("127.0.0.1", 8000),
    }  # fmt: skip
    status = 0

    async def receive() -> Message:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Message) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]

    await asyncio.wait_for(asgi(scope, receive, send), timeout=30)
    return status


@contextlib.asynccontextmanager
async def _started(api: FastAPI) -> AsyncIterator[tuple[ASGIApp, str]]:
    """The app started, with a signed-up user whose profile is cached; yields (app, token)."""
    async with LifespanManager(api) as manager:
        transport = httpx.ASGITransport(app=manager.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as http:
            user = {
                "name": "Shortcut Bench",
                "email": f"{uuid.uuid4().hex}@example.com",
                "password": "bench-pw",
            }
            signup = await http.post("/api/auth/signup", json=user)
            if signup.status_code != 201:
                raise BenchError(f"signup answered {signup.status_code}: {signup.text}")
            token: str = signup.json()["token"]
            await http.get(PROFILE, headers={"Authorization": f"Bearer {token}"})
        yield manager.app, token


async def _cpu_per_request(settings: Settings, without: str) -> float:
    """The lowest CPU µs per cached profile read over ``REPEATS`` loads of 64 concurrent callers."""
    async with _started(_build(settings, without)) as (asgi, token):
        if (status := await _call(asgi, token)) != 200:
            raise BenchError(f"{PROFILE} answered {status} before measuring")

        async def caller() -> None:
            for _ in range(REQUESTS // CONCURRENCY):
                await _call(asgi, token)

        best = float("inf")
        for _ in range(REPEATS):
            started = time.process_time()
            await asyncio.gather(*(caller() for _ in range(CONCURRENCY)))
            best = min(best, (time.process_time() - started) / REQUESTS * 1e6)
    sentry_sdk.flush()  # while the sink still listens
    return best


def measure_in_this_process(without: str, redis_url: str, dsn: str) -> float:
    settings = Settings(redis_url=redis_url, sentry_dsn=dsn, rate_limit_max=1_000_000_000, log_level="info")
    # Every log line is still formatted and written (part of the cost), into /dev/null.
    with open(os.devnull, "w") as devnull, contextlib.redirect_stdout(devnull):
        return uvloop.run(_cpu_per_request(settings, without))


def measure_in_a_fresh_process(without: str, redis_url: str, dsn: str) -> float:
    command = [
        sys.executable,
        "-m",
        "bench.shortcuts",
        "--in-process",
        without,
        "--redis-url",
        redis_url,
        "--dsn",
        dsn,
    ]
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"MONGODB_URI", "PYTHONDONTWRITEBYTECODE"}
    }
    done = subprocess.run(
        command, cwd=REPO_ROOT, env=env, capture_output=True, text=True, check=False, timeout=600
    )
    if done.returncode != 0:
        raise BenchError(f"measuring {without} failed:\n{done.stderr[-3000:]}")
    return float(done.stdout.split()[-1])


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.shortcuts", description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help=f"shortcuts to measure (default all: {', '.join(WITHOUT)})")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--in-process", help=argparse.SUPPRESS)  # one measurement, in a child process
    parser.add_argument("--redis-url", help=argparse.SUPPRESS)
    parser.add_argument("--dsn", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def _joined(figures: list[float]) -> str:
    return "/".join(f"{figure:.0f}" for figure in figures)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if args.in_process:
        print(f"{measure_in_this_process(args.in_process, args.redis_url, args.dsn):.2f}")
        return 0
    names = args.names or list(WITHOUT)
    if unknown := [name for name in names if name not in WITHOUT]:
        print(f"bench.shortcuts: no shortcut named {', '.join(unknown)} (known: {', '.join(WITHOUT)})")
        return 2
    figures: dict[str, list[float]] = {name: [] for name in [SHIPPED, *names]}
    try:
        with (
            tempfile.TemporaryDirectory(prefix="taskapi-shortcuts-") as scratch,
            sentry_sink() as sink,
            redis_server(Path(scratch)) as redis_url,
        ):
            for number in range(1, args.rounds + 1):
                for name in figures:
                    print(f"round {number}: {name} ...", file=sys.stderr, flush=True)
                    figures[name].append(measure_in_a_fresh_process(name, redis_url, sink.dsn))
    except BenchError as error:
        print(f"bench.shortcuts: {error}", file=sys.stderr)
        return 1
    shipped = min(figures[SHIPPED])
    print(f"{'shortcut':16} {'without (µs)':>12} {'saves µs':>9} {'share':>7}  runs")
    print(f"{'(as shipped)':16} {shipped:12.0f} {'':>9} {'':>7}  {_joined(figures[SHIPPED])}")
    for name in names:
        without = min(figures[name])
        saved = without - shipped
        verdict = "pays" if saved / without >= THRESHOLD else "below 5%"
        print(
            f"{name:16} {without:12.0f} {saved:9.1f} {saved / without:7.1%}  "
            f"{_joined(figures[name])}  {verdict}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
