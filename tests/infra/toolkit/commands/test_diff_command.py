"""`primetradeai diff`: two real previews of the sample project, and a real `pulumi preview --json`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from infra.toolkit.preview.run import preview_stack
from tests.infra.toolkit.commands.cli_run import run_cli
from tests.infra.toolkit.conftest import PLANTED_SECRET, REPOSITORY, write_project
from tests.infra.toolkit.plans import captures_dir, make_plan, resource, write_plan

CAPTURE = captures_dir() / "aws_secret_input.json"


@pytest.fixture(scope="module")
def plans(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("diff")
    base, head = root / "base.json", root / "head.json"
    base.write_text(
        preview_stack("prod", project_dir=write_project(root / "a", replicas=3)).json, encoding="utf-8"
    )
    head.write_text(
        preview_stack("prod", project_dir=write_project(root / "b", replicas=5)).json, encoding="utf-8"
    )
    return base, head


def test_diff_of_two_previews_shows_the_replica_change_down_to_the_rendered_deployment(
    plans: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run_cli(["diff", str(plans[0]), str(plans[1])], capsys)

    assert code == 0, err
    assert out.startswith("<!-- primetradeai-diff:prod -->")
    assert "| <code>spec.replicas</code> | update | <code>3</code> | <code>5</code> |" in out
    assert "| <code>values.replicaCount</code> | update | <code>3</code> | <code>5</code> |" in out
    assert "### Policy" in out
    assert PLANTED_SECRET not in out + err


def test_diff_as_json_to_a_file(
    plans: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out_path = tmp_path / "comment" / "diff.json"

    code, out, _ = run_cli(
        ["diff", str(plans[0]), str(plans[1]), "--format", "json", "--out", str(out_path)], capsys
    )

    report = json.loads(out_path.read_text(encoding="utf-8"))
    assert code == 0
    assert out == ""
    assert report["counts"]["update"] >= 2
    assert report["policy"]["evaluated"] is True
    assert PLANTED_SECRET not in out_path.read_text(encoding="utf-8")


def test_a_real_preview_alone_is_diffed_against_its_own_old_state(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(["diff", str(CAPTURE)], capsys)

    assert code == 0
    assert "**0 to create, 3 to update, 0 to replace, 0 to delete**" in out
    assert "| <code>value</code> | update | <code>[secret]</code> | <code>[secret]</code> |" in out
    assert "Not evaluated: policy reads plans" in out


def test_a_plan_alone_is_refused_in_one_line(
    plans: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run_cli(["diff", str(plans[0])], capsys)

    assert code == 2
    assert err.count("\n") == 1
    assert "is a plan: give HEAD too" in err


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"[]", "neither a plan"),
        (b'{"hello": "world"}', "neither a plan"),
        (b"<html>", "not JSON (line 1, column 1"),
        (b"", "empty file, not JSON"),
        (b"\xff\xfe{}", "not UTF-8 text"),
        (b"[" * 100_000, "nested too deeply"),
        (b'{"format": "primetradeai-plan", "version": 2}', "unsupported plan version 2"),
        (
            b'{"steps": [{"urn": "u", "op": "create", "newState": {"inputs": [1]}}]}',
            "steps[0].newState.inputs",
        ),
        (b'{"steps": [{"urn": "u", "op": "update", "replaceReasons": 5}]}', "steps[0].replaceReasons"),
    ],
)
def test_a_file_that_is_not_a_plan_or_preview_is_one_line_and_exit_code_two(
    plans: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes, problem: str
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_bytes(content)

    code, out, err = run_cli(["diff", str(plans[0]), str(bad)], capsys)

    assert code == 2
    assert out == ""
    assert err.count("\n") == 1
    assert err.startswith(f"primetradeai diff: error: {bad}: ")
    assert problem in err


def test_a_directory_is_named_as_one(
    plans: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run_cli(["diff", str(tmp_path), str(plans[1])], capsys)

    assert code == 2
    assert err == f"primetradeai diff: error: {tmp_path}: a directory, not a file\n"


def test_a_missing_file_is_named(
    plans: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run_cli(["diff", str(plans[0]), str(tmp_path / "gone.json")], capsys)

    assert code == 2
    assert err == f"primetradeai diff: error: {tmp_path / 'gone.json'}: no such file\n"


def test_the_json_report_is_byte_identical_across_processes_with_different_hash_seeds(
    plans: tuple[Path, Path],
) -> None:
    # compare() walks sets of URNs, whose order follows the per-process hash seed.
    def report_from_a_new_process(seed: str) -> bytes:
        command = [sys.executable, "-m", "infra.toolkit.cli", "diff", *map(str, plans), "--format", "json"]
        env = {**os.environ, "PYTHONHASHSEED": seed}
        return subprocess.run(command, cwd=REPOSITORY, env=env, capture_output=True, check=True).stdout

    first, second = report_from_a_new_process("1"), report_from_a_new_process("2")

    assert json.loads(first)["format"] == "primetradeai-diff"
    assert first == second
    assert PLANTED_SECRET.encode() not in first


def test_fail_on_changes_exits_1_after_writing_the_report_and_names_what_changed(
    plans: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out_path = tmp_path / "diff.md"

    code, _, err = run_cli(["diff", *map(str, plans), "--fail-on-changes", "--out", str(out_path)], capsys)

    assert code == 1
    assert out_path.read_text(encoding="utf-8").startswith("<!-- primetradeai-diff:prod -->")
    assert err.startswith("primetradeai diff: --fail-on-changes: ")
    assert "update" in err


def test_fail_on_changes_passes_when_nothing_changes(
    plans: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run_cli(["diff", str(plans[0]), str(plans[0]), "--fail-on-changes"], capsys)

    assert (code, err) == (0, "")
    assert "**0 to create, 0 to update, 0 to replace, 0 to delete**" in out


def test_fail_on_gates_only_the_named_operations(capsys: pytest.CaptureFixture[str]) -> None:
    replace_capture = captures_dir() / "small_scale_10_replace.json"

    updates_only = run_cli(["diff", str(CAPTURE), "--fail-on", "replace,delete"], capsys)
    risky = run_cli(["diff", str(replace_capture), "--fail-on", "replace,delete"], capsys)

    assert (updates_only[0], updates_only[2]) == (0, "")
    assert risky[0] == 1
    assert risky[2] == "primetradeai diff: --fail-on: 2 replace, 1 delete\n"


def test_fail_on_an_unknown_operation_is_one_line_and_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run_cli(["diff", str(CAPTURE), "--fail-on", "replace,destroy"], capsys)

    assert code == 2
    assert len(err.splitlines()) == 1
    assert "unknown operation 'destroy'" in err


def test_max_chars_trims_the_comment_to_share_one_with_another_diff(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base = write_plan(tmp_path, "base.json", make_plan())
    many = [
        resource("aws:ec2/subnet:Subnet", f"subnet-{n:03d}", {"cidrBlock": f"10.0.{n}.0/24"})
        for n in range(300)
    ]
    head = write_plan(tmp_path, "head.json", make_plan(*many))
    code, whole, _ = run_cli(["diff", str(base), str(head)], capsys)
    assert code == 0
    limit = len(whole) // 2

    code, trimmed, err = run_cli(["diff", str(base), str(head), "--max-chars", str(limit)], capsys)

    assert code == 0, err
    assert 4_000 <= limit < len(whole)
    assert len(trimmed) <= limit
    assert trimmed.splitlines()[:4] == whole.splitlines()[:4]


def test_max_chars_too_small_for_the_summary_is_refused(
    plans: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run_cli(["diff", str(plans[0]), str(plans[1]), "--max-chars", "500"], capsys)

    assert code == 2
    assert (
        err
        == "primetradeai diff: error: --max-chars 500: give at least 4000 (the summary is never trimmed)\n"
    )
