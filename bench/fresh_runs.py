"""Variants of the app measured in fresh ``bench.hotpath`` processes, alternating round after round.

A fresh process per figure: Sentry's init and the app's switches are process-wide, so one process never
builds two apps. The variants alternate so that drifting load on a shared machine spreads over all of
them, and the lowest CPU figure of each stands (other load only adds to it); the Python calls per
request do not move with the load.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from bench.processes import REPO_ROOT, BenchError

_FIGURES = re.compile(r"(?P<calls>\d+) Python calls per request .* CPU µs per request (?P<cpu>\d+)")


@dataclass
class Figures:
    calls: list[int] = field(default_factory=list)
    cpu: list[int] = field(default_factory=list)

    @property
    def lowest_cpu(self) -> int:
        return min(self.cpu)

    def runs(self) -> str:
        return "/".join(map(str, self.cpu))


def run_hotpath(arguments: Sequence[str], requests: int = 3200) -> tuple[int, int]:
    """Python calls and the lowest CPU µs per request of one fresh bench.hotpath process."""
    command = [sys.executable, "-m", "bench.hotpath", "--requests", str(requests), "--repeats", "3"]
    # Every process on the store the benchmark starts, whatever database this shell points at.
    env = {key: value for key, value in os.environ.items() if key != "MONGODB_URI"}
    done = subprocess.run(
        [*command, *arguments],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    found = _FIGURES.search(done.stdout)
    if done.returncode != 0 or found is None:
        raise BenchError(f"bench.hotpath {' '.join(arguments)} failed:\n{done.stderr[-3000:]}")
    return int(found["calls"]), int(found["cpu"])


def alternate(variants: Mapping[str, Sequence[str]], rounds: int) -> dict[str, Figures]:
    """Each variant (its bench.hotpath arguments by name) once per round, in order, for ``rounds`` rounds."""
    figures = {name: Figures() for name in variants}
    for number in range(1, rounds + 1):
        for name, arguments in variants.items():
            print(f"round {number}: {name} ...", file=sys.stderr, flush=True)
            calls, cpu = run_hotpath(arguments)
            figures[name].calls.append(calls)
            figures[name].cpu.append(cpu)
    return figures
