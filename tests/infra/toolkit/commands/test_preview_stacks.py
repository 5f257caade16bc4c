"""`primetradeai preview --stack A --stack B`: every stack in one process, each plan where a run of it
alone writes it, every line naming its stack; progress on stderr only, and only when asked or in CI."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.infra.toolkit.commands.cli_run import run_cli
from tests.infra.toolkit.conftest import REPOSITORY, write_project

STACKS = ("dev", "staging", "prod")


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample project with three stacks that differ in what they register."""
    target = write_project(tmp_path_factory.mktemp("stacks") / "project")
    prod = yaml.safe_load((target / "Pulumi.prod.yaml").read_text(encoding="utf-8"))
    for stack, replicas in (("dev", 2), ("staging", 4)):
        config = {**prod["config"], "primetradeai:replicas": replicas}
        (target / f"Pulumi.{stack}.yaml").write_text(yaml.safe_dump({"config": config}), encoding="utf-8")
    return target


def _cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "infra.toolkit.cli", "preview", *args]


@pytest.mark.slow
def test_three_stacks_in_one_process_write_the_plans_single_runs_write(project: Path, tmp_path: Path) -> None:
    # Fresh processes on both sides: what a leftover of one stack (config, root resource, registrations)
    # would change in the next is visible only against a process that ran that stack alone.
    stack_flags = [flag for stack in STACKS for flag in ("--stack", stack)]
    subprocess.run(
        _cli(*stack_flags, "--project-dir", str(project), "--out", str(tmp_path / "{stack}.json")),
        cwd=REPOSITORY,
        capture_output=True,
        check=True,
    )
    for stack in STACKS:
        alone = subprocess.run(
            _cli("--stack", stack, "--project-dir", str(project), "--out", "-"),
            cwd=REPOSITORY,
            capture_output=True,
            check=True,
        ).stdout
        assert (tmp_path / f"{stack}.json").read_bytes() == alone, stack
    assert len({(tmp_path / f"{stack}.json").read_bytes() for stack in STACKS}) == 3


def test_each_plan_goes_where_a_single_run_writes_it_and_each_line_names_its_stack(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run_cli(
        ["preview", "--stack", "dev", "--stack", "prod", "--project-dir", str(project)], capsys
    )

    assert code == 0, err
    assert err == ""
    for stack in ("dev", "prod"):
        plan = project / ".preview" / f"{stack}.json"
        assert f"{stack}: Plan written to {plan}" in out
        assert f"stack {stack}" in out  # the rule above its tree
        assert f"{stack}: resources per type" in out
    assert out.index("dev: Plan written") < out.index("stack prod")


def test_a_failing_stack_is_one_line_naming_it_and_the_others_are_still_reported(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out_pattern = str(tmp_path / "{stack}.json")
    args = ["preview", "--stack", "dev", "--stack", "qa", "--stack", "prod", "--project-dir", str(project)]

    code, out, err = run_cli([*args, "--out", out_pattern], capsys)

    assert code == 2
    assert err.count("\n") == 1
    assert err.startswith("primetradeai preview: error: stack qa: no stack 'qa'")
    assert (tmp_path / "dev.json").is_file()
    assert (tmp_path / "prod.json").is_file()
    assert not (tmp_path / "qa.json").exists()
    assert "dev: Plan written" in out
    assert "prod: Plan written" in out


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--out", "plans/all.json"], "--out plans/all.json: with several stacks it must contain {stack}"),
        (["--out", "-"], "--out -: stdout holds one plan; with several stacks give a path with {stack}"),
        (["--state", "state.json"], "--state state.json: with several stacks it must contain {stack}"),
        (["--stack", "dev"], "--stack dev is given more than once"),
    ],
)
def test_options_that_cannot_serve_several_stacks_are_refused_before_any_runs(
    project: Path, capsys: pytest.CaptureFixture[str], extra: list[str], message: str
) -> None:
    code, out, err = run_cli(
        ["preview", "--stack", "dev", "--stack", "prod", "--project-dir", str(project), *extra], capsys
    )

    assert code == 2
    assert out == ""
    assert err == f"primetradeai preview: error: {message}\n"


PHASE_LINE = re.compile(
    r"prod: (running the program|building the plan and rendering charts)"
    r" — \d+ resources \(\d+\.\d s\)|prod: writing the plan \(\d+\.\d s\)"
)


def test_in_ci_each_phase_is_one_plain_line_with_its_duration_and_stdout_does_not_change(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    args = ["preview", "--stack", "prod", "--project-dir", str(project), "--no-cache"]
    code, quiet_out, quiet_err = run_cli(args, capsys)
    assert (code, quiet_err) == (0, "")  # stderr is not a terminal here: nothing by default

    monkeypatch.setenv("CI", "true")
    code, ci_out, ci_err = run_cli(args, capsys)

    assert code == 0
    lines = ci_err.splitlines()
    assert len(lines) == 3
    assert all(PHASE_LINE.fullmatch(line) for line in lines), lines
    assert ci_out == quiet_out


def test_quiet_silences_progress_even_in_ci(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CI", "true")

    code, _, err = run_cli(["preview", "--project-dir", str(project), "--quiet"], capsys)

    assert (code, err) == (0, "")


def test_progress_plain_asks_for_the_lines_outside_ci_and_leaves_the_plan_on_stdout_alone(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["preview", "--project-dir", str(project), "--out", "-", "--no-cache"]
    _, plain_out, _ = run_cli(args, capsys)

    code, out, err = run_cli([*args, "--progress", "plain"], capsys)

    assert code == 0
    assert out == plain_out
    assert [line.split(" ")[0] for line in err.splitlines()] == ["prod:", "prod:"]  # no write phase: stdout
