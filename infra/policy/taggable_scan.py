"""Which pulumi-aws resource types accept `tags`, read from the installed SDK's source without importing it.

Importing pulumi-aws submodules to ask `XArgs` for a `tags` property cost 1.4 s per policy run (ec2's
types alone are 0.6 s), so the answer is kept in `infra/policy/aws_taggable.py`, written by this module:

    uv run python infra/policy/taggable_scan.py --write

(run as a file, so a broken table in the package cannot stop its own repair).

The scan reads the SDK's own registry of resource modules (the JSON `pulumi_aws/__init__.py` passes to
`_utilities.register`: every type token and the package that defines it) and, in that package's files,
whether the `<Type>Args` class defines a `tags` property. tests/infra/policy/test_taggable_scan.py checks
the written table against a fresh scan, and the scan against the SDK's classes themselves.
"""

from __future__ import annotations

import ast
import importlib.metadata
import importlib.util
import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path

SDK = "pulumi_aws"
_CLASS = re.compile(r"^class (\w+)\b", re.MULTILINE)
_TAGS_PROPERTY = re.compile(r"^    def tags\(self\)", re.MULTILINE)


def sdk_version() -> str:
    """The installed pulumi-aws version the table is written from."""
    return importlib.metadata.version("pulumi-aws")


def sdk_directory() -> Path:
    """Where pulumi_aws is installed (found, not imported)."""
    spec = importlib.util.find_spec(SDK)
    if spec is None or spec.origin is None:
        raise RuntimeError(f"{SDK} is not installed")
    return Path(spec.origin).parent


def resource_classes(directory: Path) -> Iterator[tuple[str, str, str]]:
    """(type token, package, class name) of every resource in the SDK's registry of resource modules."""
    tree = ast.parse((directory / "__init__.py").read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "register":
            for keyword in node.keywords:
                if (
                    keyword.arg == "resource_modules"
                    and isinstance(keyword.value, ast.Constant)
                    and isinstance(keyword.value.value, str)
                ):
                    for module in json.loads(keyword.value.value):
                        for token, class_name in module["classes"].items():
                            yield token, module["fqn"], class_name
                    return
    raise RuntimeError(f"{directory / '__init__.py'}: no registry of resource modules found")


def _tagged_args(package_directory: Path) -> frozenset[str]:
    """The `...Args` classes defined in one package's files that have a `tags` property."""
    found: set[str] = set()
    for path in sorted(package_directory.glob("*.py")):
        text = path.read_text(encoding="utf-8")
        starts = list(_CLASS.finditer(text))
        for index, match in enumerate(starts):
            if not match.group(1).endswith("Args"):
                continue
            end = starts[index + 1].start() if index + 1 < len(starts) else len(text)
            if _TAGS_PROPERTY.search(text, match.end(), end):
                found.add(match.group(1))
    return frozenset(found)


def scan_taggable(directory: Path | None = None) -> tuple[str, ...]:
    """Every pulumi-aws type token whose `<Type>Args` takes `tags`, sorted."""
    root = directory or sdk_directory()
    by_package: dict[str, frozenset[str]] = {}
    taggable: list[str] = []
    for token, package, class_name in resource_classes(root):
        if package not in by_package:
            relative = package.split(".")[1:]
            by_package[package] = _tagged_args(root.joinpath(*relative))
        if f"{class_name}Args" in by_package[package]:
            taggable.append(token)
    return tuple(sorted(set(taggable)))


def render_table(version: str, tokens: tuple[str, ...]) -> str:
    """The text of infra/policy/aws_taggable.py."""
    lines = [
        '"""The pulumi-aws types that accept `tags`; written by infra/policy/taggable_scan.py."""',
        "",
        f'PULUMI_AWS_VERSION = "{version}"',
        '"""The SDK version the table was read from; a test fails when the installed one differs."""',
        "",
        "TAGGABLE_AWS_TYPES = frozenset(",
        "    {",
        *(f'        "{token}",' for token in tokens),
        "    }",
        ")",
    ]
    return "\n".join(lines) + "\n"


TABLE = Path(__file__).with_name("aws_taggable.py")


def main(argv: list[str] | None = None) -> int:
    """Print the table, or with --write replace infra/policy/aws_taggable.py with it."""
    args = sys.argv[1:] if argv is None else argv
    tokens = scan_taggable()
    text = render_table(sdk_version(), tokens)
    if args == ["--write"]:
        TABLE.write_text(text, encoding="utf-8")
        print(f"{TABLE}: {len(tokens)} taggable types", file=sys.stderr)
    elif not args:
        sys.stdout.write(text)
    else:
        print("usage: python infra/policy/taggable_scan.py [--write]", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
