"""Benchmark the task API as deployed against a bare FastAPI floor; record the figures in docs/benchmarks.md.

uv run python -m bench.api                          # 3 rounds of 5 s runs, writes the docs section
uv run python -m bench.api --rounds 1 --seconds 3 --no-write   # a quick look while developing

The API runs as production runs it (bench/deployed.py): Sentry on, 2 workers, JSON logs at info, Redis.
It runs twice: on the store ``python -m app`` uses without MONGODB_URI, and with a repository that
answers a fixed page from memory (the store's cost left out). The floor is a bare FastAPI endpoint under
the same server and worker count. Every scenario runs in each round, the floor first, and the run with
the median req/s stands for it: on a shared machine the load drifts between runs.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from bench.callers import ACCEPT_ENCODING, browser_origin
from bench.deployed import Server as Served
from bench.deployed import (
    deployed_environment,
    json_log_lines,
    measured_run,
    redis_fallbacks,
    scenarios,
    seed,
    served_api,
)
from bench.machine import describe_machine
from bench.processes import REPO_ROOT, BenchError, floor_command, free_port, redis_server, running
from bench.sentry_sink import sentry_sink
from bench.wrk import Measured, Result, Scenario

DOC = REPO_ROOT / "docs" / "benchmarks.md"
SECTION = re.compile(r"<!-- api-bench:start.*?<!-- api-bench:end -->\n?", re.DOTALL)
PROFILE_TARGET = 0.5
LIST_TARGET = 0.35  # with the store left out
ORDER = ("profile", "list", "create", "update")


@dataclass(frozen=True)
class Row:
    """One route on one store: every run of it, and what it gives against the floor."""

    route: str
    store: str
    measured: Measured
    floor: Measured

    @property
    def ratio(self) -> float:
        return self.measured.median.requests_per_second / self.floor.median.requests_per_second

    @property
    def cpu_ratio(self) -> float:
        """The floor's CPU per request over this route's: the same ratio, less moved by the machine's load."""
        return _cpu(self.floor.median) / _cpu(self.measured.median)


@dataclass(frozen=True)
class Report:
    floor: Measured
    rows: list[Row]
    fallbacks: int
    envelopes: int
    log_lines: tuple[int, int]


def _cpu(result: Result) -> float:
    return result.cpu_us_per_request if result.cpu_us_per_request is not None else float("nan")


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.api", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--workers", type=int, default=2, help="worker processes for every server (default 2)"
    )
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--seconds", type=int, default=5, help="duration of each wrk run")
    parser.add_argument("--rounds", type=int, default=3, help="runs of every scenario (default 3)")
    parser.add_argument("--rate-limit", type=int, default=1_000_000_000, help="RATE_LIMIT_MAX for the run")
    parser.add_argument("--no-write", action="store_true", help="print the figures, leave the docs alone")
    return parser.parse_args(argv)


def run(args: argparse.Namespace) -> Report:
    with (
        tempfile.TemporaryDirectory(prefix="taskapi-bench-") as scratch,
        sentry_sink() as sink,
    ):
        directory = Path(scratch)
        with redis_server(directory) as redis_url:
            env = deployed_environment(redis_url, sink.dsn, args.workers, args.rate_limit)
            floor_port = free_port()
            floor_url = f"http://127.0.0.1:{floor_port}"
            with (
                running(
                    floor_command(floor_port, args.workers), f"{floor_url}/floor", directory / "floor.log"
                ) as floor_process,
                served_api("task API", directory, env) as api,
                served_api("task API, fixed page", directory, env, fixed_store=True) as fixed,
            ):
                floor = Served("floor", floor_url, floor_process.pid, floor_port, directory / "floor.log")
                on_store = scenarios(seed(api, "bench@example.com"), fixed_store=False)
                on_fixed = scenarios(seed(fixed, "bench-fixed@example.com"), fixed_store=True)
                floor_scenario = Scenario("floor: bare FastAPI GET /floor", "/floor")
                # Creating grows the store that the list reads: the store's creates run after every round.
                each_round = [
                    ("floor", floor, floor_scenario),
                    *((f"store {name}", api, on_store[name]) for name in ORDER if name != "create"),
                    *((f"fixed {name}", fixed, on_fixed[name]) for name in ORDER),
                ]
                schedule = (
                    each_round * args.rounds + [("store create", api, on_store["create"])] * args.rounds
                )
                runs: dict[str, list[Result]] = {}
                for number, (key, server, scenario) in enumerate(schedule, start=1):
                    print(f"[{number}/{len(schedule)}] {server.name}: {scenario.name} ...", file=sys.stderr)
                    runs.setdefault(key, []).append(
                        measured_run(
                            server,
                            scenario,
                            directory,
                            threads=args.threads,
                            connections=args.connections,
                            seconds=args.seconds,
                        )
                    )
                fallbacks = redis_fallbacks(api) + redis_fallbacks(fixed)
                log_lines = json_log_lines(api)
    floor_measured = Measured(runs["floor"])
    rows = [
        Row(route, store, Measured(runs[f"{key} {route}"]), floor_measured)
        for key, store in (("store", "embedded store"), ("fixed", "fixed page (store left out)"))
        for route in ORDER
    ]
    return Report(floor_measured, rows, fallbacks, len(sink.envelopes), log_lines)


def render(args: argparse.Namespace, report: Report) -> str:
    environment = Environment(
        loader=FileSystemLoader(Path(__file__).parent / "templates"),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        autoescape=False,
    )
    profile = next(row for row in report.rows if row.route == "profile" and row.store == "embedded store")
    fixed_list = next(row for row in report.rows if row.route == "list" and row.store != "embedded store")
    return environment.get_template("api.md.j2").render(
        machine=describe_machine(),
        report=report,
        args=args,
        rate_limit=f"{args.rate_limit:,}",
        profile=profile,
        fixed_list=fixed_list,
        profile_target=PROFILE_TARGET,
        list_target=LIST_TARGET,
        accept_encoding=ACCEPT_ENCODING,
        origin=browser_origin(),
    )


def write_section(section: str) -> None:
    """Replace this benchmark's section of docs/benchmarks.md, leaving any other section as it is."""
    text = DOC.read_text() if DOC.exists() else "# Benchmarks\n\n"
    if SECTION.search(text):
        text = SECTION.sub(lambda _: section, text, count=1)
    else:
        text = text.rstrip() + "\n\n" + section
    DOC.write_text(text)


def print_report(report: Report) -> None:
    print(
        f"{'route (median run)':36} {'store':28} {'req/s':>7} {'ratio':>6} {'CPU us':>7} {'CPU ratio':>9} "
        f"{'p99 ms':>7} {'non-2xx':>7}"
    )
    floor = report.floor.median
    name = report.floor.scenario.name
    print(f"{name:36} {'':28} {floor.requests_per_second:7.0f} {1:5.2f}x {_cpu(floor):7.0f}")
    for row in report.rows:
        median = row.measured.median
        print(
            f"{row.measured.scenario.name:36} {row.store:28} {median.requests_per_second:7.0f} "
            f"{row.ratio:5.2f}x {_cpu(median):7.0f} {row.cpu_ratio:8.2f}x {median.p99_ms:7.2f} "
            f"{row.measured.non_2xx:7d}"
        )
    lines, json_lines = report.log_lines
    print(
        f"Redis fallbacks: {report.fallbacks}; Sentry envelopes received: {report.envelopes}; "
        f"log lines checked: {lines}, JSON: {json_lines}"
    )


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        report = run(args)
    except BenchError as error:
        print(f"bench.api: {error}", file=sys.stderr)
        return 1
    print_report(report)
    if not args.no_write:
        write_section(render(args, report))
        print(f"written to {DOC.relative_to(REPO_ROOT)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
