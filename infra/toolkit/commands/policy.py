"""`primetradeai policy`: run the policy pack on a plan; exit 1 on a mandatory violation, 2 on bad input."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from infra.toolkit.commands import SubParsers
from infra.toolkit.commands.output_path import check_writable, write_text
from infra.toolkit.commands.plan_source import (
    add_plan_arguments,
    plan_from_arguments,
    project_dir_of,
    stack_of,
)

if TYPE_CHECKING:
    from infra.config.schema import PolicySuppression


def register(subparsers: SubParsers) -> None:
    """Add the `policy` subcommand."""
    parser = subparsers.add_parser(
        "policy",
        help="check a stack's plan against the policy pack",
        description="Run the policy pack (the one `pulumi preview --policy-pack infra/policypack` runs) "
        "on a plan. Exits 1 when a mandatory policy is violated. Suppressions come from the stack's "
        "primetradeai:policySuppressions (with --stack) and from --policy-config; waived violations "
        "are listed with their reason and do not fail the check.",
    )
    add_plan_arguments(parser)
    parser.add_argument(
        "--format",
        choices=("text", "json", "markdown", "sarif"),
        default="text",
        help="output format (sarif: SARIF 2.1.0 for code scanning)",
    )
    parser.add_argument(
        "--policy-config",
        type=Path,
        metavar="FILE",
        help="the JSON file given to `pulumi preview --policy-pack-config`: its suppressions apply here too",
    )
    parser.add_argument(
        "--write-pack-config",
        type=Path,
        metavar="FILE",
        help="write every suppression found as a `--policy-pack-config` file, so the pack waives the same",
    )
    parser.set_defaults(run=run)


def _suppressions(args: argparse.Namespace) -> tuple[PolicySuppression, ...]:
    from infra.policy import POLICIES
    from infra.toolkit.policy.suppressions import from_pack_config, from_stack_values

    known = [policy.name for policy in POLICIES]
    found: tuple[PolicySuppression, ...] = ()
    stack = stack_of(args)
    if stack is not None:
        from infra.harness import HarnessError
        from infra.harness.stack_file import load_project, load_stack_file
        from infra.toolkit.errors import ToolkitError

        project_dir = project_dir_of(args)
        try:
            project = load_project(project_dir)
            stack_file = load_stack_file(project.name, project_dir, stack)
        except HarnessError as error:
            raise ToolkitError(str(error)) from None
        found += from_stack_values(stack_file.values, stack_file.path.name, known)
    if args.policy_config is not None:
        found += from_pack_config(args.policy_config, known)
    return found


def run(args: argparse.Namespace) -> int:
    """Check one plan and print the report."""
    if args.write_pack_config is not None:
        check_writable(args.write_pack_config)
    suppressions = _suppressions(args)  # checked before the stack runs: a typo costs a second
    from infra.toolkit.policy.engine import run_policies
    from infra.toolkit.policy.render import render_json, render_markdown, render_text

    report = run_policies(plan_from_arguments(args), suppressions=suppressions)
    if args.write_pack_config is not None:
        from infra.toolkit.policy.suppressions import dump_pack_config

        write_text(args.write_pack_config, dump_pack_config(suppressions))
    if args.format == "sarif":
        from infra.toolkit.policy.sarif import render_sarif

        sys.stdout.write(render_sarif(report))
    else:
        renderers = {"text": render_text, "json": render_json, "markdown": render_markdown}
        sys.stdout.write(renderers[args.format](report))
    return 0 if report.passed else 1
