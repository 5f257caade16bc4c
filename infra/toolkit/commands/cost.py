"""`primetradeai cost`: a stack's monthly estimate beside the guide's; exit 2 on bad input."""

from __future__ import annotations

import argparse
import sys

from infra.toolkit.commands import SubParsers
from infra.toolkit.commands.plan_source import add_plan_arguments, plan_from_arguments


def register(subparsers: SubParsers) -> None:
    """Add the `cost` subcommand."""
    parser = subparsers.add_parser(
        "cost",
        help="estimate a stack's monthly cost from the price table",
        description="Estimate a plan's monthly cost per resource and in total from "
        "infra/toolkit/cost/prices.yaml, beside the scaling guide's estimate. Unpriced resources are listed.",
    )
    add_plan_arguments(parser)
    parser.add_argument(
        "--format", choices=("text", "json", "markdown"), default="text", help="output format"
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Estimate one plan and print the report."""
    from infra.toolkit.cost.estimator import estimate
    from infra.toolkit.cost.render import render_json, render_markdown, render_text

    report = estimate(plan_from_arguments(args))
    renderers = {"text": render_text, "json": render_json, "markdown": render_markdown}
    sys.stdout.write(renderers[args.format](report))
    return 0
