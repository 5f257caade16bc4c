"""Fresh-process measurements the benchmarks share: run a command to its end, its wall time and peak RSS,
medians of several runs, and the line saying what machine and load they were taken under.

The parent stays small on purpose (it imports nothing of the toolkit): Linux folds the memory of the
process that spawns a child into that child's peak RSS at `exec`, so a large parent inflates the
figures of every small command it measures.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from bench.machine import Machine

REPO_ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Sample:
    """One fresh process: wall time from start to exit, and the kernel's peak resident set size."""

    wall_seconds: float
    peak_rss_mib: float


def measure(command: Sequence[str], env: Mapping[str, str] | None = None) -> Sample:
    """Run `command` from the repository root to completion; its wall time and peak resident memory.

    A command that fails stops the benchmark with its stderr: a figure of a failed run means nothing.
    """
    started = time.perf_counter()
    process = subprocess.Popen(
        list(command),
        cwd=REPO_ROOT,
        env=dict(os.environ if env is None else env),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    error = process.stderr.read().decode() if process.stderr else ""
    if process.stderr:
        process.stderr.close()
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({process.returncode}): {error.strip()}")
    return Sample(wall_seconds=wall, peak_rss_mib=usage.ru_maxrss / 1024)  # ru_maxrss is KiB on Linux


def median_sample(samples: Sequence[Sample]) -> Sample:
    """The median wall time and the median peak RSS of several runs of one command."""
    return Sample(
        wall_seconds=statistics.median(s.wall_seconds for s in samples),
        peak_rss_mib=statistics.median(s.peak_rss_mib for s in samples),
    )


def spread(samples: Sequence[Sample]) -> str:
    """`min-max` of the wall times, so a reader sees how noisy the runs were."""
    walls = [s.wall_seconds for s in samples]
    return f"{min(walls):.2f}-{max(walls):.2f}"


def load_average() -> float:
    """The one-minute load average: on shared CPUs the figures mean little without it."""
    return os.getloadavg()[0]


def machine_line(machine: Machine) -> str:
    """`machine: N CPUs, model; memory ...; Python x.y.z`."""
    return (
        f"machine: {machine.cpus} CPUs, {machine.cpu_model}; memory {machine.memory}; Python {machine.python}"
    )


def run_header(machine: Machine, load_at_start: float) -> str:
    """The machine line, then the date and the load average the run started at."""
    return f"{machine_line(machine)}\ndate: {machine.date}; load average {load_at_start:.2f} at start"


__all__ = [
    "REPO_ROOT",
    "Sample",
    "load_average",
    "machine_line",
    "measure",
    "median_sample",
    "run_header",
    "spread",
]
