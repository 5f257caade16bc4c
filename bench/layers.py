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
import sys
from collections.abc import Sequence
from typing import Any

from bench.asgi_driver import PROFILE
from bench.fresh_runs import Figures, alternate
from bench.machine import describe_machine
from bench.processes import BenchError
from bench.runs import load_average, run_header

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


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.layers", description=__doc__.splitlines()[0])
    parser.add_argument("--route", default=PROFILE, help="a GET route (default: profile)")
    parser.add_argument("--rounds", type=int, default=3, help="processes per variant (default 3)")
    return parser.parse_args(argv)


def report(route: str, figures: dict[str, Figures]) -> str:
    shipped = figures[SHIPPED]
    calls, cpu = min(shipped.calls), shipped.lowest_cpu
    lines = [
        f"{route}, as shipped: {calls} Python calls and {cpu} CPU µs per request "
        f"(lowest of {shipped.runs()})",
        f"{'left out':18} {'calls saved':>11} {'CPU µs saved':>12} {'share':>6}  CPU µs without (each run)",
    ]
    for name, variant in figures.items():
        if name == SHIPPED:
            continue
        saved = cpu - variant.lowest_cpu
        lines.append(
            f"{name:18} {calls - min(variant.calls):11} {saved:12} {saved / cpu:6.0%}  "
            f"{variant.lowest_cpu} ({variant.runs()})"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    machine, started_load = describe_machine(), load_average()
    try:
        variants = {name: ["--route", args.route, *arguments] for name, arguments in VARIANTS.items()}
        figures = alternate(variants, args.rounds)
    except BenchError as error:
        print(f"bench.layers: {error}", file=sys.stderr)
        return 1
    print(run_header(machine, started_load))
    print(report(args.route, figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
