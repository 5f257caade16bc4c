"""Write the table of a chart's values into its README, from the comments in its values.yaml.

Every value in values.yaml is documented by the comment block right above it, starting with the value's
own name (Helm's chart best practice). This script fails, naming the value, when one is not.

    python charts/values_readme.py charts/taskapi           # rewrite charts/taskapi/README.md
    python charts/values_readme.py charts/taskapi --check   # exit 1 when the README is out of date
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

START = "<!-- values:start -->"
END = "<!-- values:end -->"
_KEY_LINE = re.compile(r"^(?P<indent> *)(?P<key>[A-Za-z0-9_]+):(?P<rest>.*)$")
_COMMENT_LINE = re.compile(r"^ *# ?(?P<text>.*)$")
_INDENT = 2


class UndocumentedValueError(ValueError):
    """A value in values.yaml has no comment, or its comment does not start with its name."""


@dataclass(frozen=True)
class Value:
    """One leaf of values.yaml: its dotted path, default and description."""

    path: str
    default: Any
    description: str


def _lookup(tree: Any, path: list[str]) -> Any:
    for key in path:
        tree = tree[key]
    return tree


def _is_parent(default: Any) -> bool:
    return isinstance(default, dict) and bool(default)


def document(values_file: Path) -> list[Value]:
    """The documented leaves of values_file, in file order.

    Raises:
        UndocumentedValueError: a leaf has no comment starting with its name.
    """
    text = values_file.read_text()
    tree = yaml.safe_load(text) or {}
    stack: list[str] = []
    comment: list[str] = []
    found: list[Value] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if match := _COMMENT_LINE.match(line):
            comment.append(match["text"].strip())
            continue
        match = _KEY_LINE.match(line)
        if match is None:
            comment = []  # A blank line or a list item ends a comment block.
            continue
        depth = len(match["indent"]) // _INDENT
        stack = [*stack[:depth], match["key"]]
        default = _lookup(tree, stack)
        description, comment = " ".join(comment), []
        if _is_parent(default):
            continue
        dotted = ".".join(stack)
        if not description.startswith(f"{match['key']} "):
            raise UndocumentedValueError(
                f"{values_file}:{number}: {dotted} needs a comment right above it that starts with "
                f"its name, {match['key']!r}"
            )
        found.append(Value(dotted, default, description))
    return found


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def table(values: list[Value]) -> str:
    """The values as a Markdown table."""
    rows = ["| Value | Default | Description |", "|---|---|---|"]
    rows.extend(
        f"| `{value.path}` | `{_cell(json.dumps(value.default))}` | {_cell(value.description)} |"
        for value in values
    )
    return "\n".join(rows)


def with_table(readme: str, values: list[Value]) -> str:
    """The README text with the table between its markers replaced."""
    before, marker, rest = readme.partition(START)
    _, end_marker, after = rest.partition(END)
    if not marker or not end_marker:
        raise ValueError(f"the README needs the markers {START} and {END} around the values table")
    return f"{before}{START}\n{table(values)}\n{END}{after}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("chart", type=Path, help="the chart directory, e.g. charts/taskapi")
    parser.add_argument("--check", action="store_true", help="exit 1 when README.md is out of date")
    args = parser.parse_args(argv)
    readme_file: Path = args.chart / "README.md"
    try:
        values = document(args.chart / "values.yaml")
        current = readme_file.read_text()
        updated = with_table(current, values)
    except (OSError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if args.check:
        if updated != current:
            print(
                f"{readme_file} is out of date: run python charts/values_readme.py {args.chart}",
                file=sys.stderr,
            )
            return 1
        return 0
    readme_file.write_text(updated)
    return 0


if __name__ == "__main__":
    sys.exit(main())
