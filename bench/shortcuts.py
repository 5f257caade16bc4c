"""What each shortcut still saves as deployed: CPU per cached profile read, with it and without it.

uv run python -m bench.shortcuts                     # every shortcut, 3 rounds of 4 s runs
uv run python -m bench.shortcuts cors gc --rounds 2  # some of them

For each shortcut, two APIs run side by side as production runs them (bench/deployed.py: Sentry on,
2 workers, JSON logs, Redis): one as built, one with that shortcut replaced by the library's own path.
Their runs alternate and the median CPU per request of each is compared. The cached profile read is
the cheapest route, so a shortcut weighs the most there: one that saves too little on it saves less
on every other route.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from bench.deployed import deployed_environment, measured_run, scenarios, seed, served_api
from bench.processes import BenchError, redis_server
from bench.sentry_sink import sentry_sink
from bench.served_app import WITHOUT

THRESHOLD = 0.05


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.shortcuts", description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help=f"shortcuts to measure (default all: {', '.join(WITHOUT)})")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--seconds", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=3)
    return parser.parse_args(argv)


def measure(
    args: argparse.Namespace, name: str, directory: Path, env: dict[str, str]
) -> tuple[list[float], list[float]]:
    """CPU µs per cached profile read in each round: (as built, without ``name``)."""
    with (
        served_api("as built", directory, env) as built,
        served_api(f"without {name}", directory, env, without=name) as bare,
    ):
        cpu: dict[str, list[float]] = {built.name: [], bare.name: []}
        profiles = {
            server.name: scenarios(seed(server, f"{name}@example.com"), fixed_store=False)["profile"]
            for server in (built, bare)
        }
        for _ in range(args.rounds):
            for server in (built, bare):
                result = measured_run(
                    server,
                    profiles[server.name],
                    directory,
                    threads=2,
                    connections=args.connections,
                    seconds=args.seconds,
                )
                if result.non_2xx or result.cpu_us_per_request is None:
                    raise BenchError(f"{server.name}: {result.non_2xx} answers were not 2xx")
                cpu[server.name].append(result.cpu_us_per_request)
        return cpu[built.name], cpu[bare.name]


def _joined(figures: list[float]) -> str:
    return "/".join(f"{figure:.0f}" for figure in figures)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    names = args.names or list(WITHOUT)
    if unknown := [name for name in names if name not in WITHOUT]:
        print(f"bench.shortcuts: no shortcut named {', '.join(unknown)} (known: {', '.join(WITHOUT)})")
        return 2
    print(f"{'shortcut':18} {'with (us)':>10} {'without (us)':>13} {'saves':>7}  runs with / without")
    try:
        with tempfile.TemporaryDirectory(prefix="taskapi-shortcuts-") as scratch, sentry_sink() as sink:
            directory = Path(scratch)
            with redis_server(directory) as redis_url:
                env = deployed_environment(redis_url, sink.dsn, args.workers, 1_000_000_000)
                for name in names:
                    print(f"measuring without {name} ...", file=sys.stderr, flush=True)
                    with_it, without_it = measure(args, name, directory, env)
                    built, bare = statistics.median(with_it), statistics.median(without_it)
                    saves = (bare - built) / bare
                    verdict = "keep" if saves >= THRESHOLD else "below 5%"
                    runs = f"{_joined(with_it)} | {_joined(without_it)}"
                    print(f"{name:18} {built:10.0f} {bare:13.0f} {saves:6.1%}  {runs}  {verdict}", flush=True)
    except BenchError as error:
        print(f"bench.shortcuts: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
