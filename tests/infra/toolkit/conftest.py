"""A small Pulumi project in the shape of the real stacks, copied per test session with its stack file."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from infra.toolkit.plan import Plan
from infra.toolkit.preview.run import PreviewResult, preview_stack

REPOSITORY = Path(__file__).resolve().parents[3]
PROJECT = Path(__file__).parent / "project"
PLANTED_SECRET = "planted-Redis-Secret-5f0c2e9a71"
"""Set as a plain value in the stack file; the program reads it with require_secret."""


def write_project(target: Path, *, replicas: int = 3, stack: str = "prod") -> Path:
    """Copy the sample project to `target` with a `Pulumi.<stack>.yaml` holding the planted secret."""
    shutil.copytree(PROJECT, target, ignore=shutil.ignore_patterns("__pycache__"))
    config = {
        "primetradeai:replicas": replicas,
        "primetradeai:chartPath": str(REPOSITORY / "charts" / "taskapi"),
        "primetradeai:redisPassword": PLANTED_SECRET,
        "primetradeai:apiToken": {"secure": "v1:AAAABBBBCCCC"},
    }
    (target / f"Pulumi.{stack}.yaml").write_text(yaml.safe_dump({"config": config}), encoding="utf-8")
    return target


@pytest.fixture(scope="session")
def project_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample project with its prod stack file (the policy and cost command tests use it too)."""
    return write_project(tmp_path_factory.mktemp("toolkit") / "project")


@pytest.fixture(scope="session")
def sample_preview(project_dir: Path) -> PreviewResult:
    return preview_stack("prod", project_dir=project_dir)


@pytest.fixture(scope="session")
def sample_plan(sample_preview: PreviewResult) -> Plan:
    return sample_preview.plan


@pytest.fixture
def counted(sample_preview: PreviewResult) -> tuple[list[int], Callable[[], PreviewResult]]:
    """A run that returns the sample project's real preview and counts how often it was asked to."""
    calls: list[int] = []

    def run() -> PreviewResult:
        calls.append(1)
        return sample_preview

    return calls, run
