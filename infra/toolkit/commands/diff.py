"""`primetradeai diff BASE HEAD`: what changes between two plans (or a plan and a real preview)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path, PurePosixPath

from infra.toolkit.commands import SubParsers
from infra.toolkit.errors import ToolkitError

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
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Diff two documents and print or write the result."""
    from infra.toolkit.diff.checks import cost_delta, policy_delta
    from infra.toolkit.diff.compare import compare
    from infra.toolkit.diff.sources import load_side

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
    change_set = compare(base, head)
    policy, cost = policy_delta(base, head), cost_delta(base, head)
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
        return 0
    try:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text, encoding="utf-8")
    except OSError as error:
        raise ToolkitError(f"cannot write {args.out}: {error.strerror or error}") from None
    return 0
