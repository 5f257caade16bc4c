"""`primetradeai cost`: text, JSON and Markdown reports; bad input is one line and exit 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from infra.toolkit.cli import main
from infra.toolkit.plan import dump_plan
from tests.infra.toolkit.cost.cost_plans import guide_like_stack, make_plan, resource

PLANTED = "planted-Secret-value-7f3a"
CAPTURES = Path(__file__).resolve().parents[1] / "captures"


@pytest.fixture
def plan_file(tmp_path: Path) -> Path:
    path = tmp_path / "prod.json"
    extra = resource(
        "aws:ec2/instance:Instance", "bastion", {"instanceType": "t3.micro", "userData": PLANTED}
    )
    path.write_text(dump_plan(make_plan(*guide_like_stack(), extra)), encoding="utf-8")
    return path


def test_text_report_shows_the_total_the_unpriced_and_the_guide(
    plan_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["cost", "--plan", str(plan_file)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Monthly cost estimate for stack prod: $299.96\n")
    assert "aws:ec2/instance:Instance::bastion: no price rule for this type" in out
    assert "$227.00" in out


def test_json_report_carries_lines_total_unpriced_and_assumptions(
    plan_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["cost", "--plan", str(plan_file), "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["monthlyTotal"] == 299.96
    assert round(sum(r["monthly"] for r in report["resources"]), 2) == pytest.approx(299.96, abs=0.01)
    assert [u["name"] for u in report["unpriced"]] == ["bastion"]
    assert report["assumptions"]["hoursPerMonth"] == 730
    assert report["guide"]["total"] == 227.0


def test_markdown_report_is_a_table_with_the_unpriced_called_out(
    plan_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["cost", "--plan", str(plan_file), "--format", "markdown"]) == 0
    out = capsys.readouterr().out
    assert "| **total** | | **$227.00** | **$299.96** |" in out
    assert "**1 unpriced (not in the total)**" in out


@pytest.mark.parametrize("fmt", ["text", "json", "markdown"])
def test_input_values_never_reach_the_report(
    plan_file: Path, capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    assert main(["cost", "--plan", str(plan_file), "--format", fmt]) == 0
    assert PLANTED not in capsys.readouterr().out


@pytest.mark.parametrize("capture", sorted(CAPTURES.glob("*.json")), ids=lambda path: path.stem)
def test_a_real_preview_given_as_a_plan_is_named_as_such_in_one_line_with_exit_two(
    capsys: pytest.CaptureFixture[str], capture: Path
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["cost", "--plan", str(capture)])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith(
        f"primetradeai cost: error: {capture}: a `pulumi preview --json` document, not a plan"
    )
    assert len(err.strip().splitlines()) == 1


def test_stack_is_previewed_offline_and_its_planted_secret_never_printed(
    project_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.infra.toolkit.conftest import PLANTED_SECRET

    assert main(["cost", "--stack", "prod", "--project-dir", str(project_dir), "--format", "markdown"]) == 0
    captured = capsys.readouterr()
    assert captured.out.startswith("### Monthly cost estimate: `prod`")
    assert PLANTED_SECRET not in captured.out + captured.err


def _usage(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "usage.yml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_usage_file_prices_nat_processing_egress_and_requests(
    plan_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    usage = _usage(
        tmp_path, "nat-gateway-processing: 500\ninternet-egress: 100\nsecrets-manager-api-calls: 200000\n"
    )

    assert main(["cost", "--plan", str(plan_file), "--usage", str(usage), "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    lines = {r["name"]: r["monthly"] for r in report["resources"] if r["type"] == "usage"}

    # 500 GB x $0.045 + 100 GB x $0.09 + 20 x $0.05 per 10,000 calls, on top of the resources' $299.96
    assert lines == {"nat-gateway-processing": 22.5, "internet-egress": 9.0, "secrets-manager-api-calls": 1.0}
    assert report["monthlyTotal"] == pytest.approx(299.96 + 32.5)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("nat-gateway-processing: lots\n", "nat-gateway-processing: must be a number of GB per month"),
        (
            "nat-gateway-processing: -5\n",
            "nat-gateway-processing: must be a number of GB per month, 0 or more",
        ),
        ("nat-traffic: 5\n", "nat-traffic: unknown usage (known: application-load-balancer-lcu,"),
    ],
)
def test_a_bad_usage_file_is_one_line_naming_the_key(
    plan_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, problem: str
) -> None:
    usage = _usage(tmp_path, text)

    with pytest.raises(SystemExit) as exited:
        main(["cost", "--plan", str(plan_file), "--usage", str(usage)])

    err = capsys.readouterr().err
    assert exited.value.code == 2
    assert err.startswith(f"primetradeai cost: error: {usage}: {problem}")
    assert len(err.splitlines()) == 1


def test_fail_above_an_absolute_limit_exits_1_after_the_report(
    plan_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    above = main(["cost", "--plan", str(plan_file), "--fail-above", "250"])
    captured = capsys.readouterr()
    below = main(["cost", "--plan", str(plan_file), "--fail-above", "$300"])

    assert above == 1
    assert captured.out.startswith("Monthly cost estimate for stack prod: $299.96")
    assert captured.err == "primetradeai cost: --fail-above 250: $299.96 a month is above $250.00\n"
    assert below == 0


def test_fail_above_a_percentage_compares_with_the_base_plan(
    plan_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base = tmp_path / "base.json"
    # The base has no NAT gateway: the head's $32.85 a month for it is a 12% increase.
    without_nat = [r for r in guide_like_stack() if r["type"] != "aws:ec2/natGateway:NatGateway"]
    base.write_text(dump_plan(make_plan(*without_nat)), encoding="utf-8")
    usage = _usage(tmp_path, "internet-egress: 1000\n")  # $90 more than the same plan without it

    same = main(["cost", "--plan", str(plan_file), "--base", str(plan_file), "--fail-above", "0%"])
    more = main(
        [
            "cost",
            "--plan",
            str(plan_file),
            "--base",
            str(plan_file),
            "--usage",
            str(usage),
            "--fail-above",
            "10%",
        ]
    )
    err = capsys.readouterr().err

    assert same == 0
    assert more == 0  # the usage file applies to the base as well: no increase
    assert err == ""
    grown = main(["cost", "--plan", str(plan_file), "--base", str(base), "--fail-above", "5%"])
    assert grown == 1
    assert "12.3% above the base's $267.11" in capsys.readouterr().err


def test_a_percentage_without_a_base_is_one_line_and_exit_2(
    plan_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["cost", "--plan", str(plan_file), "--fail-above", "10%"])

    assert exited.value.code == 2
    assert capsys.readouterr().err == (
        "primetradeai cost: error: --fail-above 10% is a percentage: give --base PLAN to compare with\n"
    )


@pytest.mark.parametrize("command", ["policy", "cost"])
def test_policy_and_cost_default_to_the_stack_preview_defaults_to(
    project_dir: Path, capsys: pytest.CaptureFixture[str], command: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(project_dir)

    code = main([command, "--format", "json"])
    report = json.loads(capsys.readouterr().out)

    assert code in (0, 1)  # policy exits 1 on the sample's mandatory violations
    assert report["stack"] == "prod"


def test_progress_plain_reports_the_preview_cost_runs_on_stderr_only(
    project_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["cost", "--stack", "prod", "--project-dir", str(project_dir), "--format", "markdown"]

    main(args)
    silent = capsys.readouterr()
    main([*args, "--progress", "plain"])
    plain = capsys.readouterr()

    assert silent.err == ""
    assert plain.err.startswith("prod: running the program — ")
    assert len(plain.err.splitlines()) == 2
    assert plain.out == silent.out


def test_a_base_of_another_stack_compares_totals_so_equal_prices_under_other_urns_are_no_rise(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The committed prod plan, and the same plan as a stack named staging: every URN and name differs.
    prod = Path(__file__).parent / "unchanged" / "prod.json"
    staging = tmp_path / "staging.json"
    staging.write_text(prod.read_text(encoding="utf-8").replace("prod", "staging"), encoding="utf-8")

    alone = main(["cost", "--plan", str(prod), "--quiet", "--format", "markdown"])
    report = capsys.readouterr().out
    base = ["--base", str(staging), "--fail-above", "0%"]
    against = main(["cost", "--plan", str(prod), *base, "--quiet", "--format", "markdown"])
    captured = capsys.readouterr()

    assert "urn:pulumi:staging::" in staging.read_text(encoding="utf-8")
    assert alone == against == 0  # no resource counted as removed from the base and added to the head
    assert captured.out == report  # the base sets only the percentage's reference total
    assert captured.err == ""
