"""`--progress` and `--quiet`: how a command that previews a stack reports its phases on stderr."""

from __future__ import annotations

import argparse
import os
from typing import TYPE_CHECKING

from infra.toolkit.progress import PROGRESS_CHOICES

if TYPE_CHECKING:
    from infra.toolkit.progress import Progress


def add_progress_arguments(parser: argparse.ArgumentParser) -> None:
    """Add `--progress {auto,plain,off}` and `--quiet`."""
    parser.add_argument(
        "--progress",
        choices=PROGRESS_CHOICES,
        default="auto",
        help="progress on stderr (stdout is never touched). auto: a live status with the phase and the"
        " resource count on a terminal; one plain line per phase with its duration when CI=true (GitHub"
        " Actions sets it); otherwise nothing. plain: those lines anywhere. off: nothing",
    )
    parser.add_argument("--quiet", "-q", action="store_true", help="no progress on stderr (errors still are)")


def progress_of(args: argparse.Namespace) -> Progress:
    """The progress reporter `--progress` and `--quiet` ask for, on this process's stderr."""
    from rich.console import Console

    from infra.toolkit.progress import Progress, choose_mode

    console = Console(stderr=True)
    mode = choose_mode(
        args.progress, quiet=args.quiet, stderr_is_terminal=console.is_terminal, environ=os.environ
    )
    return Progress(mode, console)
