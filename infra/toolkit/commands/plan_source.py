"""`--stack S | --plan FILE`: where `policy` and `cost` get the plan they read."""

from __future__ import annotations

import argparse
from pathlib import Path

from infra.toolkit.commands.progress_options import add_progress_arguments, progress_of
from infra.toolkit.errors import ToolkitError
from infra.toolkit.plan import Plan, plan_from_data

DEFAULT_STACK = "prod"
"""The stack `preview`, `policy` and `cost` read when none is named."""


def add_plan_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the mutually exclusive `--stack` and `--plan` options (neither: `preview`'s default stack)."""
    source = parser.add_mutually_exclusive_group()
    source.add_argument(
        "--stack", help=f"preview this stack offline first (Pulumi.<stack>.yaml; default: {DEFAULT_STACK})"
    )
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
    add_progress_arguments(parser)


def stack_of(args: argparse.Namespace) -> str | None:
    """The stack to preview: `--stack`, or the default one when no `--plan` is given either."""
    stack: str | None = args.stack
    return stack or (DEFAULT_STACK if args.plan is None else None)


def plan_from_arguments(args: argparse.Namespace) -> Plan:
    """Load `--plan`, or preview `--stack` under the mock runtime; bad input raises a one-line error."""
    if args.plan is not None:
        return load_plan_file(args.plan)
    from infra.toolkit.preview.run import preview_stack

    stack = stack_of(args)
    assert stack is not None  # no --plan: a stack, given or the default
    return preview_stack(stack, project_dir=project_dir_of(args), progress=progress_of(args)).plan


def project_dir_of(args: argparse.Namespace) -> Path:
    """`--project-dir`, or the nearest directory with Pulumi.yaml from here up."""
    from infra.toolkit.commands.preview import find_project_dir

    given: Path | None = args.project_dir
    return given or find_project_dir(Path.cwd())


def load_plan_file(location: str | Path) -> Plan:
    """A plan or Pulumi state file; a one-line error that says so when it is a `pulumi preview --json`."""
    from infra.toolkit.diff.preview_json import is_preview_document
    from infra.toolkit.documents import read_document, state_plan_from_data
    from infra.toolkit.state import is_state_document

    location = str(location)
    data = read_document(location)
    if is_state_document(data):
        return state_plan_from_data(data, location).plan
    if is_preview_document(data):
        # The likeliest mix-up: `diff` reads these, so a reviewer may expect policy and cost to.
        raise ToolkitError(
            f"{location}: a `pulumi preview --json` document, not a plan: give one written by "
            "`primetradeai preview --out`"
        )
    return plan_from_data(data, location, parsed_json=True)
