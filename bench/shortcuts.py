"""What each kept shortcut still saves as deployed: CPU per request with it and with its setting off.

uv run python -m bench.shortcuts              # 3 rounds
uv run python -m bench.shortcuts --rounds 5   # more processes per figure on a busy machine

Each figure comes from a fresh ``python -m bench.hotpath`` process (one app built as a worker builds
it: Sentry on at a local sink, Redis, JSON logs, the store left out) on the route the shortcut serves,
as shipped or with the setting that turns the shortcut off, the way an operator would turn it off. A
shortcut stays only where it saves at least 5% of a request's CPU (docs/benchmarks.md, "Shortcuts,
as deployed"); the verdict column says which side of that line each one is on today.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from dataclasses import dataclass

from bench.asgi_driver import PROFILE
from bench.fresh_runs import Figures, alternate
from bench.machine import describe_machine
from bench.processes import BenchError
from bench.runs import load_average, run_header

THRESHOLD = 0.05
TASK_LIST = "/api/tasks"


@dataclass(frozen=True)
class Shortcut:
    name: str
    route: str  # where it weighs the most
    setting: str  # the setting that turns it off

    @property
    def arguments(self) -> list[str]:
        return ["--route", self.route, "--set", f"{self.setting}=false"]


SHORTCUTS = (
    Shortcut("auto-pipelining", PROFILE, "redis_auto_pipelining"),
    Shortcut("gc tuning", PROFILE, "gc_tuning"),
    Shortcut("fast list query", TASK_LIST, "fast_list_query"),
)


def shipped(route: str) -> str:
    return f"shipped {route}"


def variants() -> dict[str, list[str]]:
    """bench.hotpath's arguments for each route as shipped and for each shortcut turned off."""
    routes = dict.fromkeys(shortcut.route for shortcut in SHORTCUTS)
    return {shipped(route): ["--route", route] for route in routes} | {
        shortcut.name: shortcut.arguments for shortcut in SHORTCUTS
    }


def report(figures: dict[str, Figures]) -> str:
    lines = [
        f"{'shortcut':16} {'route':18} {'with':>5} {'without':>7} {'saves':>5} {'share':>6}  "
        f"{'verdict':9} runs with / without, CPU µs per request"
    ]
    for shortcut in SHORTCUTS:
        with_it, without = figures[shipped(shortcut.route)], figures[shortcut.name]
        saved = without.lowest_cpu - with_it.lowest_cpu
        share = saved / without.lowest_cpu  # of what a request costs without the shortcut
        verdict = "pays" if share >= THRESHOLD else "below 5%"
        lines.append(
            f"{shortcut.name:16} {shortcut.route:18} {with_it.lowest_cpu:5} {without.lowest_cpu:7} "
            f"{saved:5} {share:6.1%}  {verdict:9} {with_it.runs()} / {without.runs()}"
        )
    return "\n".join(lines)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.shortcuts", description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="processes per figure (default 3)")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    machine, started_load = describe_machine(), load_average()
    try:
        figures = alternate(variants(), args.rounds)
    except BenchError as error:
        print(f"bench.shortcuts: {error}", file=sys.stderr)
        return 1
    print(run_header(machine, started_load))
    print(report(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
