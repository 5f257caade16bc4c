"""Benchmark `primetradeai preview` of three stacks in one process against one stack alone.

The goal (issue 15): `preview --stack dev --stack staging --stack prod` takes at most 1.5x the time of
`preview --stack prod`, because the provider SDKs are imported once. Each measurement is a fresh
process (wall time to exit, peak RSS of that child); the two commands are interleaved so both see the
same machine load. Bytecode as in bench.preview: "warm" fills a private cache first (a developer's
machine, or CI with a kept cache), "cold" compiles every module on every start.

    uv run python -m bench.preview_stacks [--runs 3] [--modes warm,cold]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.machine import describe_machine
from bench.preview import environment
from bench.runs import Sample, load_average, measure, median_sample

STACKS = ("dev", "staging", "prod")
ALONE = "prod"
TARGET_RATIO = 1.5


def preview_command(stacks: tuple[str, ...], out: Path) -> list[str]:
    flags = [flag for stack in stacks for flag in ("--stack", stack)]
    pattern = out / "{stack}.json" if len(stacks) > 1 else out / f"{stacks[0]}.json"
    return [
        sys.executable,
        "-m",
        "infra.toolkit.cli",
        "preview",
        *flags,
        "--out",
        str(pattern),
        "--quiet",
        "--no-cache",
    ]


def run_mode(mode: str, runs: int, work: Path) -> tuple[list[Sample], list[Sample]]:
    """Medians' raw material: one stack and three stacks, `runs` fresh processes each, interleaved."""
    env = environment(mode, work / "pycache")
    one = preview_command((ALONE,), work / "one")
    three = preview_command(STACKS, work / "three")
    if mode == "warm":  # fill the bytecode cache
        measure(three, env)
    singles: list[Sample] = []
    triples: list[Sample] = []
    for _ in range(runs):
        singles.append(measure(one, env))
        triples.append(measure(three, env))
    missing = [stack for stack in STACKS if not (work / "three" / f"{stack}.json").is_file()]
    if missing:
        raise SystemExit(f"the three-stack run wrote no plan for {', '.join(missing)}")
    if (work / "three" / f"{ALONE}.json").read_bytes() != (work / "one" / f"{ALONE}.json").read_bytes():
        raise SystemExit(f"the {ALONE} plan of the three-stack run differs from the one-stack run")
    return singles, triples


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=3, help="fresh processes of each command per mode")
    parser.add_argument("--modes", default="warm,cold", help="bytecode modes, comma-separated")
    args = parser.parse_args()

    machine = describe_machine()
    uname = subprocess.run(["uname", "-a"], capture_output=True, text=True, check=False).stdout.strip()
    print(f"machine: {uname}")
    print(f"nproc {machine.cpus}, {machine.cpu_model}; memory {machine.memory}; Python {machine.python}")
    print(f"date: {machine.date}; load average {load_average():.2f} at start; {args.runs} runs per mode\n")
    print(
        "| bytecode | prod alone wall (s) | dev+staging+prod wall (s) | wall ratio |"
        " prod alone peak RSS (MiB) | three peak RSS (MiB) |"
    )
    print("|---|---:|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory(prefix="bench-stacks-") as tmp:
        for mode in args.modes.split(","):
            singles, triples = run_mode(mode, args.runs, Path(tmp))
            one, three = median_sample(singles), median_sample(triples)
            print(
                f"| {mode} | {one.wall_seconds:.2f} | {three.wall_seconds:.2f} |"
                f" {three.wall_seconds / one.wall_seconds:.2f}x |"
                f" {one.peak_rss_mib:.0f} | {three.peak_rss_mib:.0f} |"
            )
    print(f"\ntarget: three stacks in at most {TARGET_RATIO}x the time of one (medians)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
