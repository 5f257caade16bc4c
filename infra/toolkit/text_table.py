"""Plain-text tables for terminals and CI logs, laid out by rich so long names wrap inside their column."""

from __future__ import annotations

import io
import sys
from collections.abc import Sequence
from typing import Final

from rich import box
from rich.console import Console
from rich.table import Table

LOG_WIDTH: Final = 160
"""The width used when stdout is not a terminal (CI logs are read later, in a wide window)."""


def table(headers: Sequence[str], rows: Sequence[Sequence[str]], right: Sequence[str] = ()) -> Table:
    """A borderless table with one header row; columns named in `right` align right (figures)."""
    built = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
    for header in headers:
        built.add_column(header, justify="right" if header in right else "left", overflow="fold")
    for row in rows:
        built.add_row(*row)
    return built


def render(*parts: str | Table) -> str:
    """Text lines and tables, in order, as plain text (no colour, no markup) at the output's width."""
    width = None if sys.stdout.isatty() else LOG_WIDTH
    buffer = io.StringIO()
    console = Console(file=buffer, width=width, color_system=None, markup=False, highlight=False, emoji=False)
    for part in parts:
        console.print(part)
    # rich pads every cell to its column's width; trailing spaces are noise in a log or a diff.
    return "".join(line.rstrip() + "\n" for line in buffer.getvalue().splitlines())
