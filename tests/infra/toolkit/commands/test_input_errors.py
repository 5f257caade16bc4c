"""Bad input is one line and exit 2, found before the provider SDKs load (checked, not timed)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.infra.toolkit.conftest import REPOSITORY

# Runs the CLI in a child process and reports, beside its exit code, which provider SDKs it imported.
_CHILD = """
import json, sys
from infra.toolkit.cli import main
try:
    code = main(sys.argv[1:])
except SystemExit as exited:
    code = exited.code
loaded = sorted(m for m in ("pulumi_cloudflare", "pulumi_mongodbatlas", "pulumi_aws") if m in sys.modules)
print(json.dumps({"code": code, "loaded": loaded}), file=sys.__stdout__)
"""


def _run(args: list[str], cwd: Path) -> tuple[int, list[str], list[str]]:
    """Exit code, stderr lines and provider SDKs imported by `primetradeai ARGS`."""
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(REPOSITORY)},
    )
    report = json.loads(done.stdout.strip().splitlines()[-1])
    return int(report["code"]), done.stderr.splitlines(), list(report["loaded"])


def _real_project(tmp_path: Path, stack_file: bytes) -> Path:
    """A project running the real stack program with the given `Pulumi.prod.yaml` bytes."""
    project = tmp_path / "project"
    project.mkdir()
    (project / "Pulumi.yaml").write_text(
        f"name: primetradeai\nruntime: python\nmain: {REPOSITORY / 'stacks'}\n", encoding="utf-8"
    )
    (project / "Pulumi.prod.yaml").write_bytes(stack_file)
    return project


def _prod_config() -> bytes:
    return (REPOSITORY / "Pulumi.prod.yaml").read_bytes()


@pytest.mark.parametrize("command", ["preview", "policy", "cost"])
def test_a_stack_file_that_is_not_utf8_is_one_line_before_any_provider_sdk_loads(
    tmp_path: Path, command: str
) -> None:
    config = _prod_config()
    line = config[: config.index(b"config:")].count(b"\n") + 2
    latin1 = config.replace(b"config:", "config:\n  # résumé".encode("latin-1"), 1)
    project = _real_project(tmp_path, latin1)
    args = [command, "--stack", "prod", "--project-dir", str(project)]

    code, stderr, loaded = _run([*args, *(["--out", "-"] if command == "preview" else [])], project)

    assert code == 2
    assert stderr == [
        f"primetradeai {command}: error: Pulumi.prod.yaml: not UTF-8 text (line {line}: byte 0xe9)"
    ]
    assert loaded == []


def test_a_config_schema_error_is_reported_before_any_provider_sdk_loads(tmp_path: Path) -> None:
    project = _real_project(tmp_path, _prod_config() + b"  primetradeai:replicaCount: 3\n")

    code, stderr, loaded = _run(["preview", "--project-dir", str(project), "--out", "-"], project)

    assert code == 2
    assert len(stderr) == 1
    assert stderr[0].startswith("primetradeai preview: error: ")
    assert "Pulumi.prod.yaml: primetradeai:replicaCount: unknown key" in stderr[0]
    assert loaded == []


@pytest.mark.parametrize("command", ["preview", "policy"])
def test_a_prod_kubernetes_api_opened_to_the_internet_is_one_line_and_exit_2(
    tmp_path: Path, command: str
) -> None:
    limited = b"endpointPublicAccessCidrs: [192.0.2.0/24, 198.51.100.0/24]"
    assert limited in _prod_config()
    planted = _prod_config().replace(limited, b"endpointPublicAccessCidrs: [192.0.2.0/24, 0.0.0.0/0]")
    project = _real_project(tmp_path, planted)

    code, stderr, loaded = _run([command, "--stack", "prod", "--project-dir", str(project)], project)

    assert code == 2
    assert len(stderr) == 1
    assert stderr[0].startswith(
        f"primetradeai {command}: error: Pulumi.prod.yaml: primetradeai:cluster.endpointPublicAccessCidrs: "
        "0.0.0.0/0 opens prod's Kubernetes API to the whole internet"
    )
    assert loaded == []


def test_an_unwritable_plan_path_is_reported_before_the_stack_runs(tmp_path: Path) -> None:
    project = _real_project(tmp_path, _prod_config())
    blocker = tmp_path / "a-file"
    blocker.write_text("", encoding="utf-8")

    code, stderr, loaded = _run(
        ["preview", "--project-dir", str(project), "--out", str(blocker / "prod.json")], project
    )

    assert code == 2
    target = blocker / "prod.json"
    expected = f"cannot write {target}: {blocker} is a file, not a directory"
    assert stderr == [f"primetradeai preview: error: {expected}"]
    assert loaded == []


def test_diff_refuses_an_unwritable_out_before_reading_its_inputs(tmp_path: Path) -> None:
    code, stderr, _ = _run(
        ["diff", "missing-base.json", "missing-head.json", "--out", str(tmp_path)], tmp_path
    )

    assert code == 2
    assert stderr == [f"primetradeai diff: error: cannot write {tmp_path}: a directory, not a file"]


@pytest.mark.parametrize("command", ["policy", "cost"])
def test_a_plan_file_that_is_not_utf8_is_one_line(tmp_path: Path, command: str) -> None:
    plan = tmp_path / "plan.json"
    plan.write_bytes(b'{"format": "primetradeai-plan", "note": "\xff"}')

    code, stderr, loaded = _run([command, "--plan", str(plan)], tmp_path)

    assert code == 2
    assert stderr == [f"primetradeai {command}: error: {plan}: not UTF-8 text (byte 41)"]
    assert loaded == []
