"""Benchmark `primetradeai diff` on two synthetic 2,000-resource plans (target: under 1 s).

The plans mix the type tokens the stacks use; the head updates 10% of the resources in place, replaces
2% (a replace-on-change property), deletes 1% and adds 1%, and 5% are protected. Timed in-process
after one warm-up (imports excluded): reading both files, comparing, policy and cost on both sides,
the Markdown comment and the JSON report. The whole command in a fresh process is timed as well.

    uv run python -m bench.diff [--resources 2000] [--runs 5]
"""

from __future__ import annotations

import argparse
import math
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from pydantic import JsonValue

from bench.machine import describe_machine
from infra.toolkit.plan import Plan, Resource, ResourceOptions, dump_plan

REPO_ROOT = Path(__file__).resolve().parents[1]
TARGET_SECONDS = 1.0
_TYPES: tuple[tuple[str, str], ...] = (
    ("aws:ec2/subnet:Subnet", "cidrBlock"),
    ("aws:elasticache/replicationGroup:ReplicationGroup", "port"),
    ("aws:iam/role:Role", "name"),
    ("mongodbatlas:index/projectIpAccessList:ProjectIpAccessList", "cidrBlock"),
    ("cloudflare:index/dnsRecord:DnsRecord", "zoneId"),
    ("kubernetes:apps/v1:Deployment", "spec"),
)


def _inputs(index: int, version: str, replaced: bool) -> dict[str, JsonValue]:
    _, forcing = _TYPES[index % len(_TYPES)]
    inputs: dict[str, JsonValue] = {
        "description": f"resource {index} ({version})",
        "tags": {"app": "taskapi", "env": "prod", "team": "platform", "index": str(index)},
        "size": index % 17,
        "enabled": index % 2 == 0,
        "ports": [80, 443, 8000 + index % 10],
        "nested": {"a": {"b": {"c": index}}},
    }
    inputs[forcing] = f"{forcing}-{index}-{'new' if replaced else 'old'}"
    return inputs


_STACK_URN = "urn:pulumi:prod::primetradeai::pulumi:pulumi:Stack::primetradeai-prod"


def _resource(type_token: str, name: str, inputs: dict[str, JsonValue], protect: bool) -> Resource:
    return Resource(
        urn=f"urn:pulumi:prod::primetradeai::{type_token}::{name}",
        type=type_token,
        name=name,
        custom=True,
        parent=_STACK_URN,
        options=ResourceOptions(protect=protect),
        inputs=inputs,
    )


def synthetic_plans(count: int) -> tuple[Plan, Plan]:
    """A base and a head of `count` resources each (plus the stack)."""
    stack = Resource(urn=_STACK_URN, type="pulumi:pulumi:Stack", name="primetradeai-prod", custom=False)
    base: list[Resource] = [stack]
    head: list[Resource] = [stack]
    for index in range(math.ceil(count / 0.99)):  # 1% of indices exist on one side only
        type_token, _ = _TYPES[index % len(_TYPES)]
        name, protect = f"resource-{index:05d}", index % 20 == 0
        deleted, created = index % 100 == 7, index % 100 == 9
        updated, replaced = index % 10 == 1, index % 50 == 3
        if not created:
            base.append(_resource(type_token, name, _inputs(index, "v1", replaced=False), protect))
        if not deleted:
            head.append(
                _resource(type_token, name, _inputs(index, "v2" if updated else "v1", replaced), protect)
            )
    return (
        Plan(project="primetradeai", stack="prod", resources=tuple(base)),
        Plan(project="primetradeai", stack="prod", resources=tuple(head)),
    )


STAGES = (
    "read both plans",
    "compare",
    "policy on both sides",
    "cost on both sides",
    "Markdown comment",
    "JSON report",
)


def diff_once(base: Path, head: Path) -> dict[str, float]:
    """Everything `primetradeai diff` does, for both formats; seconds per stage."""
    from infra.toolkit.diff.checks import cost_delta, policy_delta
    from infra.toolkit.diff.compare import compare
    from infra.toolkit.diff.markdown import render_comment
    from infra.toolkit.diff.report import diff_report, dump_report
    from infra.toolkit.diff.sources import load_side

    marks = [time.perf_counter()]
    base_side, head_side = load_side(base, "base"), load_side(head, "head")
    marks.append(time.perf_counter())
    change_set = compare(base_side, head_side)
    marks.append(time.perf_counter())
    policy = policy_delta(base_side, head_side)
    marks.append(time.perf_counter())
    cost = cost_delta(base_side, head_side)
    marks.append(time.perf_counter())
    render_comment(change_set, policy, cost)
    marks.append(time.perf_counter())
    dump_report(diff_report(change_set, policy, cost))
    marks.append(time.perf_counter())
    return {stage: marks[n + 1] - marks[n] for n, stage in enumerate(STAGES)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--resources", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    machine = describe_machine()
    print(
        f"machine: {machine.cpus} CPUs, {machine.cpu_model}; memory {machine.memory}; Python {machine.python}"
    )
    print(f"date: {machine.date}\n")

    base_plan, head_plan = synthetic_plans(args.resources)
    with tempfile.TemporaryDirectory(prefix="bench-diff-") as tmp:
        base, head = Path(tmp) / "base.json", Path(tmp) / "head.json"
        base.write_text(dump_plan(base_plan), encoding="utf-8")
        head.write_text(dump_plan(head_plan), encoding="utf-8")
        diff_once(base, head)  # warm-up: imports, template compilation
        runs = [diff_once(base, head) for _ in range(args.runs)]
        command = [
            sys.executable,
            "-m",
            "infra.toolkit.cli",
            "diff",
            str(base),
            str(head),
            "--out",
            f"{tmp}/c.md",
        ]
        started = time.perf_counter()
        subprocess.run(command, cwd=REPO_ROOT, check=True)
        whole = time.perf_counter() - started
        comment = (Path(tmp) / "c.md").read_text(encoding="utf-8")
        print(
            f"plans: {base_plan.summary.resources} and {head_plan.summary.resources} resources"
            f" ({base.stat().st_size // 1024} KiB and {head.stat().st_size // 1024} KiB);"
            f" comment: {len(comment)} characters\n"
        )
    print(f"| stage (median of {args.runs}) | seconds |")
    print("|---|---:|")
    for stage in STAGES:
        print(f"| {stage} | {statistics.median(run[stage] for run in runs):.3f} |")
    without_checks = [sum(v for k, v in run.items() if "both sides" not in k) for run in runs]
    print(f"| diff without policy and cost | {statistics.median(without_checks):.3f} |")
    print(
        f"| **everything** (target < {TARGET_SECONDS:.0f} s) |"
        f" {statistics.median(sum(run.values()) for run in runs):.3f} |"
    )
    print(f"| `primetradeai diff` in a fresh process (imports included) | {whole:.3f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
