"""`primetradeai preview`: run stacks under the mock runtime, print each tree, write each plan."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from infra.toolkit.commands import SubParsers
from infra.toolkit.commands.output_path import check_writable, write_text
from infra.toolkit.commands.plan_source import DEFAULT_STACK
from infra.toolkit.commands.progress_options import add_progress_arguments, progress_of
from infra.toolkit.errors import ToolkitError, first_line

if TYPE_CHECKING:
    from rich.console import Console

    from infra.toolkit.preview.run import PreviewResult
    from infra.toolkit.progress import Progress

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
        "--stack",
        dest="stacks",
        action="append",
        metavar="STACK",
        help=f"stack name: Pulumi.<stack>.yaml (default: {DEFAULT_STACK}); repeat it to preview several"
        " stacks in one process, each plan written where a run of that stack alone would write it",
    )
    parser.add_argument(
        "--out",
        help="where to write the plan (default: .preview/<stack>.json; '-' for stdout, no tree); with"
        " several stacks it must contain {stack}, e.g. plans/{stack}.json",
    )
    parser.add_argument(
        "--state",
        metavar="FILE|s3://BUCKET/KEY",
        help="preview against this deployed state (a `pulumi stack export` file or a backend checkpoint):"
        " resources it holds keep their deployed ids and outputs; `diff` the state and the plan for the"
        " steps. With several stacks it must contain {stack}",
    )
    add_progress_arguments(parser)
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
    parser.add_argument(
        "--cache-max-age-days",
        metavar="DAYS",
        help="remove stored previews unused for longer than this, checked whenever one is stored"
        " (default: $PRIMETRADEAI_PREVIEW_CACHE_MAX_AGE_DAYS, else 30); a hit counts as a use",
    )
    parser.add_argument(
        "--cache-max-size",
        metavar="SIZE",
        help="then remove the least recently used stored previews until the rest fit in SIZE: bytes or"
        " with K, M or G, e.g. 500M (default: $PRIMETRADEAI_PREVIEW_CACHE_MAX_SIZE, else 100M)",
    )
    parser.set_defaults(run=run)


def find_project_dir(start: Path) -> Path:
    """The nearest directory holding Pulumi.yaml, from `start` up."""
    for directory in (start, *start.parents):
        if (directory / "Pulumi.yaml").is_file():
            return directory
    raise ToolkitError(f"no Pulumi.yaml in {start} or any directory above it (use --project-dir)")


def _cache(args: argparse.Namespace, project_dir: Path) -> PreviewCache | None:
    """The preview cache, or None when `--no-cache` or the plan depends on a deployed state; its limits
    are checked either way, so a bad one is found before it would matter."""
    from infra.toolkit.preview_cache import PreviewCache, cache_dir
    from infra.toolkit.preview_cache_limits import cache_limits

    limits = cache_limits(args.cache_max_age_days, args.cache_max_size)
    if args.no_cache or args.state is not None:
        return None
    return PreviewCache(cache_dir(args.cache_dir, project_dir), limits)


def _per_stack(template: str, option: str, stacks: list[str]) -> dict[str, str]:
    """`template` for each stack: the same for one stack; `{stack}` filled in for several."""
    if len(stacks) == 1:
        return {stacks[0]: template}
    if "{stack}" not in template:
        raise ToolkitError(f"{option} {template}: with several stacks it must contain {{stack}}")
    return {stack: template.replace("{stack}", stack) for stack in stacks}


def _outputs(args: argparse.Namespace, stacks: list[str], project_dir: Path) -> dict[str, Path | None]:
    """Where each stack's plan goes (None: stdout), every path checked before any stack runs."""
    if args.out == "-":
        if len(stacks) > 1:
            raise ToolkitError("--out -: stdout holds one plan; with several stacks give a path with {stack}")
        return {stacks[0]: None}
    if args.out is None:
        outputs = {stack: project_dir / ".preview" / f"{stack}.json" for stack in stacks}
    else:
        outputs = {stack: Path(path) for stack, path in _per_stack(args.out, "--out", stacks).items()}
    for path in outputs.values():
        check_writable(path)
    return dict(outputs)


def run(args: argparse.Namespace) -> int:
    """Preview each stack named, in this process; a failed stack is one line and the others still run."""
    from rich.console import Console

    from infra.toolkit.preview.run import preview_stack

    stacks: list[str] = args.stacks or [DEFAULT_STACK]
    repeated = sorted({stack for stack in stacks if stacks.count(stack) > 1})
    if repeated:
        raise ToolkitError(f"--stack {repeated[0]} is given more than once")
    project_dir: Path = args.project_dir or find_project_dir(Path.cwd())
    if not (project_dir / "Pulumi.yaml").is_file():
        raise ToolkitError(f"{project_dir}: no Pulumi.yaml, not a Pulumi project")
    outputs = _outputs(args, stacks, project_dir)
    states = _per_stack(args.state, "--state", stacks) if args.state is not None else {}
    progress = progress_of(args)

    # Piped output is read by people later (CI logs): do not wrap the tree at 80 columns.
    console = Console() if sys.stdout.isatty() else Console(width=160)

    def preview(stack: str) -> PreviewResult:
        if stack not in states:
            return preview_stack(stack, project_dir=project_dir, progress=progress)
        from infra.toolkit.deployed_preview import preview_against
        from infra.toolkit.state import load_state

        return preview_against(
            stack, project_dir=project_dir, state=load_state(states[stack]), progress=progress
        )

    cache = _cache(args, project_dir)

    def cached_preview(stack: str) -> PreviewResult:
        if cache is None or stack in states:
            return preview(stack)
        cached = cache.preview(stack, project_dir, lambda: preview(stack))
        for problem in cached.problems:
            print(f"primetradeai preview: warning: cache {problem}", file=sys.stderr)
        return cached.result

    if len(stacks) == 1:  # one stack: its error is the command's error
        only = stacks[0]
        return _report(only, cached_preview(only), outputs[only], states, console, progress, named=False)
    failed = 0
    for stack in stacks:
        try:
            result = cached_preview(stack)
        except ToolkitError as error:
            failed += 1
            print(f"primetradeai preview: error: stack {stack}: {first_line(str(error))}", file=sys.stderr)
            continue
        _report(stack, result, outputs[stack], states, console, progress, named=True)
    return 2 if failed else 0


def _report(
    stack: str,
    result: PreviewResult,
    out: Path | None,
    states: dict[str, str],
    console: Console,
    progress: Progress,
    *,
    named: bool,
) -> int:
    """Write one stack's plan and print its tree; `named`: every line and table says which stack."""
    if out is None:
        sys.stdout.write(result.json)
        return 0
    with progress.phase(f"{stack}: writing the plan"):
        write_text(out, result.json)

    from rich.markup import escape

    from infra.toolkit.commands.tree import print_plan

    prefix = f"[bold]{escape(stack)}[/]: " if named else ""
    if named:
        console.rule(f"stack [bold]{escape(stack)}[/]")
    print_plan(result.plan, console, title=f"{stack}: resources per type" if named else None)
    for note in result.notes:
        console.print(f"{prefix}[dim]note: {escape(note)}[/]")
    console.print(
        f"{prefix}Plan written to [bold]{escape(str(out))}[/] ({result.plan.summary.resources} resources)."
    )
    if stack in states:
        console.print(
            f"{prefix}Steps against the deployed stack: primetradeai diff {escape(states[stack])}"
            f" {escape(str(out))}"
        )
    return 0
