"""`primetradeai preview`: the tree on stdout, the plan on disk, one clear line for bad input."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.infra.toolkit.commands.cli_run import run_cli
from tests.infra.toolkit.conftest import PLANTED_SECRET, REPOSITORY, write_project


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_project(tmp_path_factory.mktemp("cli") / "project")


def test_preview_prints_the_tree_and_counts_and_writes_the_plan(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run_cli(["preview", "--stack", "prod", "--project-dir", str(project)], capsys)

    plan_path = project / ".preview" / "prod.json"
    assert code == 0, err
    assert err == ""  # no spinner or progress noise when stderr is not a terminal
    assert "pulumi:pulumi:Stack primetradeai-prod" in out
    assert "aws:elasticache/replicationGroup:ReplicationGroup prod-redis  protected" in out
    assert "kubernetes:apps/v1:Deployment taskapi/taskapi  rendered" in out
    assert "Resources per type" in out
    assert f"Plan written to {plan_path}" in out
    assert json.loads(plan_path.read_text(encoding="utf-8"))["stack"] == "prod"
    assert PLANTED_SECRET not in out + err + plan_path.read_text(encoding="utf-8")


def test_preview_to_stdout_writes_only_the_plan(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(["preview", "--project-dir", str(project), "--out", "-"], capsys)

    assert code == 0
    assert json.loads(out)["format"] == "primetradeai-plan"
    assert PLANTED_SECRET not in out


def test_an_unknown_stack_is_one_line_naming_it(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_cli(["preview", "--stack", "qa", "--project-dir", str(project)], capsys)

    assert code == 2
    assert out == ""
    assert err.count("\n") == 1
    assert err.startswith("primetradeai preview: error: no stack 'qa': Pulumi.qa.yaml does not exist")


def test_a_broken_stack_file_is_one_line_naming_the_file(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "Pulumi.broken.yaml").write_text("config:\n  primetradeai:replicas: [3\n", encoding="utf-8")

    code, _, err = run_cli(["preview", "--stack", "broken", "--project-dir", str(project)], capsys)

    assert code == 2
    assert err.count("\n") == 1
    assert "Pulumi.broken.yaml" in err
    assert "Traceback" not in err


def test_a_missing_config_key_is_one_line_without_a_traceback(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "Pulumi.bare.yaml").write_text("config: {}\n", encoding="utf-8")

    code, _, err = run_cli(["preview", "--stack", "bare", "--project-dir", str(project)], capsys)

    assert code == 2
    assert err.count("\n") == 1
    assert "redisPassword" in err


def test_a_directory_without_a_project_is_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run_cli(["preview", "--project-dir", str(tmp_path)], capsys)

    assert code == 2
    assert err == f"primetradeai preview: error: {tmp_path}: no Pulumi.yaml, not a Pulumi project\n"


@pytest.mark.slow
def test_two_processes_with_different_hash_seeds_write_byte_identical_plans(project: Path) -> None:
    # Set and dict order can follow the hash seed, which differs per process: one process cannot see it.
    def plan_from_a_new_process(seed: str) -> bytes:
        command = [sys.executable, "-m", "infra.toolkit.cli", "preview", "--no-cache", "--project-dir"]
        command.append(str(project))
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run(
            [*command, "--out", "-"], cwd=REPOSITORY, env=env, capture_output=True, check=True
        )
        return done.stdout

    first, second = plan_from_a_new_process("1"), plan_from_a_new_process("2")

    assert json.loads(first)["format"] == "primetradeai-plan"
    assert first == second


def test_a_bad_value_beside_a_secret_is_named_and_the_secret_is_not(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    stack_file = (project / "Pulumi.prod.yaml").read_text(encoding="utf-8")
    (project / "Pulumi.badint.yaml").write_text(
        stack_file.replace("primetradeai:replicas: 3", "primetradeai:replicas: three"), encoding="utf-8"
    )

    code, out, err = run_cli(["preview", "--stack", "badint", "--project-dir", str(project)], capsys)

    assert code == 2
    assert err.count("\n") == 1
    assert "primetradeai:replicas" in err
    assert PLANTED_SECRET in stack_file
    assert PLANTED_SECRET not in out + err
