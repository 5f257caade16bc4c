"""`primetradeai preview`: run a stack under the mock runtime, print its tree, write its plan."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from infra.toolkit.commands import SubParsers
from infra.toolkit.commands.output_path import check_writable, write_text
from infra.toolkit.commands.plan_source import DEFAULT_STACK
from infra.toolkit.errors import ToolkitError

if TYPE_CHECKING:
    from infra.toolkit.preview_cache import PreviewCache


def register(subparsers: SubParsers) -> None:
    """Add the `preview` subcommand."""
    parser = subparsers.add_parser(
        "preview",
        help="run a stack offline under the mock runtime and write its plan",
        description="Run the stack program under Pulumi's mock runtime (no engine, no cloud credentials), "
        "print the resource tree and write the plan as stable JSON.",
    )
    parser.add_argument(
        "--stack", default=DEFAULT_STACK, help=f"stack name: Pulumi.<stack>.yaml (default: {DEFAULT_STACK})"
    )
    parser.add_argument(
        "--out", help="where to write the plan (default: .preview/<stack>.json; '-' for stdout, no tree)"
    )
    parser.add_argument(
        "--state",
        metavar="FILE|s3://BUCKET/KEY",
        help="preview against this deployed state (a `pulumi stack export` file or a backend checkpoint):"
        " resources it holds keep their deployed ids and outputs; `diff` the state and the plan for the"
        " steps",
    )
    parser.add_argument(
        "--project-dir",
        type=Path,
        help="the Pulumi project (default: the nearest directory with Pulumi.yaml, from here up)",
    )
    parser.add_argument(
        "--no-cache",
        action="store_true",
        help="run the program even when a stored preview with the same inputs exists (and store nothing)",
    )
    parser.add_argument(
        "--cache-dir",
        type=Path,
        help="where stored previews live (default: $PRIMETRADEAI_PREVIEW_CACHE_DIR, else"
        " .cache/primetradeai/preview in the project); previews against --state are never stored",
    )
    parser.set_defaults(run=run)


def find_project_dir(start: Path) -> Path:
    """The nearest directory holding Pulumi.yaml, from `start` up."""
    for directory in (start, *start.parents):
        if (directory / "Pulumi.yaml").is_file():
            return directory
    raise ToolkitError(f"no Pulumi.yaml in {start} or any directory above it (use --project-dir)")


def _cache(args: argparse.Namespace, project_dir: Path) -> PreviewCache | None:
    """The preview cache, or None when `--no-cache` or the plan depends on a deployed state."""
    if args.no_cache or args.state is not None:
        return None
    from infra.toolkit.preview_cache import PreviewCache, cache_dir

    return PreviewCache(cache_dir(args.cache_dir, project_dir))


def run(args: argparse.Namespace) -> int:
    """Preview one stack."""
    from rich.console import Console

    from infra.toolkit.preview.run import PreviewResult, preview_stack

    project_dir: Path = args.project_dir or find_project_dir(Path.cwd())
    if not (project_dir / "Pulumi.yaml").is_file():
        raise ToolkitError(f"{project_dir}: no Pulumi.yaml, not a Pulumi project")
    out = None if args.out == "-" else Path(args.out or project_dir / ".preview" / f"{args.stack}.json")
    if out is not None:
        check_writable(out)

    def preview() -> PreviewResult:
        if args.state is None:
            return preview_stack(args.stack, project_dir=project_dir)
        from infra.toolkit.deployed_preview import preview_against
        from infra.toolkit.state import load_state

        return preview_against(args.stack, project_dir=project_dir, state=load_state(args.state))

    def fresh() -> PreviewResult:
        stderr = Console(stderr=True)
        if stderr.is_terminal:
            with stderr.status(f"Running the {args.stack} stack under the mock runtime..."):
                return preview()
        return preview()

    cache = _cache(args, project_dir)
    result = fresh() if cache is None else cache.preview(args.stack, project_dir, fresh)
    for problem in cache.problems if cache is not None else ():
        print(f"primetradeai preview: warning: cache {problem}", file=sys.stderr)

    if out is None:
        sys.stdout.write(result.json)
        return 0
    write_text(out, result.json)

    from rich.markup import escape

    from infra.toolkit.commands.tree import print_plan

    # Piped output is read by people later (CI logs): do not wrap the tree at 80 columns.
    console = Console() if sys.stdout.isatty() else Console(width=160)
    print_plan(result.plan, console)
    for note in result.notes:
        console.print(f"[dim]note: {escape(note)}[/]")
    console.print(f"Plan written to [bold]{escape(str(out))}[/] ({result.plan.summary.resources} resources).")
    if args.state is not None:
        console.print(
            f"Steps against the deployed stack: primetradeai diff {escape(args.state)} {escape(str(out))}"
        )
    return 0
