"""Benchmark the task API against a bare FastAPI floor with wrk; record the figures in docs/benchmarks.md.

uv run python -m bench.api              # 64 connections, 10 s per run, writes the docs section
uv run python -m bench.api --no-write   # print only

The floor and the profile route, the pair the target compares, run in alternation (three rounds by
default) and the median of each is reported: on a shared machine the load drifts between runs, and
one run of each, seconds apart, can move the ratio by a tenth.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

import httpx
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from bench.cpu import CONCURRENCY, CpuCost, measure_cpu
from bench.machine import describe_machine
from bench.processes import (
    REPO_ROOT,
    BenchError,
    floor_command,
    free_port,
    redis_server,
    running,
    task_api_command,
)
from bench.wrk import Measured, Result, Scenario, run_wrk

DOC = REPO_ROOT / "docs" / "benchmarks.md"
SECTION = re.compile(r"<!-- api-bench:start.*?<!-- api-bench:end -->\n?", re.DOTALL)
SEEDED_TASKS = 40
TARGET_RATIO = 0.5
TARGET_P99_MS = 25.0


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.api", description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=1, help="worker processes for both apps (default 1)")
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--seconds", type=int, default=10, help="duration of each wrk run")
    parser.add_argument(
        "--rounds", type=int, default=3, help="alternating runs of the floor and the profile (default 3)"
    )
    parser.add_argument(
        "--rate-limit",
        type=int,
        default=1_000_000_000,
        help="RATE_LIMIT_MAX for the run, high so the figures measure work, not 429 answers",
    )
    parser.add_argument("--log-level", default="info", help="LOG_LEVEL of the task API (default info)")
    parser.add_argument("--no-write", action="store_true", help="print the figures, leave the docs alone")
    return parser.parse_args(argv)


def seed(base_url: str) -> str:
    """A user with a full page of tasks and a warm profile cache; returns the user's token."""
    with httpx.Client(base_url=base_url, timeout=10) as client:
        user = {"name": "Bench User", "email": "bench@example.com", "password": "bench-password"}
        signup = client.post("/api/auth/signup", json=user)
        signup.raise_for_status()
        token: str = signup.json()["token"]
        auth = {"Authorization": f"Bearer {token}"}
        for number in range(SEEDED_TASKS):
            task = {"title": f"Seeded task {number}"}
            client.post("/api/tasks", json=task, headers=auth).raise_for_status()
        client.get("/api/auth/profile", headers=auth).raise_for_status()
        page = client.get("/api/tasks", params={"limit": 20}, headers=auth)
        page.raise_for_status()
        if len(page.json()) != 20:
            raise BenchError(f"GET /api/tasks returned {len(page.json())} tasks, expected a page of 20")
        return token


def redis_fallbacks(metrics_url: str) -> int:
    """Requests that fell back from Redis: anything above 0 means the figures are not all cache hits."""
    metrics = httpx.get(f"{metrics_url}/metrics", timeout=10).text
    samples = [line for line in metrics.splitlines() if line.startswith("taskapi_redis_fallback_total{")]
    return sum(int(float(line.rsplit(" ", 1)[1])) for line in samples)


def scenarios(token: str) -> list[Scenario]:
    new_task = json.dumps({"title": "Benchmark task", "description": "created by wrk", "priority": "high"})
    return [
        Scenario("floor: bare FastAPI GET /floor", "/floor"),
        Scenario("GET /api/auth/profile (cache hit)", "/api/auth/profile", token=token),
        Scenario("GET /api/tasks (page of 20)", "/api/tasks?page=1&limit=20", token=token),
        Scenario("POST /api/tasks", "/api/tasks", method="POST", body=new_task, token=token),
    ]


def run(args: argparse.Namespace) -> tuple[list[Measured], int, list[CpuCost]]:
    # With several workers `python -m app` serves one embedded store to all of them, so the seeded
    # user and tasks are there whichever worker answers.
    with tempfile.TemporaryDirectory(prefix="taskapi-bench-") as scratch:
        directory = Path(scratch)
        with redis_server(directory) as redis_url:
            env = {key: value for key, value in os.environ.items() if key != "MONGODB_URI"}
            env |= {
                "APP_ENV": "development",
                "REDIS_URL": redis_url,
                "RATE_LIMIT_MAX": str(args.rate_limit),
                "LOG_LEVEL": args.log_level,
            }
            api_port, floor_port, metrics_port = free_port(), free_port(), free_port()
            env["METRICS_PORT"] = str(metrics_port)
            api_url, floor_url = f"http://127.0.0.1:{api_port}", f"http://127.0.0.1:{floor_port}"
            api = task_api_command(api_port, args.workers)
            floor = floor_command(floor_port, args.workers)
            with (
                running(api, f"{api_url}/health", directory / "api.log", env),
                running(floor, f"{floor_url}/floor", directory / "floor.log"),
            ):
                token = seed(api_url)
                every = scenarios(token)
                compared, others = every[:2], every[2:]
                # The compared pair alternates; the others run once after it (POST grows the store,
                # which the task list would then read in every later round).
                schedule = [*(compared * args.rounds), *others]
                runs: dict[str, list[Result]] = {scenario.name: [] for scenario in schedule}
                for number, scenario in enumerate(schedule, start=1):
                    base_url = floor_url if scenario.path == "/floor" else api_url
                    print(f"[{number}/{len(schedule)}] {scenario.name} ...", file=sys.stderr, flush=True)
                    runs[scenario.name].append(
                        run_wrk(
                            base_url,
                            scenario,
                            directory,
                            threads=args.threads,
                            connections=args.connections,
                            seconds=args.seconds,
                        )
                    )
                results = [Measured(scenario_runs) for scenario_runs in runs.values()]
                fallbacks = redis_fallbacks(f"http://127.0.0.1:{metrics_port}")
            print("measuring CPU time per request in-process ...", file=sys.stderr, flush=True)
            cpu = asyncio.run(measure_cpu(redis_url, args.rate_limit))
            return results, fallbacks, cpu


def render(args: argparse.Namespace, results: list[Measured], fallbacks: int, cpu: list[CpuCost]) -> str:
    floor_rps = results[0].median.requests_per_second
    profile = results[1].median
    environment = Environment(
        loader=FileSystemLoader(Path(__file__).parent / "templates"),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        autoescape=False,
    )
    return environment.get_template("api.md.j2").render(
        machine=describe_machine(),
        results=results,
        floor_rps=floor_rps,
        profile_ratio=profile.requests_per_second / floor_rps,
        profile_p99=profile.p99_ms,
        target_met=profile.requests_per_second / floor_rps >= TARGET_RATIO and profile.p99_ms < TARGET_P99_MS,
        connections=args.connections,
        threads=args.threads,
        seconds=args.seconds,
        rounds=args.rounds,
        workers=args.workers,
        log_level=args.log_level,
        rate_limit=f"{args.rate_limit:,}",
        fallbacks=fallbacks,
        cpu=cpu,
        cpu_concurrency=CONCURRENCY,
    )


def write_section(section: str) -> None:
    """Replace this benchmark's section of docs/benchmarks.md, leaving any other section as it is."""
    text = DOC.read_text() if DOC.exists() else "# Benchmarks\n\n"
    if SECTION.search(text):
        text = SECTION.sub(lambda _: section, text, count=1)
    else:
        text = text.rstrip() + "\n\n" + section
    DOC.write_text(text)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        results, fallbacks, cpu = run(args)
    except BenchError as error:
        print(f"bench.api: {error}", file=sys.stderr)
        return 1
    floor_rps = results[0].median.requests_per_second
    print(f"{'route (median run)':40} {'runs':>4} {'req/s':>9} {'p99 ms':>8} {'ratio':>6} {'non-2xx':>8}")
    for measured in results:
        median = measured.median
        ratio = median.requests_per_second / floor_rps
        print(
            f"{measured.scenario.name:40} {len(measured.runs):4d} {median.requests_per_second:9.0f} "
            f"{median.p99_ms:8.2f} {ratio:5.2f}x {measured.non_2xx:8d}"
        )
    print(f"Redis fallbacks during the run: {fallbacks}")
    for cost in cpu:
        print(f"{cost.name:50} {cost.microseconds:6.0f} us CPU/request")
    section = render(args, results, fallbacks, cpu)
    if not args.no_write:
        write_section(section)
        print(f"written to {DOC.relative_to(REPO_ROOT)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
