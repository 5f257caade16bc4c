"""`--stack S | --plan FILE`: where `policy` and `cost` get the plan they read."""

from __future__ import annotations

import argparse
from pathlib import Path

from infra.toolkit.errors import ToolkitError
from infra.toolkit.plan import Plan, plan_from_data


def add_plan_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the mutually exclusive `--stack` and `--plan` options (one is required)."""
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--stack", help="preview this stack offline first (Pulumi.<stack>.yaml)")
    source.add_argument(
        "--plan",
        help="read a plan written by `primetradeai preview --out`, or Pulumi state: a `pulumi stack export`"
        " file or a backend checkpoint (a path, gzipped or not, or s3://bucket/key)",
    )
    parser.add_argument(
        "--project-dir",
        type=Path,
        help="the Pulumi project for --stack (default: the nearest directory with Pulumi.yaml)",
    )


def plan_from_arguments(args: argparse.Namespace) -> Plan:
    """Load `--plan`, or preview `--stack` under the mock runtime; bad input raises a one-line error."""
    if args.plan is not None:
        return _plan_file(args.plan)
    from infra.toolkit.commands.preview import find_project_dir
    from infra.toolkit.preview.run import preview_stack

    project_dir: Path = args.project_dir or find_project_dir(Path.cwd())
    return preview_stack(args.stack, project_dir=project_dir).plan


def _plan_file(location: str) -> Plan:
    from infra.toolkit.diff.preview_json import is_preview_document
    from infra.toolkit.documents import read_document, state_plan_from_data
    from infra.toolkit.state import is_state_document

    data = read_document(location)
    if is_state_document(data):
        return state_plan_from_data(data, location).plan
    if is_preview_document(data):
        # The likeliest mix-up: `diff` reads these, so a reviewer may expect policy and cost to.
        raise ToolkitError(
            f"{location}: a `pulumi preview --json` document, not a plan: give one written by "
            "`primetradeai preview --out`"
        )
    return plan_from_data(data, location)
