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
    assert "stack prod: 19 policies, 1 resources" in out
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
    (row,) = [line for line in out.splitlines() if line.startswith("mandatory")]
    assert row.split()[:3] == ["mandatory", "elasticache-encryption", "redis"]
    assert "FAILED: 1 mandatory" in out


def test_advisory_violations_alone_exit_zero(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plan = _write(tmp_path, resource(REPLICATION_GROUP, "redis", redis_inputs(tags=None), protect=True))
    assert main(["policy", "--plan", str(plan), "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["passed"] is True
    assert report["summary"] == {
        "policies": 19,
        "resources": 1,
        "mandatory": 0,
        "advisory": 1,
        "notChecked": 0,
        "waived": 0,
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


def _pack_config(tmp_path: Path, suppressions: list[dict[str, str]]) -> Path:
    path = tmp_path / "policy-pack-config.json"
    path.write_text(json.dumps({"elasticache-encryption": {"suppressions": suppressions}}), encoding="utf-8")
    return path


def test_a_suppression_with_a_reason_waives_one_resource_and_the_report_still_shows_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plaintext = redis_inputs(transitEncryptionEnabled=False)
    plan = _write(
        tmp_path,
        resource(REPLICATION_GROUP, "redis", plaintext, protect=True),
        resource(REPLICATION_GROUP, "sessions", plaintext, protect=True),
    )
    config = _pack_config(tmp_path, [{"resource": "redis", "reason": "TLS terminates at the sidecar"}])

    code = main(["policy", "--plan", str(plan), "--policy-config", str(config), "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    text_code = main(["policy", "--plan", str(plan), "--policy-config", str(config)])
    text = capsys.readouterr().out

    assert code == text_code == 1  # `sessions` is not waived
    assert [v["urn"].rsplit("::", 1)[-1] for v in report["violations"]] == ["sessions"]
    (waived,) = report["waived"]
    assert (waived["policy"], waived["urn"].rsplit("::", 1)[-1]) == ("elasticache-encryption", "redis")
    assert waived["reason"] == "TLS terminates at the sidecar"
    assert "Waived by a suppression (listed, not counted):" in text
    waived_rows = text.split("Waived by a suppression (listed, not counted):")[1]
    assert "TLS terminates at the sidecar" in waived_rows
    assert text.rstrip().endswith("1 waived.")


def test_a_suppression_without_a_reason_is_refused_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plan = _write(tmp_path, resource(REPLICATION_GROUP, "redis", redis_inputs(), protect=True))
    config = _pack_config(tmp_path, [{"resource": "redis"}])

    with pytest.raises(SystemExit) as exited:
        main(["policy", "--plan", str(plan), "--policy-config", str(config)])

    assert exited.value.code == 2
    assert capsys.readouterr().err == (
        f"primetradeai policy: error: {config}: suppressions[0].reason: Field required\n"
    )


def test_a_suppression_of_an_unknown_policy_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plan = _write(tmp_path, resource(REPLICATION_GROUP, "redis", redis_inputs(), protect=True))
    config = tmp_path / "config.json"
    config.write_text(json.dumps({"no-such-policy": {"suppressions": [{"resource": "r", "reason": "x"}]}}))

    with pytest.raises(SystemExit) as exited:
        main(["policy", "--plan", str(plan), "--policy-config", str(config)])

    assert exited.value.code == 2
    assert "suppressions[0].policy: no policy named 'no-such-policy' in the pack" in capsys.readouterr().err


def _with_suppressions(tmp_path: Path, suppressions: list[dict[str, str]]) -> Path:
    import yaml

    from tests.infra.toolkit.conftest import write_project

    project = write_project(tmp_path / "project")
    stack_file = project / "Pulumi.prod.yaml"
    document = yaml.safe_load(stack_file.read_text(encoding="utf-8"))
    document["config"]["primetradeai:policySuppressions"] = suppressions
    stack_file.write_text(yaml.safe_dump(document), encoding="utf-8")
    return project


def test_stack_config_suppressions_are_waived_and_written_for_the_pack(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    reason = "the subnet group takes its tags from the VPC module"
    project = _with_suppressions(
        tmp_path, [{"policy": "required-aws-tags", "resource": "prod-redis-subnets", "reason": reason}]
    )
    pack_config = tmp_path / "pack-config.json"

    main(["policy", "--stack", "prod", "--project-dir", str(project), "--format", "json",
          "--write-pack-config", str(pack_config)])  # fmt: skip
    report = json.loads(capsys.readouterr().out)

    assert [(w["urn"].rsplit("::", 1)[-1], w["reason"]) for w in report["waived"]] == [
        ("prod-redis-subnets", reason)
    ]
    assert "prod-redis-subnets" not in {v["urn"].rsplit("::", 1)[-1] for v in report["violations"]}
    assert json.loads(pack_config.read_text(encoding="utf-8")) == {
        "required-aws-tags": {"suppressions": [{"resource": "prod-redis-subnets", "reason": reason}]}
    }


def test_a_stack_config_suppression_without_a_reason_names_the_file_and_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = _with_suppressions(tmp_path, [{"policy": "required-aws-tags", "resource": "prod-redis"}])

    with pytest.raises(SystemExit) as exited:
        main(["policy", "--stack", "prod", "--project-dir", str(project)])

    assert exited.value.code == 2
    key = "primetradeai:policySuppressions[0].reason"
    assert capsys.readouterr().err == f"primetradeai policy: error: Pulumi.prod.yaml: {key}: Field required\n"


def test_long_names_stay_in_their_columns_and_markdown_is_a_table(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    long_name = "a-cache-with-a-name-much-longer-than-any-column-would-allow-" * 2
    plan = _write(
        tmp_path,
        resource(REPLICATION_GROUP, long_name, redis_inputs(transitEncryptionEnabled=False), protect=True),
        resource(REPLICATION_GROUP, "redis", redis_inputs(transitEncryptionEnabled=False), protect=True),
    )

    main(["policy", "--plan", str(plan)])
    text = capsys.readouterr().out
    main(["policy", "--plan", str(plan), "--format", "markdown"])
    markdown = capsys.readouterr().out

    header = next(line for line in text.splitlines() if line.startswith("level"))
    message_column = header.index("message")
    rows = [line for line in text.splitlines() if line.startswith("mandatory")]
    assert len(rows) == 2
    assert all(row[message_column:].startswith("transitEncryptionEnabled") for row in rows)
    assert "| level | policy | resource | message |" in markdown
    assert markdown.count("| mandatory | <code>elasticache-encryption</code> |") == 2


def test_the_preview_policy_runs_reports_its_phases_in_ci_and_nothing_with_quiet(
    project_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CI", "true")
    args = ["policy", "--stack", "prod", "--project-dir", str(project_dir), "--format", "json"]

    main(args)
    in_ci = capsys.readouterr()
    main([*args, "--quiet"])
    quiet = capsys.readouterr()

    assert [line.split(" — ")[0] for line in in_ci.err.splitlines()] == [
        "prod: running the program",
        "prod: building the plan and rendering charts",
    ]
    assert quiet.err == ""
    assert in_ci.out == quiet.out
