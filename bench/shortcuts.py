"""What each shortcut still saves as deployed, as a share of the CPU a cached profile read costs.

uv run python -m bench.shortcuts              # every shortcut
uv run python -m bench.shortcuts --rounds 5   # more processes per figure on a busy machine

The whole request, measured per process: a fresh process builds one app as a worker does (Sentry on,
its DSN pointing at a local sink; Redis; uvloop), 64 concurrent callers read a cached profile, and
the process's CPU time per request is taken. Processes alternate (as shipped, then without each
systemic shortcut) and the lowest figure of each stands. On this shared machine that figure still
moved by a third from process to process, far more than 5%: it decides only the shortcuts whose
effect is larger than that (automatic pipelining, the collector's tuning), and gives the share's
denominator, the lowest figure as shipped (which favours keeping a shortcut).

Each local shortcut is timed on its own instead, its code against the library's doing the same work
for one request, in a tight loop (the lowest of several repeats): a figure steady to a fraction of a
microsecond, divided by that denominator.
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
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
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
from starlette.types import ASGIApp, Message, Receive, Scope, Send

import app.main
from app import health
from app.auth.router import router as auth_router
from app.errors import UnauthorizedError
from app.main import EXPOSED_HEADERS
from app.observability import logs, request_id
from app.redis import auto_pipeline, client
from app.settings import Settings
from app.tasks.router import router as tasks_router
from app.web.cors import CORSMiddleware as ShortcutCORSMiddleware
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


# Each systemic shortcut, and what takes its place without it: the library's own path.
WITHOUT: dict[str, list[tuple[object, str, object]]] = {
    "auto-pipelining": [(client, "AutoPipelinedRedis", Redis)],
    "gc": [(app.main, "settle_garbage_collector", lambda: None)],
}


def _build(settings: Settings, without: str) -> FastAPI:
    for module, name, value in WITHOUT.get(without, []):
        setattr(module, name, value)
    return app.main.create_app(settings)


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


# Timed on its own: the shortcut's work for one request, and the library's doing the same.
LOOPS = 20_000
ISOLATED_REPEATS = 7


def _time_per_call(call: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(ISOLATED_REPEATS):
        started = time.process_time()
        for _ in range(LOOPS):
            call()
        best = min(best, (time.process_time() - started) / LOOPS * 1e6)
    return best


def _time_per_request(request: Callable[[], Awaitable[object]]) -> float:
    async def loop() -> float:
        best = float("inf")
        for _ in range(ISOLATED_REPEATS):
            started = time.process_time()
            for _ in range(LOOPS // 4):
                await request()
            best = min(best, (time.process_time() - started) / (LOOPS // 4) * 1e6)
        return best

    return uvloop.run(loop())


async def _answer(scope: Scope, receive: Receive, send: Send) -> None:
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"2")]})
    await send({"type": "http.response.body", "body": b"{}"})


def _asgi_request(asgi: ASGIApp, path: str) -> Callable[[], Awaitable[object]]:
    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET", "scheme": "http",
        "path": path, "raw_path": path.encode(), "query_string": b"", "root_path": "",
        "headers": [(b"host", b"api.example"), (b"user-agent", b"wrk")],
        "client": ("127.0.0.1", 40000), "server": ("127.0.0.1", 8000),
    }  # fmt: skip

    async def receive() -> Message:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Message) -> None:
        return None

    return lambda: asgi(dict(scope), receive, send)


def _cors() -> tuple[float, float]:
    """A request without an Origin (the case the shortcut serves) through each middleware."""
    options: dict[str, Any] = {
        "allow_origins": ["https://app.example.com"],
        "expose_headers": EXPOSED_HEADERS,
    }
    ours = _time_per_request(_asgi_request(ShortcutCORSMiddleware(_answer, **options), "/api/tasks"))
    theirs = _time_per_request(_asgi_request(CORSMiddleware(_answer, **options), "/api/tasks"))
    return ours, theirs


def _request_id() -> tuple[float, float]:
    return _time_per_call(request_id.random_uuid_hex), _time_per_call(lambda: uuid.uuid4().hex)


def _log_time() -> tuple[float, float]:
    """One access line's time per request."""
    return _time_per_call(lambda: logs.iso_time(time.time())), _time_per_call(
        lambda: _iso_time_of_datetime(time.time())
    )


def _hiredis_packing() -> tuple[float, float]:
    """The two commands of a cached profile read: the rate limit's EVALSHA and the cache's GET."""
    commands = [
        ("EVALSHA", "a" * 40, 1, "taskapi:ratelimit:203.0.113.7", 900_000),
        ("GET", "taskapi:profile:v1:6b05f4a2c7d8aafed5657d28"),
    ]
    encoder = Redis().get_encoder()  # type: ignore[no-untyped-call]

    def ours() -> None:
        for args in commands:
            auto_pipeline._packed(args, encoder, True)

    def theirs() -> None:
        for args in commands:
            _packed_by_redis_py(args, encoder, True)

    return _time_per_call(ours), _time_per_call(theirs)


def _flat_routes() -> tuple[float, float]:
    """GET /api/auth/profile, the benchmark's route, with routes served flat and as included.

    Without a token it stops at the token check, the same work either way: what differs is finding it.
    """
    flat = FastAPI(routes=app.main._flat_routes(auth_router, tasks_router, health.router))
    included = FastAPI()
    for router in (auth_router, tasks_router, health.router):
        included.include_router(router)
    return _time_per_request(_refused(flat)), _time_per_request(_refused(included))


def _refused(api: FastAPI) -> Callable[[], Awaitable[object]]:
    request = _asgi_request(api, "/api/auth/profile")

    async def refused() -> None:
        with contextlib.suppress(UnauthorizedError):  # no handler for it in a bare app
            await request()

    return refused


ISOLATED: dict[str, Callable[[], tuple[float, float]]] = {
    "cors": _cors,
    "request-id": _request_id,
    "log-time": _log_time,
    "hiredis-packing": _hiredis_packing,
    "flat-routes": _flat_routes,
}
# Measured as a whole request, in processes of their own: their effect is spread over everything.
SYSTEMIC = tuple(WITHOUT)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.shortcuts", description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="processes per whole-request figure")
    parser.add_argument("--in-process", help=argparse.SUPPRESS)  # one measurement, in a child process
    parser.add_argument("--redis-url", help=argparse.SUPPRESS)
    parser.add_argument("--dsn", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def _joined(figures: list[float]) -> str:
    return "/".join(f"{figure:.0f}" for figure in figures)


def _row(name: str, saved: float, shipped: float, detail: str) -> str:
    share = saved / (shipped + saved)  # of what a request costs without the shortcut
    verdict = "pays" if share >= THRESHOLD else "below 5%"
    return f"{name:16} {saved:9.1f} {share:7.1%}  {verdict:9} {detail}"


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if args.in_process:
        print(f"{measure_in_this_process(args.in_process, args.redis_url, args.dsn):.2f}")
        return 0
    figures: dict[str, list[float]] = {name: [] for name in [SHIPPED, *SYSTEMIC]}
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
    print(f"CPU per cached profile read as shipped: {shipped:.0f} µs (lowest of {_joined(figures[SHIPPED])})")
    print(f"{'shortcut':16} {'saves µs':>9} {'share':>7}  {'verdict':9} with / without, µs")
    for name in SYSTEMIC:
        without = min(figures[name])
        print(
            _row(
                name,
                without - shipped,
                shipped,
                f"whole request {shipped:.0f} / {without:.0f} ({_joined(figures[name])})",
            )
        )
    for name, timed in ISOLATED.items():
        ours, theirs = timed()
        print(_row(name, theirs - ours, shipped, f"on its own {ours:.2f} / {theirs:.2f}"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
