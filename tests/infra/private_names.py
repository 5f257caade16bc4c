"""Checks shared by the tests of infra/pulumi_internals.py and infra/pulumi_policy_internals.py."""

from __future__ import annotations

import ast
import importlib
import tomllib
from importlib.metadata import version
from pathlib import Path
from types import ModuleType

import pytest
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.version import Version

REPOSITORY = Path(__file__).resolve().parents[2]


def taken_names(listing: Path) -> list[tuple[str, str]]:
    """`(module, name)` for each `from module import name` of a listing module: its imports are the list."""
    tree = ast.parse(listing.read_text(encoding="utf-8"))
    return [
        (node.module, alias.name)
        for node in tree.body
        if isinstance(node, ast.ImportFrom) and node.module and node.module != "__future__"
        for alias in node.names
    ]


def upgrade_advice(distribution: str, listing: Path) -> str:
    where = listing.relative_to(REPOSITORY)
    return (
        f"{distribution} {version(distribution)} moved it; {where} takes it from there: "
        f"find where it went, prove the callers on it, then update that module and {distribution}'s "
        "upper bound in pyproject.toml"
    )


def check_taken(distribution: str, listing: Path, module: str, name: str) -> None:
    """Fail with what moved, and what to do, when `module.name` is not where the listing takes it."""
    try:
        found: ModuleType | None = importlib.import_module(module)
    except ImportError:
        found = None
    if found is not None and hasattr(found, name):
        return
    try:  # a submodule (`from pulumi.runtime.proto import resource_pb2`) is an attribute only once imported
        importlib.import_module(f"{module}.{name}")
    except ImportError:
        pytest.fail(f"{module}.{name} is gone: {upgrade_advice(distribution, listing)}")


def check_pinned_to_proven(distribution: str, proven: str) -> None:
    """pyproject.toml's `infra` group caps `distribution` at the version proven, and that is installed."""
    project = tomllib.loads((REPOSITORY / "pyproject.toml").read_text(encoding="utf-8"))
    specs = [Requirement(entry) for entry in project["dependency-groups"]["infra"]]
    spec: SpecifierSet = next(req.specifier for req in specs if req.name == distribution)
    assert any(s.operator == "<=" and s.version == proven for s in spec), (
        f"pyproject.toml allows {distribution}{spec}: cap it at the version proven, <={proven}"
    )
    assert Version(version(distribution)) in spec, f"{distribution} {version(distribution)} is outside {spec}"


def modules_reaching_into(packages: tuple[str, ...]) -> set[str]:
    """The modules of infra/ and stacks/ that import from a submodule of `packages` (a private path)."""
    found = set()
    for path in [*(REPOSITORY / "infra").rglob("*.py"), REPOSITORY / "stacks" / "__main__.py"]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            names += [alias.name for alias in node.names] if isinstance(node, ast.Import) else []
            if any(name.startswith(tuple(f"{package}." for package in packages)) for name in names):
                found.add(path.relative_to(REPOSITORY).as_posix())
    return found
