"""Benchmark `primetradeai preview --stack prod` against the floor of importing the provider SDKs.

Each measurement is a fresh process; wall time from start to exit, peak RSS from the kernel's rusage
of that child. Two floors, each a process of its own, measured in the same run and interleaved with
the preview runs so all see the same machine load:

- "packages": `import pulumi, pulumi_aws, pulumi_kubernetes, pulumi_mongodbatlas, pulumi_cloudflare,
  pulumi_random`. pulumi_aws and pulumi_kubernetes load their submodules lazily, so this floor leaves
  out most of what the program needs;
- "modules": every module of those SDKs (and pulumi_tls) that a preview actually loads, listed by a
  preview run first. The preview's cost above this floor is the harness, the plan, the chart rendering
  and the printing: the part this toolkit owns.

Two bytecode modes, because they change the picture: "cold" compiles every module from source on
every start (PYTHONDONTWRITEBYTECODE=1, as on this machine's shell); "warm" first fills a private
bytecode cache (PYTHONPYCACHEPREFIX, so the shared virtualenv is left alone), as on a developer's
machine after the first run.

    uv run python -m bench.preview [--runs 5] [--stack prod]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from bench.machine import describe_machine

REPO_ROOT = Path(__file__).resolve().parents[1]
SDKS = (
    "pulumi",
    "pulumi_aws",
    "pulumi_kubernetes",
    "pulumi_mongodbatlas",
    "pulumi_cloudflare",
    "pulumi_random",
)
SDK_PACKAGES = (*SDKS, "pulumi_tls")
TARGET_RATIO = 1.25
_LIST_MODULES = """
import sys
from infra.toolkit.cli import main
main(["preview", "--stack", sys.argv[1], "--out", sys.argv[2], "--no-cache"])
loaded = sorted(m for m in sys.modules if m.split(".")[0] in sys.argv[4].split(","))
open(sys.argv[3], "w").write(" ".join(loaded))
"""
_IMPORT_LISTED = """
import importlib, sys
for name in open(sys.argv[1]).read().split():
    importlib.import_module(name)
"""


@dataclass(frozen=True)
class Sample:
    wall_seconds: float
    peak_rss_mib: float


def measure(command: list[str], env: dict[str, str]) -> Sample:
    """Run `command` to completion; its wall time and peak resident memory."""
    started = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=REPO_ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        error = process.stderr.read().decode() if process.stderr else ""
        raise SystemExit(f"{' '.join(command)} failed ({process.returncode}): {error.strip()}")
    if process.stderr:
        process.stderr.close()
    return Sample(wall_seconds=wall, peak_rss_mib=usage.ru_maxrss / 1024)  # ru_maxrss is KiB on Linux


def environment(mode: str, cache_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    if mode == "cold":
        env["PYTHONDONTWRITEBYTECODE"] = "1"
        env.pop("PYTHONPYCACHEPREFIX", None)
    else:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(cache_dir)
    return env


@dataclass(frozen=True)
class ModeResult:
    packages: list[Sample]
    modules: list[Sample]
    previews: list[Sample]


def list_sdk_modules(stack: str, work: Path) -> Path:
    """Run one preview and write the names of the SDK modules it loaded to a file."""
    listing = work / "sdk-modules.txt"
    command = [
        sys.executable,
        "-c",
        _LIST_MODULES,
        stack,
        str(work / "listing.json"),
        str(listing),
        ",".join(SDK_PACKAGES),
    ]
    measure(command, dict(os.environ))
    return listing


def run_mode(mode: str, runs: int, stack: str, work: Path, listing: Path) -> ModeResult:
    env = environment(mode, work / "pycache")
    packages_command = [sys.executable, "-c", f"import {', '.join(SDKS)}"]
    modules_command = [sys.executable, "-c", _IMPORT_LISTED, str(listing)]
    preview_command = [
        sys.executable,
        "-m",
        "infra.toolkit.cli",
        "preview",
        "--stack",
        stack,
        "--out",
        str(work / f"{stack}.json"),
        "--no-cache",
    ]
    commands = (packages_command, modules_command, preview_command)
    if mode == "warm":  # fill the bytecode cache for every command first
        for command in commands:
            measure(command, env)
    result = ModeResult([], [], [])
    for _ in range(runs):
        for samples, command in zip(
            (result.packages, result.modules, result.previews), commands, strict=True
        ):
            samples.append(measure(command, env))
    return result


def median(samples: list[Sample], field: str) -> float:
    """The median of one field (`wall_seconds`, `peak_rss_mib`) over the samples."""
    return float(statistics.median(getattr(sample, field) for sample in samples))


def start(
    doc: str | None, *, runs: int, runs_help: str, per: str, argv: list[str] | None = None
) -> argparse.Namespace:
    """Parse a preview benchmark's `--runs` and `--stack` and print what it runs on: the machine, the
    date, the load at the start and `--runs` runs per `per` (mode, case)."""
    parser = argparse.ArgumentParser(description=doc.split("\n\n")[0] if doc else None)
    parser.add_argument("--runs", type=int, default=runs, help=runs_help)
    parser.add_argument("--stack", default="prod")
    args = parser.parse_args(argv)

    machine = describe_machine()
    print(
        f"machine: {machine.cpus} CPUs, {machine.cpu_model}; memory {machine.memory}; Python {machine.python}"
    )
    print(
        f"date: {machine.date}; load average {os.getloadavg()[0]:.2f} at start; {args.runs} runs per {per}\n"
    )
    return args


def main() -> int:
    args = start(__doc__, runs=5, runs_help="measurements of each command per mode", per="mode")
    print(
        "| bytecode | floor | floor wall (s) | preview wall (s) | wall ratio | floor peak RSS (MiB) |"
        " preview peak RSS (MiB) | RSS ratio |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory(prefix="bench-preview-") as tmp:
        work = Path(tmp)
        listing = list_sdk_modules(args.stack, work)
        for mode in ("cold", "warm"):
            result = run_mode(mode, args.runs, args.stack, work, listing)
            preview_wall = median(result.previews, "wall_seconds")
            preview_rss = median(result.previews, "peak_rss_mib")
            for floor_name, floor in (("packages", result.packages), ("modules", result.modules)):
                floor_wall, floor_rss = median(floor, "wall_seconds"), median(floor, "peak_rss_mib")
                print(
                    f"| {mode} | {floor_name} | {floor_wall:.2f} | {preview_wall:.2f} |"
                    f" {preview_wall / floor_wall:.2f}x | {floor_rss:.0f} | {preview_rss:.0f} |"
                    f" {preview_rss / floor_rss:.2f}x |"
                )
        print(f"\nSDK modules a preview loads: {len(listing.read_text().split())}")
    print(f"target: {TARGET_RATIO}x the floor or better (medians)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
