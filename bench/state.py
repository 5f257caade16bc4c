"""Benchmark reading a 10,000-resource Pulumi state and diffing it against a plan.

The state is a `pulumi stack export` of the base of bench.diff's synthetic plans, written the way the
engine writes one: ids, outputs beside the inputs, `__defaults`, provider references, a secret in every
twentieth resource. The head plan changes 10% of the resources, replaces 2%, deletes 1%, adds 1%.
Timed in-process after one warm-up (reading the state and the plan, comparing, the Markdown comment and
the JSON report; policy and cost left out, as bench.diff measures them), with the peak of Python
allocations (tracemalloc); and as the whole `primetradeai diff` command in fresh processes, with peak
RSS. The floor, measured in the same run: `json.load` of the same state file, in-process and as a
process of its own.

    uv run python -m bench.state [--resources 10000] [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

from bench.diff import synthetic_plans
from bench.machine import describe_machine
from bench.runs import measure, median_sample
from infra.toolkit.plan import Plan, dump_plan

SIG_KEY = "4dabf18193072939515e22adb298388d"
SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270"
STAGES = ("read the state", "read the plan", "compare", "Markdown comment", "JSON report")


def state_of(plan: Plan) -> dict[str, Any]:
    """A stack export holding `plan`'s resources as deployed."""
    provider = "urn:pulumi:prod::primetradeai::pulumi:providers:aws::default_7_11_0"
    resources: list[dict[str, Any]] = [
        {"urn": provider, "custom": True, "id": "b1f0c4d2", "type": "pulumi:providers:aws", "inputs": {}}
    ]
    for index, resource in enumerate(plan.resources):
        inputs: dict[str, Any] = {"__defaults": ["skipDestroy"], "skipDestroy": False, **resource.inputs}
        if index % 20 == 0:
            inputs["password"] = {SIG_KEY: SECRET_SIG, "ciphertext": f"v1:c2VjcmV0LXtpbmRleH0t{index:06d}"}
        entry: dict[str, Any] = {
            "urn": resource.urn,
            "type": resource.type,
            "custom": resource.custom,
            "inputs": inputs,
            "outputs": {**resource.inputs, "arn": f"arn:aws:x:us-east-1:210987654321:{resource.name}"},
            "protect": resource.options.protect,
        }
        if resource.custom:
            entry.update(
                id=f"{resource.name}-0a1b2c", provider=f"{provider}::b1f0c4d2", parent=resource.parent
            )
        resources.append(entry)
    return {"version": 3, "deployment": {"manifest": {"version": "v3.210.0"}, "resources": resources}}


def diff_once(state: Path, plan: Path) -> dict[str, float]:
    """What `primetradeai diff STATE PLAN` does for both formats, policy and cost aside; seconds per stage."""
    from infra.toolkit.diff.checks import Unavailable
    from infra.toolkit.diff.compare import compare
    from infra.toolkit.diff.markdown import render_comment
    from infra.toolkit.diff.report import diff_report, dump_report
    from infra.toolkit.diff.sources import load_side

    skipped = Unavailable("not measured here")
    marks = [time.perf_counter()]
    base = load_side(state, "base")
    marks.append(time.perf_counter())
    head = load_side(plan, "head")
    marks.append(time.perf_counter())
    change_set = compare(base, head)
    marks.append(time.perf_counter())
    render_comment(change_set, skipped, skipped)
    marks.append(time.perf_counter())
    dump_report(diff_report(change_set, skipped, skipped))
    marks.append(time.perf_counter())
    return {stage: marks[n + 1] - marks[n] for n, stage in enumerate(STAGES)}


def _peak_mib(work: Any) -> float:
    tracemalloc.start()
    work()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


def write_files(directory: Path, resources: int) -> tuple[Path, Path]:
    """The state (of the base) and the head plan of bench.diff's synthetic pair, written to `directory`."""
    base_plan, head_plan = synthetic_plans(resources)
    state, plan = directory / "prod-state.json", directory / "head.json"
    state.write_text(json.dumps(state_of(base_plan)), encoding="utf-8")
    plan.write_text(dump_plan(head_plan), encoding="utf-8")
    return state, plan


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--resources", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--write", type=Path, help=argparse.SUPPRESS)  # used by main itself, in a child
    args = parser.parse_args()
    if args.write is not None:
        write_files(args.write, args.resources)
        return 0
    machine = describe_machine()
    print(
        f"machine: {machine.cpus} CPUs, {machine.cpu_model}; memory {machine.memory}; Python {machine.python}"
    )
    print(f"date: {machine.date}\n")

    with tempfile.TemporaryDirectory(prefix="bench-state-") as tmp:
        # Written by a child, and fresh processes measured before any in-process work: a child forked
        # from a large parent counts the parent's pages in its peak RSS.
        write = [sys.executable, "-m", "bench.state", "--write", tmp, "--resources", str(args.resources)]
        subprocess.run(write, check=True)
        state, plan = Path(tmp) / "prod-state.json", Path(tmp) / "head.json"
        command = [
            sys.executable,
            "-m",
            "infra.toolkit.cli",
            "diff",
            str(state),
            str(plan),
            "--out",
            f"{tmp}/c.md",
        ]
        floor_command = [sys.executable, "-c", f"import json; json.load(open({str(state)!r}))"]
        whole = median_sample([measure(command, dict(os.environ)) for _ in range(args.runs)])
        floor = median_sample([measure(floor_command, dict(os.environ)) for _ in range(args.runs)])
        counts = [
            len(json.loads(state.read_text())["deployment"]["resources"]),
            len(json.loads(plan.read_text())["resources"]),
        ]
        print(
            f"state: {counts[0]} resources, {state.stat().st_size / 2**20:.1f} MiB;"
            f" plan: {counts[1]} resources, {plan.stat().st_size / 2**20:.1f} MiB\n"
        )
        diff_once(state, plan)  # warm-up: imports, template compilation
        runs = [diff_once(state, plan) for _ in range(args.runs)]
        floor_seconds = statistics.median(
            _timed(lambda: json.loads(state.read_text())) for _ in range(args.runs)
        )
        diff_peak = _peak_mib(lambda: diff_once(state, plan))
        floor_peak = _peak_mib(lambda: json.loads(state.read_text()))

    total = statistics.median(sum(run.values()) for run in runs)
    print(f"| in-process, after a warm-up (median of {args.runs}) | seconds |")
    print("|---|---:|")
    for stage in STAGES:
        print(f"| {stage} | {statistics.median(run[stage] for run in runs):.3f} |")
    print(f"| **everything** | {total:.3f} |")
    print(f"| floor: `json.loads` of the state | {floor_seconds:.3f} |")
    print(f"| ratio to the floor | {total / floor_seconds:.1f}x |\n")
    print("| peak memory | MiB | ratio to the floor |")
    print("|---|---:|---:|")
    print(
        f"| in-process, Python allocations (tracemalloc) | {diff_peak:.0f} | {diff_peak / floor_peak:.1f}x |"
    )
    print(f"| floor: `json.loads` of the state | {floor_peak:.0f} | 1.0x |\n")
    print(f"| fresh process (median of {args.runs}) | seconds | peak RSS (MiB) |")
    print("|---|---:|---:|")
    print(f"| `primetradeai diff STATE PLAN` | {whole.wall_seconds:.2f} | {whole.peak_rss_mib:.0f} |")
    print(f"| floor: `python -c 'json.load(state)'` | {floor.wall_seconds:.2f} | {floor.peak_rss_mib:.0f} |")
    wall_ratio, rss_ratio = whole.wall_seconds / floor.wall_seconds, whole.peak_rss_mib / floor.peak_rss_mib
    print(f"| ratio | {wall_ratio:.1f}x | {rss_ratio:.1f}x |")
    return 0


def _timed(work: Any) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


if __name__ == "__main__":
    raise SystemExit(main())
