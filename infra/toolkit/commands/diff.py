"""`primetradeai diff BASE HEAD`: what changes between two plans (or a plan and a real preview)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from infra.toolkit.commands import SubParsers
from infra.toolkit.commands.output_path import check_writable, write_text
from infra.toolkit.errors import ToolkitError

if TYPE_CHECKING:
    from infra.toolkit.diff.model import ChangeSet

_MIN_COMMENT = 4_000


def register(subparsers: SubParsers) -> None:
    """Add the `diff` subcommand."""
    parser = subparsers.add_parser(
        "diff",
        help="compare two plans (or a plan and a `pulumi preview --json`) as a PR comment or JSON",
        description="Compare BASE and HEAD: plans written by `primetradeai preview`, real "
        "`pulumi preview --json` documents, or Pulumi state (a `pulumi stack export` file or a backend "
        "checkpoint: a path, gzipped or not, or s3://bucket/key). HEAD may be left out when BASE is a "
        "real preview, which holds both sides.",
    )
    parser.add_argument("base", metavar="BASE", help="the plan, state (or preview) before the change")
    parser.add_argument("head", metavar="HEAD", nargs="?", help="the plan, state (or preview) after it")
    parser.add_argument(
        "--format", choices=("markdown", "json"), default="markdown", help="output format (default: markdown)"
    )
    parser.add_argument("--out", type=Path, help="write to this file instead of stdout")
    parser.add_argument(
        "--max-chars",
        type=int,
        metavar="N",
        help="trim the Markdown comment to N characters (default: what fits a GitHub comment), so two"
        " diffs can share one comment",
    )
    parser.add_argument(
        "--match",
        choices=("urn", "logical"),
        help="pair resources by URN, or by type and logical path below the stack (default: logical when"
        " the two sides are different stacks, else urn)",
    )
    gate = parser.add_mutually_exclusive_group()
    gate.add_argument(
        "--fail-on-changes",
        action="store_true",
        help="exit 1 when anything would change (like `pulumi preview --expect-no-changes`)",
    )
    gate.add_argument(
        "--fail-on",
        type=_ops,
        metavar="OPS",
        help="exit 1 when any change is one of these operations, e.g. replace,delete",
    )
    parser.epilog = (
        "exit codes: 0 the report was written and no gate tripped; 1 --fail-on-changes or --fail-on"
        " found changes (the report is still written first); 2 bad input (one line on stderr)"
    )
    parser.set_defaults(run=run)


def _ops(text: str) -> frozenset[str]:
    from infra.toolkit.diff.gate import parse_ops

    try:
        return frozenset(parse_ops(text))
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def run(args: argparse.Namespace) -> int:
    """Diff two documents and print or write the result."""
    from infra.toolkit.collector import cyclic_collection_paused

    with cyclic_collection_paused():  # both sides live to the end: walking them again and again is waste
        return _diff(args)


def _diff(args: argparse.Namespace) -> int:
    from infra.toolkit.diff.checks import cost_delta, policy_delta
    from infra.toolkit.diff.compare import compare
    from infra.toolkit.diff.sources import load_side

    if args.out is not None:
        check_writable(args.out)
    if args.max_chars is not None and args.max_chars < _MIN_COMMENT:
        raise ToolkitError(
            f"--max-chars {args.max_chars}: give at least {_MIN_COMMENT} (the summary is never trimmed)"
        )
    head_location: str = args.head or args.base
    # Same file names (base/prod.json, head/prod.json) would read as a no-op: show the paths then.
    same_name = args.head is not None and PurePosixPath(args.base).name == PurePosixPath(head_location).name
    base = load_side(args.base, "base", args.base if same_name else None)
    if args.head is None and base.kind != "preview":
        raise ToolkitError(
            f"{args.base} is a {base.kind}: give HEAD too (only a real preview holds both sides)"
        )
    head = load_side(head_location, "head", head_location if same_name else None)
    change_set = compare(base, head, args.match)
    policy = policy_delta(base, head, change_set.paired)
    cost = cost_delta(base, head, change_set.paired)
    if args.format == "json":
        from infra.toolkit.diff.report import diff_report, dump_report

        text = dump_report(diff_report(change_set, policy, cost))
    else:
        from infra.toolkit.diff.markdown import render_comment

        if args.max_chars is None:
            text = render_comment(change_set, policy, cost)
        else:
            text = render_comment(change_set, policy, cost, limit=args.max_chars)
    if args.out is None:
        sys.stdout.write(text)
    else:
        write_text(args.out, text)
    return _gate(change_set, args)


def _gate(change_set: ChangeSet, args: argparse.Namespace) -> int:
    """0, or EXIT_GATE_TRIPPED with one line on stderr saying what tripped the gate."""
    from infra.toolkit.diff.gate import EXIT_GATE_TRIPPED, GATED_OPS, tripped

    ops = GATED_OPS if args.fail_on_changes else args.fail_on
    if not ops:
        return 0
    found = tripped(change_set, ops)
    if not found:
        return 0
    counts = ", ".join(f"{count} {op}" for op, count in found.items())
    flag = "--fail-on-changes" if args.fail_on_changes else "--fail-on"
    print(f"primetradeai diff: {flag}: {counts}", file=sys.stderr)
    return EXIT_GATE_TRIPPED
