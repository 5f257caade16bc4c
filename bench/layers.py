"""What each layer of the deployed request path costs: Python calls and CPU per request with it and without.

uv run python -m bench.layers                               # cached profile read, 3 rounds
uv run python -m bench.layers --route /api/tasks --rounds 5   # fixed-page list

Each figure comes from a fresh ``python -m bench.hotpath`` process (one app built as a worker builds it:
Sentry on at a local sink, Redis, JSON logs, the store left out), as shipped or with one layer left out:
a middleware layer replaced by a pass-through, or Sentry not started. The processes alternate, round
after round, and the lowest CPU figure of each variant stands (other load only adds to it); the Python
calls a layer saves do not move with the load. A layer left out here is a feature the deployed API has:
the table says what each one costs, not what may go.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from bench.machine import describe_machine
from bench.processes import REPO_ROOT, BenchError
from bench.runs import load_average, machine_line

# Each middleware layer of app.web.middleware.compose_middleware by the name its module imports it under.
MIDDLEWARE = {
    "request-id": "RequestIdMiddleware",
    "access-log": "AccessLogMiddleware",
    "metrics": "MetricsMiddleware",
    "security-headers": "SecurityHeadersMiddleware",
    "cors": "CORSMiddleware",
    "rate-limit": "RateLimitMiddleware",
    "unhandled-error": "UnhandledErrorMiddleware",
    "body-limit": "BodyLimitMiddleware",
    "gzip": "GZipMiddleware",
}
SHIPPED = "as shipped"
ROUTE_ALONE = "route alone"
# Each variant measured, as the arguments bench.hotpath takes for it.
VARIANTS: dict[str, list[str]] = {
    SHIPPED: [],
    "sentry": ["--sentry-off"],
    **{name: ["--without", name] for name in MIDDLEWARE},
    "all middleware": [arg for name in MIDDLEWARE for arg in ("--without", name)],
}
# Sentry and every middleware layer left out: what the route itself costs (FastAPI, auth, its Redis
# read or the fixed page), the part no layer's choice moves.
VARIANTS[ROUTE_ALONE] = ["--sentry-off", *VARIANTS["all middleware"]]
_FIGURES = re.compile(r"(?P<calls>\d+) Python calls per request .* CPU µs per request (?P<cpu>\d+)")


def _pass_through(app: Any, **_: Any) -> Any:
    return app


def leave_out(names: Sequence[str]) -> None:
    """Build the app, in this process, without the middleware layers named (keys of ``MIDDLEWARE``)."""
    import app.web.middleware

    for name in names:
        # A layer renamed in app.web.middleware would otherwise be "left out" with no effect.
        if not hasattr(app.web.middleware, MIDDLEWARE[name]):
            raise BenchError(f"app.web.middleware has no {MIDDLEWARE[name]} any more (bench/layers.py)")
        setattr(app.web.middleware, MIDDLEWARE[name], _pass_through)


@dataclass
class Figures:
    calls: list[int] = field(default_factory=list)
    cpu: list[int] = field(default_factory=list)


def run_hotpath(route: str, arguments: list[str], requests: int = 3200) -> tuple[int, int]:
    """Python calls and the lowest CPU µs per request of one fresh bench.hotpath process."""
    command = [sys.executable, "-m", "bench.hotpath", "--route", route, "--requests", str(requests)]
    command += ["--repeats", "3"]
    done = subprocess.run(
        [*command, *arguments], cwd=REPO_ROOT, capture_output=True, text=True, check=False, timeout=600
    )
    found = _FIGURES.search(done.stdout)
    if done.returncode != 0 or found is None:
        raise BenchError(f"bench.hotpath {' '.join(arguments)} failed:\n{done.stderr[-3000:]}")
    return int(found["calls"]), int(found["cpu"])


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.layers", description=__doc__.splitlines()[0])
    parser.add_argument("--route", default="/api/auth/profile", help="a GET route (default: profile)")
    parser.add_argument("--rounds", type=int, default=3, help="processes per variant (default 3)")
    return parser.parse_args(argv)


def report(route: str, figures: dict[str, Figures]) -> str:
    shipped = figures[SHIPPED]
    calls, cpu = min(shipped.calls), min(shipped.cpu)
    lines = [
        f"{route}, as shipped: {calls} Python calls and {cpu} CPU µs per request "
        f"(lowest of {'/'.join(map(str, shipped.cpu))})",
        f"{'left out':18} {'calls saved':>11} {'CPU µs saved':>12} {'share':>6}  CPU µs without (each run)",
    ]
    for name, variant in figures.items():
        if name == SHIPPED:
            continue
        saved = cpu - min(variant.cpu)
        lines.append(
            f"{name:18} {calls - min(variant.calls):11} {saved:12} {saved / cpu:6.0%}  "
            f"{min(variant.cpu)} ({'/'.join(map(str, variant.cpu))})"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    figures = {name: Figures() for name in VARIANTS}
    machine, started_load = describe_machine(), load_average()
    try:
        for number in range(1, args.rounds + 1):
            for name, arguments in VARIANTS.items():
                print(f"round {number}: {name} ...", file=sys.stderr, flush=True)
                calls, cpu = run_hotpath(args.route, arguments)
                figures[name].calls.append(calls)
                figures[name].cpu.append(cpu)
    except BenchError as error:
        print(f"bench.layers: {error}", file=sys.stderr)
        return 1
    print(f"{machine_line(machine)}\ndate: {machine.date}; load average {started_load:.2f} at start")
    print(report(args.route, figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
