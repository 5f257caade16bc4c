"""What each shortcut still saves as deployed: CPU per cached profile read with it and without it.

uv run python -m bench.shortcuts                      # every shortcut, 5 alternating rounds
uv run python -m bench.shortcuts cors gc --rounds 3   # some of them

Measured in one process, Sentry on (its DSN points at a local sink), with Redis, on uvloop: two apps
are built, one as shipped and one with the shortcut replaced by the library's own path, and 64
concurrent callers read a cached profile from each in turn. The process's CPU time per request, the
lowest of every round, is what other load on a shared machine moves least: served figures under wrk
moved by ±15% between runs here, more than the 5% a shortcut must save. The cached profile read is
the cheapest route, so a shortcut weighs the most there; the share it saves is reported against this
in-process figure and, with ``--served-us``, against the CPU a served request costs (bench.api).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import os
import sys
import tempfile
import time
import uuid
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import httpx
import sentry_sdk
import uvloop
from asgi_lifespan import LifespanManager
from fastapi import FastAPI
from redis.asyncio import Redis
from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Message

import app.main
from app import health
from app.auth.router import router as auth_router
from app.gc_tuning import settle_garbage_collector
from app.observability import logs, request_id
from app.redis import client
from app.settings import Settings
from app.tasks.router import router as tasks_router
from bench.processes import BenchError, redis_server
from bench.sentry_sink import sentry_sink

CONCURRENCY = 64
REQUESTS = 3200
REPEATS = 2
THRESHOLD = 0.05
PROFILE = "/api/auth/profile"


@dataclass
class Switch:
    """Takes one shortcut out (``apply``) and puts it back (``revert``), in this process only."""

    name: str
    replacements: list[tuple[object, str, object]] = field(default_factory=list)
    on_apply: Callable[[], None] | None = None
    on_revert: Callable[[], None] | None = None
    # Shortcuts that decide how the app is built: the app without them is built with the switch applied.
    built_in: bool = True
    _originals: list[tuple[object, str, object]] = field(default_factory=list)

    def apply(self) -> None:
        self._originals = [(module, name, getattr(module, name)) for module, name, _ in self.replacements]
        for module, name, value in self.replacements:
            setattr(module, name, value)
        if self.on_apply is not None:
            self.on_apply()

    def revert(self) -> None:
        for module, name, value in self._originals:
            setattr(module, name, value)
        if self.on_revert is not None:
            self.on_revert()


def _collect_as_python_does() -> None:
    gc.unfreeze()
    gc.set_threshold(700, 10, 10)


def _iso_time_of_datetime(created: float) -> str:
    return datetime.fromtimestamp(created, UTC).isoformat(timespec="milliseconds")


SWITCHES = {
    switch.name: switch
    for switch in (
        Switch("cors", [(app.main, "CORSMiddleware", CORSMiddleware)]),
        Switch("auto-pipelining", [(client, "AutoPipelinedRedis", Redis)]),
        Switch("gc", on_apply=_collect_as_python_does, on_revert=settle_garbage_collector, built_in=False),
        Switch("request-id", [(request_id, "random_uuid_hex", lambda: uuid.uuid4().hex)], built_in=False),
        Switch("log-time", [(logs, "iso_time", _iso_time_of_datetime)], built_in=False),
        Switch("flat-routes", [(app.main, "_flat_routes", lambda *routers: [])]),
    )
}


def _build(settings: Settings, switch: Switch, *, without: bool) -> FastAPI:
    api = app.main.create_app(settings)
    if without and switch.name == "flat-routes":
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


async def _cpu_per_request(asgi: ASGIApp, token: str) -> float:
    """The lowest CPU µs per cached profile read over ``REPEATS`` loads of 64 concurrent callers."""
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
    return best


@contextlib.asynccontextmanager
async def _started(api: FastAPI, email: str) -> AsyncIterator[tuple[ASGIApp, str]]:
    """The app started, with a signed-up user whose profile is cached; yields (app, token)."""
    async with LifespanManager(api) as manager:
        transport = httpx.ASGITransport(app=manager.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as http:
            user = {"name": "Shortcut Bench", "email": email, "password": "bench-password"}
            signup = await http.post("/api/auth/signup", json=user)
            if signup.status_code != 201:
                raise BenchError(f"signup answered {signup.status_code}: {signup.text}")
            token: str = signup.json()["token"]
            await http.get(PROFILE, headers={"Authorization": f"Bearer {token}"})
        yield manager.app, token


async def compare(settings: Settings, switch: Switch, rounds: int) -> tuple[float, float]:
    """(CPU µs per request as shipped, without the shortcut): the lowest of every round each."""
    shipped = _build(settings, switch, without=False)
    async with _started(shipped, f"shipped-{switch.name}@example.com") as (with_it, with_token):
        switch.apply()
        try:
            bare = _build(settings, switch, without=True)
            async with _started(bare, f"without-{switch.name}@example.com") as (without_it, without_token):
                built, without = float("inf"), float("inf")
                for _ in range(rounds):
                    switch.revert()
                    built = min(built, await _cpu_per_request(with_it, with_token))
                    switch.apply()
                    without = min(without, await _cpu_per_request(without_it, without_token))
        finally:
            switch.revert()
    return built, without


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.shortcuts", description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help=f"shortcuts to measure (default all: {', '.join(SWITCHES)})")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--served-us", type=float, help="CPU µs of a served cached profile read (bench.api)")
    return parser.parse_args(argv)


async def _measure_all(args: argparse.Namespace, names: list[str], redis_url: str, dsn: str) -> None:
    settings = Settings(redis_url=redis_url, sentry_dsn=dsn, rate_limit_max=1_000_000_000, log_level="info")
    for name in names:
        built, without = await compare(settings, SWITCHES[name], args.rounds)
        saved = without - built
        served = f" {saved / args.served_us:8.1%}" if args.served_us else ""
        verdict = "pays" if saved / (args.served_us or without) >= THRESHOLD else "below 5%"
        print(
            f"{name:16} {built:9.0f} {without:12.0f} {saved:9.1f} {saved / without:8.1%}{served}  {verdict}",
            file=sys.__stdout__,
            flush=True,
        )
    sentry_sdk.flush()  # while the sink still listens


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    names = args.names or list(SWITCHES)
    if unknown := [name for name in names if name not in SWITCHES]:
        print(f"bench.shortcuts: no shortcut named {', '.join(unknown)} (known: {', '.join(SWITCHES)})")
        return 2
    served = "  of served" if args.served_us else ""
    print(f"{'shortcut':16} {'with (µs)':>9} {'without (µs)':>12} {'saves µs':>9} {'share':>8}{served}")
    try:
        with (
            tempfile.TemporaryDirectory(prefix="taskapi-shortcuts-") as scratch,
            sentry_sink() as sink,
            redis_server(Path(scratch)) as redis_url,
            open(os.devnull, "w") as devnull,
            # Every log line is still formatted and written (part of the cost), into /dev/null.
            contextlib.redirect_stdout(devnull),
        ):
            uvloop.run(_measure_all(args, names, redis_url, sink.dsn))
    except BenchError as error:
        print(f"bench.shortcuts: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
