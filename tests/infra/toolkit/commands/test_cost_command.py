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
