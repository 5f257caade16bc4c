"""Each stack runs once per session under the mock runtime; tests read the recorded runs."""

from __future__ import annotations

from pathlib import Path

import pytest

from infra.harness import StackRun, run_stack

PROJECT_DIR = Path(__file__).resolve().parents[2]
STACKS = ("dev", "staging", "prod")


@pytest.fixture(scope="session")
def stack_runs() -> dict[str, StackRun]:
    return {stack: run_stack(stack, project_dir=PROJECT_DIR) for stack in STACKS}


@pytest.fixture(params=STACKS)
def run(request: pytest.FixtureRequest, stack_runs: dict[str, StackRun]) -> StackRun:
    """Each stack in turn."""
    return stack_runs[request.param]


@pytest.fixture(params=("staging", "prod"))
def ha_run(request: pytest.FixtureRequest, stack_runs: dict[str, StackRun]) -> StackRun:
    """The stacks that must survive losing a zone."""
    return stack_runs[request.param]


@pytest.fixture
def dev(stack_runs: dict[str, StackRun]) -> StackRun:
    return stack_runs["dev"]


@pytest.fixture
def prod(stack_runs: dict[str, StackRun]) -> StackRun:
    return stack_runs["prod"]
