"""Benchmark `primetradeai diff` (compare, policy and cost on both sides) on two synthetic plans.

The target (issue 15): two 10,000-resource plans in at most 4 s as a whole fresh process, imports
included, with memory that grows linearly. `--size` takes one size or several (`2000,10000,50000`); for
each, both plans are written by a child process, then each command below runs `--runs` times as a fresh
process, interleaved so all see the same machine load, and the medians are reported with the spread of
the wall times:

- `primetradeai diff BASE HEAD --out FILE`, the real CLI: wall time to exit and peak RSS;
- floor "start-up": `python -c pass`, what any command pays;
- floor "imports": importing every module a diff loads (pydantic, pulumi_policy and pulumi, jinja2, the
  toolkit): the fixed cost. Time and memory above it, per 1,000 resources, stay flat when the growth
  is linear;
- floor "parse": `json.load` of both plan files, the least any reader of them does.

Bytecode "warm" (default) fills a private cache first (a developer's machine, CI with a kept cache);
"cold" compiles every module on every start. The plans mix the type tokens the stacks use; the head
updates 10% of the resources in place, replaces 2% (a replace-on-change property), deletes 1% and adds
1%, and 5% are protected. `--stages` adds the in-process split of one run (after a warm-up).

    uv run python -m bench.diff [--size 2000,10000,50000] [--runs 5] [--bytecode warm|cold] [--stages]
"""

from __future__ import annotations

import argparse
import math
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

from bench.machine import describe_machine
from bench.preview import environment
from bench.runs import Sample, load_average, machine_line, measure, median_sample, spread

if TYPE_CHECKING:
    from pydantic import JsonValue

    from infra.toolkit.plan import Plan, Resource

TARGET_SECONDS = 4.0
TARGET_SIZE = 10_000
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
    from infra.toolkit.plan import Resource, ResourceOptions

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
    from infra.toolkit.plan import Plan, Resource

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
    """Everything `primetradeai diff` does, for both formats, as the command runs it; seconds per stage."""
    from infra.toolkit.collector import cyclic_collection_paused

    with cyclic_collection_paused():
        return _stages(base, head)


def _stages(base: Path, head: Path) -> dict[str, float]:
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
    policy = policy_delta(base_side, head_side, change_set.paired)
    marks.append(time.perf_counter())
    cost = cost_delta(base_side, head_side, change_set.paired)
    marks.append(time.perf_counter())
    render_comment(change_set, policy, cost)
    marks.append(time.perf_counter())
    dump_report(diff_report(change_set, policy, cost))
    marks.append(time.perf_counter())
    return {stage: marks[n + 1] - marks[n] for n, stage in enumerate(STAGES)}


def write_plans(directory: Path, size: int) -> tuple[Path, Path]:
    """The synthetic pair of `size` resources, as plan files in `directory`."""
    from infra.toolkit.plan import dump_plan

    base_plan, head_plan = synthetic_plans(size)
    base, head = directory / "base.json", directory / "head.json"
    base.write_text(dump_plan(base_plan), encoding="utf-8")
    head.write_text(dump_plan(head_plan), encoding="utf-8")
    return base, head


_PARSE = "import json, sys\nfor path in sys.argv[1:]:\n    json.load(open(path, encoding='utf-8'))"
# Every module a diff of two plans loads, policy engine and Markdown templates included.
_IMPORTS = (
    "import infra.toolkit.cli, infra.toolkit.commands.diff, infra.toolkit.diff.sources,"
    " infra.toolkit.diff.compare, infra.toolkit.diff.checks, infra.toolkit.diff.markdown,"
    " infra.toolkit.policy.engine, infra.toolkit.diff.cost_adapter"
)


def commands(base: Path, head: Path, out: Path) -> dict[str, list[str]]:
    """The measured command and its two floors."""
    python = sys.executable
    return {
        "diff": [python, "-m", "infra.toolkit.cli", "diff", str(base), str(head), "--out", str(out)],
        "start-up": [python, "-c", "pass"],
        "imports": [python, "-c", _IMPORTS],
        "parse": [python, "-c", _PARSE, str(base), str(head)],
    }


def measure_size(size: int, runs: int, env: dict[str, str], work: Path) -> dict[str, list[Sample]]:
    """`runs` fresh processes of each command on the pair of `size`, interleaved."""
    work.mkdir()
    write = [sys.executable, "-m", "bench.diff", "--write", str(work), "--size", str(size)]
    measure(write, env)  # a child writes the plans: this process stays small (see bench/runs.py)
    base, head, out = work / "base.json", work / "head.json", work / "comment.md"
    chosen = commands(base, head, out)
    for command in chosen.values():  # warm-up: fills the bytecode cache in "warm" mode
        measure(command, env)
    if not out.read_text(encoding="utf-8").startswith("<!-- primetradeai-diff:prod -->"):
        raise SystemExit(f"{out}: the diff wrote no comment")
    samples: dict[str, list[Sample]] = {name: [] for name in chosen}
    for _ in range(runs):
        for name, command in chosen.items():
            samples[name].append(measure(command, env))
    return samples


def _sizes(text: str) -> list[int]:
    try:
        sizes = [int(part.replace("_", "")) for part in text.split(",")]
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r}: give sizes as whole numbers, e.g. 2000,10000") from None
    if any(size < 100 for size in sizes):
        raise argparse.ArgumentTypeError(f"{text!r}: each size is at least 100 resources")
    return sizes


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument(
        "--size",
        "--resources",
        dest="sizes",
        type=_sizes,
        default=[2000],
        help="resources per plan, one size or several separated by commas (default: 2000)",
    )
    parser.add_argument("--runs", type=int, default=5, help="fresh processes of each command per size")
    parser.add_argument("--bytecode", choices=("warm", "cold"), default="warm")
    parser.add_argument("--stages", action="store_true", help="also time each stage in-process")
    parser.add_argument("--write", type=Path, help=argparse.SUPPRESS)  # used by main itself, in a child
    args = parser.parse_args()
    if args.write is not None:
        write_plans(args.write, args.sizes[0])
        return 0

    machine = describe_machine()
    print(machine_line(machine))
    print(
        f"date: {machine.date}; load average {load_average():.2f} at start; bytecode {args.bytecode};"
        f" median of {args.runs} fresh processes per command\n"
    )
    results: dict[int, dict[str, list[Sample]]] = {}
    with tempfile.TemporaryDirectory(prefix="bench-diff-") as tmp:
        env = environment(args.bytecode, Path(tmp) / "pycache")
        for size in args.sizes:
            results[size] = measure_size(size, args.runs, env, Path(tmp) / str(size))
            _print_size(size, results[size], Path(tmp) / str(size))
        print(f"\nload average {load_average():.2f} at the end\n")
        _print_summary(results)
        if args.stages:
            for size in args.sizes:
                _print_stages(size, args.runs, Path(tmp) / str(size))
    return 0


def _print_size(size: int, samples: dict[str, list[Sample]], work: Path) -> None:
    mib = [(work / name).stat().st_size / 2**20 for name in ("base.json", "head.json")]
    print(
        f"{size:,} resources per plan ({mib[0]:.1f} and {mib[1]:.1f} MiB of JSON):"
        f" diff wall {spread(samples['diff'])} s, parse floor {spread(samples['parse'])} s",
        flush=True,
    )


def _print_summary(results: dict[int, dict[str, list[Sample]]]) -> None:
    print(
        "| resources per plan | `primetradeai diff` wall (s) | peak RSS (MiB) |"
        " floor: parse both, wall (s) / RSS (MiB) | ratio to it, wall / RSS |"
        " above the import floor, per 1,000 resources: ms / MiB |"
    )
    print("|---:|---:|---:|---:|---:|---:|")
    for size, samples in results.items():
        diff, parse, imports = (median_sample(samples[name]) for name in ("diff", "parse", "imports"))
        per_thousand = 1000 / size
        print(
            f"| {size:,} | {diff.wall_seconds:.2f} | {diff.peak_rss_mib:.0f} |"
            f" {parse.wall_seconds:.2f} / {parse.peak_rss_mib:.0f} |"
            f" {diff.wall_seconds / parse.wall_seconds:.1f}x /"
            f" {diff.peak_rss_mib / parse.peak_rss_mib:.1f}x |"
            f" {(diff.wall_seconds - imports.wall_seconds) * 1000 * per_thousand:.0f} /"
            f" {(diff.peak_rss_mib - imports.peak_rss_mib) * per_thousand:.1f} |"
        )
    every = list(results.values())
    start = median_sample([s for samples in every for s in samples["start-up"]])
    imports = median_sample([s for samples in every for s in samples["imports"]])
    print(
        f"\nfloors: python start-up {start.wall_seconds:.2f} s, {start.peak_rss_mib:.0f} MiB;"
        f" importing what a diff loads {imports.wall_seconds:.2f} s, {imports.peak_rss_mib:.0f} MiB"
    )
    if TARGET_SIZE in results:
        wall = median_sample(results[TARGET_SIZE]["diff"]).wall_seconds
        verdict = "met" if wall <= TARGET_SECONDS else "NOT met"
        print(f"target: {TARGET_SIZE:,} resources in at most {TARGET_SECONDS:.0f} s: {wall:.2f} s, {verdict}")


def _print_stages(size: int, runs: int, work: Path) -> None:
    base, head = work / "base.json", work / "head.json"
    diff_once(base, head)  # warm-up: imports, template compilation
    timed = [diff_once(base, head) for _ in range(runs)]
    print(f"\n| in-process, {size:,} resources (median of {runs}) | seconds |")
    print("|---|---:|")
    for stage in STAGES:
        print(f"| {stage} | {statistics.median(run[stage] for run in timed):.3f} |")
    print(f"| everything | {statistics.median(sum(run.values()) for run in timed):.3f} |")


if __name__ == "__main__":
    raise SystemExit(main())
