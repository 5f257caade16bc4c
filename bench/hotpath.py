"""Where one worker's CPU goes on a hot route: Python calls and CPU per request, and a cProfile listing.

uv run python -m bench.hotpath                                   # cached profile read, Sentry on
uv run python -m bench.hotpath --route /api/tasks --profile 40   # fixed-page list, top 40 by own time
uv run python -m bench.hotpath --sentry-off                      # the same app without Sentry
uv run python -m bench.hotpath --route /api/tasks --set fast_list_query=false   # a shortcut turned off
uv run python -m bench.hotpath --without access-log          # a middleware layer left out (bench.layers)

One app built as a worker builds it (Sentry on with its DSN at a local sink, Redis, JSON logs at info,
written to /dev/null), the tasks dependency answering from the benchmark's fixed page, driven over ASGI
by 64 concurrent callers: no HTTP server, so the figures sit below the served ones of bench.api. Calls
per request come from the profiler and do not move with the machine's load; CPU per request does.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import cProfile
import io
import os
import pstats
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import sentry_sdk
import uvloop
from pydantic import ValidationError

import app.main
from app.settings import Settings
from app.tasks import deps
from bench.asgi_driver import PROFILE, call, started_app
from bench.callers import prod_cors_origins
from bench.fixed_store import FixedTaskRepository
from bench.layers import MIDDLEWARE, leave_out
from bench.processes import BenchError, redis_server
from bench.sentry_sink import sentry_sink

CONCURRENCY = 64
_REPOSITORY_CLASS = "TaskRepository"


async def _measure(settings: Settings, args: argparse.Namespace) -> str:
    repository = FixedTaskRepository()
    # The store left out as bench.served_app leaves it out, in this process only.
    setattr(deps, _REPOSITORY_CLASS, lambda tasks: repository)
    async with started_app(app.main.create_app(settings)) as (asgi, token):
        if (status := await call(asgi, token, args.route)) != 200:
            raise BenchError(f"{args.route} answered {status} before measuring")

        async def load() -> None:
            async def caller() -> None:
                for _ in range(args.requests // CONCURRENCY):
                    await call(asgi, token, args.route)

            await asyncio.gather(*(caller() for _ in range(CONCURRENCY)))

        requests = args.requests // CONCURRENCY * CONCURRENCY
        cpu = []
        for _ in range(args.repeats):
            started = time.process_time()
            await load()
            cpu.append((time.process_time() - started) / requests * 1e6)
        profiler = cProfile.Profile()
        profiler.enable()
        await load()
        profiler.disable()
        if args.profile_out:
            profiler.dump_stats(args.profile_out)
    sentry_sdk.flush()
    stats = pstats.Stats(profiler)
    lines = [
        f"{args.route}, Sentry {'off' if args.sentry_off else 'on'}"
        f"{''.join(f', without {name}' for name in args.without)}: "
        f"{stats.total_calls / requests:.0f} Python calls per request (cProfile: {stats.total_calls}), "  # type: ignore[attr-defined]
        f"CPU µs per request {min(cpu):.0f} (lowest of {'/'.join(f'{figure:.0f}' for figure in cpu)})"
    ]
    if args.profile:
        listing = io.StringIO()
        pstats.Stats(profiler, stream=listing).sort_stats("tottime").print_stats(args.profile)
        lines.append(listing.getvalue())
    return "\n".join(lines)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.hotpath", description=__doc__.splitlines()[0])
    parser.add_argument("--route", default=PROFILE, help="a GET route (default: profile)")
    parser.add_argument("--requests", type=int, default=6400, help="requests per load (default 6400)")
    parser.add_argument("--repeats", type=int, default=6, help="loads timed for CPU (default 6)")
    parser.add_argument("--profile", type=int, default=0, metavar="N", help="list the top N by own time")
    parser.add_argument("--profile-out", metavar="FILE", help="also write the profile for pstats/snakeviz")
    parser.add_argument("--sentry-off", action="store_true", help="build the app without SENTRY_DSN")
    parser.add_argument(
        "--without",
        action="append",
        default=[],
        choices=sorted(MIDDLEWARE),
        help="build the app without this middleware layer (repeatable)",
    )
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a setting for the app, as its environment variable would give it (repeatable)",
    )
    return parser.parse_args(argv)


def _overrides(settings: list[str]) -> dict[str, Any]:
    """``--set`` values by setting name; a name Settings does not know is refused (it would ignore it)."""
    overrides: dict[str, Any] = dict(setting.partition("=")[::2] for setting in settings)
    unknown = sorted(set(overrides) - set(Settings.model_fields))
    if unknown:
        raise ValueError(f"no such setting: {', '.join(unknown)}")
    return overrides


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        with (
            tempfile.TemporaryDirectory(prefix="taskapi-hotpath-") as scratch,
            sentry_sink() as sink,
            redis_server(Path(scratch)) as redis_url,
        ):
            leave_out(args.without)
            deployed: dict[str, Any] = {
                "redis_url": redis_url,
                "sentry_dsn": None if args.sentry_off else sink.dsn,
                "rate_limit_max": 1_000_000_000,
                "log_level": "info",
                "cors_origins": list(prod_cors_origins()),
            }
            # A --set value wins over what the benchmark deploys.
            settings = Settings(**(deployed | _overrides(args.set)))
            with open(os.devnull, "w") as devnull, contextlib.redirect_stdout(devnull):
                report = uvloop.run(_measure(settings, args))
    except BenchError as error:
        print(f"bench.hotpath: {error}", file=sys.stderr)
        return 1
    except (ValueError, ValidationError) as error:
        print(f"bench.hotpath: --set: {error}", file=sys.stderr)
        return 2
    print(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
