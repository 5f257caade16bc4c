"""`primetradeai`: the offline toolkit's command-line entry point.

Each subcommand lives in its own module exposing `register(subparsers)`, which adds a parser and sets
`run=<callable(args) -> int>` as its default. Modules import heavy libraries (Pulumi SDKs, rich, jinja2)
inside `run`, so `primetradeai --help` and a failed argument check stay instant.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable, Sequence
from typing import NoReturn, Protocol, cast

from infra.toolkit.commands import SubParsers
from infra.toolkit.errors import ToolkitError, first_line

# Registration point: a subcommand is a module here.
COMMAND_MODULES = (
    "infra.toolkit.commands.preview",
    "infra.toolkit.commands.diff",
    "infra.toolkit.commands.policy",
    "infra.toolkit.commands.cost",
)

Runner = Callable[[argparse.Namespace], int]


class _CommandModule(Protocol):
    def register(self, subparsers: SubParsers) -> None: ...


class OneLineArgumentParser(argparse.ArgumentParser):
    """An argument mistake is one line on stderr and exit code 2, like every other bad input."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see --help)\n")


def build_parser() -> argparse.ArgumentParser:
    """The top-level parser with every available subcommand registered."""
    parser = OneLineArgumentParser(
        prog="primetradeai",
        description="Offline preview, stack diffs, policy and cost for the primetradeai Pulumi stacks.",
    )
    subparsers = cast(SubParsers, parser.add_subparsers(dest="command", metavar="COMMAND", required=True))
    for module_name in COMMAND_MODULES:
        module = cast(_CommandModule, importlib.import_module(module_name))
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one subcommand; user mistakes become one line on stderr and exit code 2, never a traceback."""
    parser = build_parser()
    args = parser.parse_args(argv)
    run = cast(Runner, args.run)
    try:
        return run(args)
    except ToolkitError as error:  # PlanFormatError is one too
        _fail(args.command, str(error))
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `primetradeai diff ... | head` is not an error
        return 0


def _fail(command: str, message: str) -> NoReturn:
    print(f"primetradeai {command}: error: {first_line(message)}", file=sys.stderr)
    raise SystemExit(2)


if __name__ == "__main__":
    raise SystemExit(main())
