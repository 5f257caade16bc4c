"""`primetradeai policy`: text and JSON reports, exit 0/1 on the mandatory verdict, 2 on bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from infra.toolkit.cli import main
from infra.toolkit.plan import dump_plan
from tests.infra.policy.policy_plans import REPLICATION_GROUP, make_plan, redis_inputs, resource

PLANTED = "planted-Secret-value-7f3a"


def _write(tmp_path: Path, *resources: dict[str, object]) -> Path:
    path = tmp_path / "plan.json"
    path.write_text(dump_plan(make_plan(*resources)), encoding="utf-8")
    return path


def test_a_compliant_plan_exits_zero_with_a_passing_text_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plan = _write(tmp_path, resource(REPLICATION_GROUP, "redis", redis_inputs(), protect=True))
    assert main(["policy", "--plan", str(plan)]) == 0
    out = capsys.readouterr().out
    assert "stack prod: 17 policies, 1 resources" in out
    assert out.rstrip().endswith("PASSED: 0 mandatory, 0 advisory violation(s), 0 not checked.")


def test_a_mandatory_violation_exits_one_and_is_listed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plan = _write(
        tmp_path,
        resource(REPLICATION_GROUP, "redis", redis_inputs(transitEncryptionEnabled=False), protect=True),
    )
    assert main(["policy", "--plan", str(plan)]) == 1
    out = capsys.readouterr().out
    assert "mandatory  elasticache-encryption" in out
    assert "FAILED: 1 mandatory" in out


def test_advisory_violations_alone_exit_zero(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plan = _write(tmp_path, resource(REPLICATION_GROUP, "redis", redis_inputs(tags=None), protect=True))
    assert main(["policy", "--plan", str(plan), "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["passed"] is True
    assert report["summary"] == {
        "policies": 17,
        "resources": 1,
        "mandatory": 0,
        "advisory": 1,
        "notChecked": 0,
    }
    assert [v["policy"] for v in report["violations"]] == ["required-aws-tags"]


def test_json_report_names_policy_enforcement_urn_and_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plan = _write(
        tmp_path, resource(REPLICATION_GROUP, "redis", redis_inputs(multiAzEnabled=False), protect=True)
    )
    assert main(["policy", "--plan", str(plan), "--format", "json"]) == 1
    (violation,) = json.loads(capsys.readouterr().out)["violations"]
    assert violation == {
        "policy": "elasticache-high-availability",
        "enforcement": "mandatory",
        "urn": f"urn:pulumi:prod::primetradeai::{REPLICATION_GROUP}::redis",
        "message": "multiAzEnabled must be true (off by default in pulumi-aws 7)",
    }


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_a_planted_plaintext_secret_fails_the_gate_and_never_reaches_the_output(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    plan = _write(
        tmp_path, resource(REPLICATION_GROUP, "redis", redis_inputs(authToken=PLANTED), protect=True)
    )
    assert main(["policy", "--plan", str(plan), "--format", fmt]) == 1
    captured = capsys.readouterr()
    assert "no-plaintext-secrets" in captured.out
    assert PLANTED not in captured.out + captured.err


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (None, "no such file"),
        ("{not json", "not JSON"),
        ('{"resources": []}', "not a plan"),
        ('{"steps": []}', "a `pulumi preview --json` document, not a plan"),
    ],
)
def test_bad_input_is_one_line_and_exit_two(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str | None, expected: str
) -> None:
    path = tmp_path / "input.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(SystemExit) as exit_info:
        main(["policy", "--plan", str(path)])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert expected in err
    assert len(err.strip().splitlines()) == 1


def test_stack_and_plan_are_mutually_exclusive(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["policy", "--stack", "prod", "--plan", str(tmp_path / "p.json")])
    assert exit_info.value.code == 2
    assert len(capsys.readouterr().err.strip().splitlines()) == 1


def test_stack_is_previewed_offline_and_its_planted_secret_never_printed(
    project_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.infra.toolkit.conftest import PLANTED_SECRET

    code = main(["policy", "--stack", "prod", "--project-dir", str(project_dir), "--format", "json"])
    captured = capsys.readouterr()
    report = json.loads(captured.out)
    assert report["stack"] == "prod"
    assert report["summary"]["resources"] > 0
    assert code == (0 if report["passed"] else 1)
    assert PLANTED_SECRET not in captured.out + captured.err


def test_an_unknown_stack_is_one_line_and_exit_two(
    project_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["policy", "--stack", "nosuchstack", "--project-dir", str(project_dir)])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("primetradeai policy: error:")
    assert len(err.strip().splitlines()) == 1
