"""What each kept shortcut still saves as deployed: CPU per cached profile read with it and without it.

uv run python -m bench.shortcuts              # 3 rounds
uv run python -m bench.shortcuts --rounds 5   # more processes per figure on a busy machine

Each figure comes from a fresh process that builds one app as a worker does (Sentry on, its DSN
pointing at a local sink; Redis; uvloop): 64 concurrent callers read a cached profile and the
process's CPU time per request is taken. The processes alternate (as shipped, then without each
shortcut, round after round) and the lowest figure of each stands, since other load on a shared
machine only adds to it. One process never builds two apps: Sentry's init and the shortcuts'
switches are process-wide, and Sentry's former Starlette integration wrapped every middleware class
again at each build, so a second app skewed the first. Even so the figure moves by a third
from process to process on a busy machine: it can only show effects larger than that, as these are.
The shortcuts that were smaller were timed on their own against the library (docs/benchmarks.md).
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
from pathlib import Path

import httpx
import sentry_sdk
import uvloop
from asgi_lifespan import LifespanManager
from fastapi import FastAPI
from redis.asyncio import Redis
from starlette.types import ASGIApp, Message

import app.main
from app.redis import client
from app.settings import Settings
from bench.processes import REPO_ROOT, BenchError, redis_server
from bench.sentry_sink import sentry_sink

CONCURRENCY = 64
REQUESTS = 3200
REPEATS = 3
THRESHOLD = 0.05
PROFILE = "/api/auth/profile"
SHIPPED = "shipped"

# Each systemic shortcut, and what takes its place without it: the library's own path.
WITHOUT: dict[str, list[tuple[object, str, object]]] = {
    "auto-pipelining": [(client, "AutoPipelinedRedis", Redis)],
    "gc": [(app.main, "settle_garbage_collector", lambda: None)],
}


def _build(settings: Settings, without: str) -> FastAPI:
    for module, name, value in WITHOUT.get(without, []):
        setattr(module, name, value)
    return app.main.create_app(settings)


async def call(asgi: ASGIApp, token: str, path: str = PROFILE) -> int:
    """One GET of ``path`` with ``token`` driven straight over ASGI; returns the response's status."""
    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET",
        "scheme": "http", "path": path, "raw_path": path.encode(), "query_string": b"", "root_path": "",
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
async def started_app(api: FastAPI) -> AsyncIterator[tuple[ASGIApp, str]]:
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
    async with started_app(_build(settings, without)) as (asgi, token):
        if (status := await call(asgi, token)) != 200:
            raise BenchError(f"{PROFILE} answered {status} before measuring")

        async def caller() -> None:
            for _ in range(REQUESTS // CONCURRENCY):
                await call(asgi, token)

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
    return 0


if __name__ == "__main__":
    sys.exit(main())
