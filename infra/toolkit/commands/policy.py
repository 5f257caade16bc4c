"""`primetradeai policy`: run the policy pack on a plan; exit 1 on a mandatory violation, 2 on bad input."""

from __future__ import annotations

import argparse
import sys

from infra.toolkit.commands import SubParsers
from infra.toolkit.commands.plan_source import add_plan_arguments, plan_from_arguments


def register(subparsers: SubParsers) -> None:
    """Add the `policy` subcommand."""
    parser = subparsers.add_parser(
        "policy",
        help="check a stack's plan against the policy pack",
        description="Run the policy pack (the one `pulumi preview --policy-pack infra/policypack` runs) "
        "on a plan. Exits 1 when a mandatory policy is violated.",
    )
    add_plan_arguments(parser)
    parser.add_argument("--format", choices=("text", "json"), default="text", help="output format")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Check one plan and print the report."""
    from infra.toolkit.policy.engine import run_policies
    from infra.toolkit.policy.render import render_json, render_text

    report = run_policies(plan_from_arguments(args))
    sys.stdout.write(render_json(report) if args.format == "json" else render_text(report))
    return 0 if report.passed else 1
