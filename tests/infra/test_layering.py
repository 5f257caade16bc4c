"""The infra packages import one way: the toolkit's command layer on top, the plan model at the bottom,
the deployed program and the policy rules beside it without the review tools, and no loop anywhere.

Imports are read from the source with `ast`, lazy ones inside functions included: a loop that only
closes at run time is still a loop.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

import pytest

REPOSITORY = Path(__file__).resolve().parents[2]
COMMAND_LAYER = frozenset({"infra.toolkit.cli", "infra.toolkit.commands"})
REVIEW_TOOLS = ("infra.toolkit", "infra.harness", "infra.bootstrap")


def _module_name(path: Path) -> str:
    parts = path.relative_to(REPOSITORY).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _unit(name: str) -> str:
    """The package an import belongs to: `infra.<package>`, or `infra.toolkit.<package or module>`."""
    parts = name.split(".")
    depth = 3 if parts[:2] == ["infra", "toolkit"] else 2
    return ".".join(parts[:depth])


def _imported(path: Path) -> set[str]:
    module = _module_name(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")[: len(package.split(".")) - node.level + 1] if node.level else []
            origin = ".".join([*base, *([node.module] if node.module else [])])
            # `from infra import policy` imports the package infra.policy, not a name of infra.
            found.update(f"{origin}.{alias.name}" for alias in node.names)
    return {name for name in found if name.startswith("infra.")}


def _graph() -> dict[str, set[str]]:
    """Unit -> the other units it imports, over every module of infra/ and the stack program."""
    graph: dict[str, set[str]] = defaultdict(set)
    for path in [*sorted((REPOSITORY / "infra").rglob("*.py")), REPOSITORY / "stacks" / "__main__.py"]:
        unit = _unit(_module_name(path))
        graph[unit] |= {_unit(name) for name in _imported(path)} - {unit}
    return graph


@pytest.fixture(scope="module")
def graph() -> dict[str, set[str]]:
    return _graph()


def test_the_graph_sees_the_known_arrows(graph: dict[str, set[str]]) -> None:
    # A reader that found nothing would pass every test below.
    assert "infra.toolkit.preview" in graph["infra.toolkit.commands"]
    assert "infra.policy" in graph["infra.toolkit.policy"]
    assert "infra.components" in graph["stacks.__main__"]


def test_nothing_below_the_command_layer_imports_it(graph: dict[str, set[str]]) -> None:
    upward = {unit: deps & COMMAND_LAYER for unit, deps in graph.items() if unit not in COMMAND_LAYER}
    assert {unit: deps for unit, deps in upward.items() if deps} == {}


def test_no_packages_import_each_other_in_a_loop(graph: dict[str, set[str]]) -> None:
    try:
        TopologicalSorter(graph).prepare()
    except CycleError as error:
        pytest.fail(f"import loop between packages: {' -> '.join(error.args[1])}")


def test_the_policy_rules_and_the_pack_import_nothing_of_the_review_tools(graph: dict[str, set[str]]) -> None:
    # The stack's config model is allowed: a policy suppression is a stack setting the pack honours.
    for unit in ("infra.policy", "infra.policypack"):
        assert graph[unit] <= {"infra.policy", "infra.pulumi_policy_internals", "infra.config"}, unit


def test_the_deployed_program_imports_nothing_of_the_review_tools(graph: dict[str, set[str]]) -> None:
    for unit in ("stacks.__main__", "infra.components", "infra.config"):
        reached = {dep for dep in graph[unit] if dep.startswith(REVIEW_TOOLS)}
        assert reached == set(), unit
