"""`primetradeai cost`: a monthly estimate beside the guide's; exit 1 above --fail-above, 2 on bad input."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from infra.toolkit.commands import SubParsers
from infra.toolkit.commands.plan_source import add_plan_arguments, load_plan_file, plan_from_arguments
from infra.toolkit.errors import ToolkitError


def register(subparsers: SubParsers) -> None:
    """Add the `cost` subcommand."""
    parser = subparsers.add_parser(
        "cost",
        help="estimate a stack's monthly cost from the price table",
        description="Estimate a plan's monthly cost per resource and in total from "
        "infra/toolkit/cost/prices.yaml, beside the scaling guide's estimate. Unpriced resources are listed.",
        epilog="exit codes: 0 the estimate was printed (and is under --fail-above); 1 it is above "
        "--fail-above (the report is still printed first); 2 bad input (one line on stderr)",
    )
    add_plan_arguments(parser)
    parser.add_argument(
        "--format", choices=("text", "json", "markdown"), default="text", help="output format"
    )
    parser.add_argument(
        "--usage",
        type=Path,
        metavar="FILE",
        help="YAML of monthly quantities billed per unit (GB through NAT, egress GB, LCU-hours, requests);"
        " keys are the `usage` entries of prices.yaml, each 0 when left out",
    )
    parser.add_argument(
        "--fail-above",
        type=_threshold,
        metavar="LIMIT",
        help="exit 1 when the monthly total is above LIMIT dollars (300) or rises more than a percentage"
        " (10%%) over --base",
    )
    parser.add_argument(
        "--base", type=Path, metavar="PLAN", help="the plan a percentage --fail-above compares with"
    )
    parser.set_defaults(run=run)


def _threshold(text: str) -> object:
    from infra.toolkit.cost.threshold import parse_threshold

    try:
        return parse_threshold(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def run(args: argparse.Namespace) -> int:
    """Estimate one plan, print the report, and apply --fail-above."""
    from infra.toolkit.cost.estimator import estimate
    from infra.toolkit.cost.render import render_json, render_markdown, render_text
    from infra.toolkit.cost.table import load_price_table
    from infra.toolkit.cost.threshold import Threshold
    from infra.toolkit.cost.usage import load_usage

    threshold: Threshold | None = args.fail_above
    if threshold is not None and threshold.percent and args.base is None:
        raise ToolkitError(f"--fail-above {threshold.text} is a percentage: give --base PLAN to compare with")
    table = load_price_table()
    usage = load_usage(args.usage, table) if args.usage is not None else {}
    base = (
        estimate(load_plan_file(args.base), table, usage) if args.base is not None else None
    )  # checked first
    report = estimate(plan_from_arguments(args), table, usage)
    renderers = {"text": render_text, "json": render_json, "markdown": render_markdown}
    sys.stdout.write(renderers[args.format](report))
    if threshold is None:
        return 0
    reason = threshold.exceeded(report.total_usd, base.total_usd if base else None)
    if reason is None:
        return 0
    print(f"primetradeai cost: --fail-above {threshold.text}: {reason}", file=sys.stderr)
    return 1
