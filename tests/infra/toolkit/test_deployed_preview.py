"""`preview --state`: the prod stack previewed against its own deployed state, then against edits of it.

The state is the prod stack as `pulumi up` would have left it, with ids, ARNs and endpoints other than
the mocks invent (tests/infra/toolkit/state/stack_to_state.py): a preview that did not read them from
the state would see every resource that uses one change.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from infra.harness import StackRun, run_stack
from infra.toolkit.deployed_preview import preview_against
from infra.toolkit.plan import UNKNOWN, Plan, dump_plan
from infra.toolkit.state import load_state
from tests.infra.toolkit.commands.cli_run import run_cli
from tests.infra.toolkit.conftest import REPOSITORY
from tests.infra.toolkit.state.stack_to_state import stack_to_state
from tests.infra.toolkit.state.state_docs import write_json
from tests.stacks.variants import scratch_project

# Each stack run imports the provider SDKs' modules, some of which warn about their own deprecations.
pytestmark = [pytest.mark.slow, pytest.mark.filterwarnings("ignore::DeprecationWarning")]
VPC_TYPE = "aws:ec2/vpc:Vpc"


@pytest.fixture(scope="module")
def prod_run() -> StackRun:
    """The prod stack run under the plain mocks, once."""
    return run_stack("prod", project_dir=REPOSITORY)


@pytest.fixture(scope="module")
def deployed(prod_run: StackRun) -> dict[str, Any]:
    """The prod stack's state, as an export with fabricated provider-assigned values."""
    return stack_to_state(prod_run)


def _resources(document: dict[str, Any], type_token: str) -> list[dict[str, Any]]:
    return [r for r in document["deployment"]["resources"] if r["type"] == type_token]


def _preview(state: Path, project_dir: Path = REPOSITORY) -> Plan:
    return preview_against("prod", project_dir=project_dir, state=load_state(str(state))).plan


def _diff(state: Path, plan: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    code, out, err = run_cli(["diff", str(state), str(plan), "--format", "json"], capsys)
    assert code == 0, err
    report: dict[str, Any] = json.loads(out)
    return report


def _cli_preview(state: Path, plan: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    args = ["preview", "--stack", "prod", "--state", str(state), "--out", str(plan)]
    return run_cli([*args, "--project-dir", str(REPOSITORY)], capsys)


def _steps(report: dict[str, Any]) -> list[tuple[str, str, str]]:
    return [(c["op"], c["type"], c["name"]) for c in report["changes"]]


def test_prod_previewed_against_its_own_state_changes_nothing(
    deployed: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    state = write_json(tmp_path / "prod-state.json", deployed)
    plan = tmp_path / "prod.json"

    code, out, err = _cli_preview(state, plan, capsys)

    assert code == 0, err
    assert f"primetradeai diff {state} {plan}" in " ".join(out.split())
    report = _diff(state, plan, capsys)
    assert _steps(report) == []
    assert report["counts"]["same"] > 80


def test_the_program_reads_the_ids_and_arns_the_state_holds(deployed: dict[str, Any], tmp_path: Path) -> None:
    state = write_json(tmp_path / "prod-state.json", deployed)
    (vpc,) = _resources(deployed, VPC_TYPE)
    mock_vpc_id = next(
        r.id for r in run_stack("prod", project_dir=REPOSITORY).resources if r.type == VPC_TYPE
    )

    plan = _preview(state)

    assert vpc["id"] != mock_vpc_id
    subnets = [r for r in plan.resources if r.type == "aws:ec2/subnet:Subnet"]
    assert {r.inputs["vpcId"] for r in subnets} == {vpc["id"]}
    group = next(r for r in plan.resources if r.type == "aws:elasticache/replicationGroup:ReplicationGroup")
    assert ":210987654321:" in str(group.inputs["kmsKeyId"])


def test_one_config_change_shows_exactly_its_step(
    deployed: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    state = write_json(tmp_path / "prod-state.json", deployed)

    def larger_cache(config: dict[str, Any]) -> None:
        config["primetradeai:cache"]["nodeType"] = "cache.t4g.medium"

    project = tmp_path / "project"
    project.mkdir()
    scratch_project(project, "prod", larger_cache, base="prod")
    plan = write_json(tmp_path / "prod.json", json.loads(_plan_json(_preview(state, project))))

    report = _diff(state, plan, capsys)

    assert _steps(report) == [("update", "aws:elasticache/replicationGroup:ReplicationGroup", "prod-redis")]
    assert report["changes"][0]["properties"] == [
        {
            "path": "nodeType",
            "kind": "update",
            "old": "cache.t4g.small",
            "new": "cache.t4g.medium",
            "forcesReplacement": False,
        }
    ]
    assert report["cost"]["delta"] > 0


def test_a_replaced_resource_gets_unknown_outputs_and_its_dependents_follow(
    deployed: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    drifted = copy.deepcopy(deployed)
    (vpc,) = _resources(drifted, VPC_TYPE)
    vpc["inputs"]["cidrBlock"] = "10.99.0.0/16"  # deployed with another range: the program's forces a new VPC
    state = write_json(tmp_path / "prod-state.json", drifted)

    plan = _preview(state)

    subnets = [r for r in plan.resources if r.type == "aws:ec2/subnet:Subnet"]
    assert {r.inputs["vpcId"] for r in subnets} == {UNKNOWN}
    report = _diff(state, write_json(tmp_path / "prod.json", json.loads(_plan_json(plan))), capsys)
    replaced = {(c["type"], c["name"]): c for c in report["changes"] if c["op"] == "replace"}
    assert replaced[(VPC_TYPE, "prod-vpc")]["replaceReasons"] == ["cidrBlock"]
    assert ("aws:ec2/subnet:Subnet", "prod-private-0") in replaced


def test_a_resource_found_by_its_alias_is_renamed_not_recreated(
    deployed: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    renamed = copy.deepcopy(deployed)
    (record,) = _resources(renamed, "cloudflare:index/dnsRecord:DnsRecord")
    (old_urn,) = record["aliases"]
    record.update(urn=old_urn, type="cloudflare:index/record:Record", aliases=[])
    state = write_json(tmp_path / "prod-state.json", renamed)

    plan = _preview(state)

    report = _diff(state, write_json(tmp_path / "prod.json", json.loads(_plan_json(plan))), capsys)
    dns = [c for c in report["changes"] if c["name"] == "prod-dns"]
    assert [(c["op"], c["renamedFrom"]) for c in dns] == [("update", old_urn)]


def test_resources_only_in_the_state_are_deletions_refused_when_protected(
    deployed: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    extra = copy.deepcopy(deployed)
    (vpc,) = _resources(extra, VPC_TYPE)
    stack = extra["deployment"]["resources"][0]["urn"]
    kept = {**vpc, "urn": vpc["urn"].replace("prod-vpc", "old-logs"), "type": VPC_TYPE, "protect": True}
    retained = {
        **vpc,
        "urn": vpc["urn"].replace("prod-vpc", "old-cache"),
        "retainOnDelete": True,
        "parent": stack,
    }
    extra["deployment"]["resources"] += [kept, retained]
    state = write_json(tmp_path / "prod-state.json", extra)
    plan = write_json(tmp_path / "prod.json", json.loads(_plan_json(_preview(state))))

    code, out, err = run_cli(["diff", str(state), str(plan)], capsys)

    assert code == 0, err
    rows = {line.split("|")[2].strip(): line for line in out.splitlines() if line.startswith("| **delete**")}
    assert "🔒" in rows["<code>old-logs</code>"]
    assert "protected: the engine refuses to delete it" in rows["<code>old-logs</code>"]
    assert "retainOnDelete keeps it in the cloud" in rows["<code>old-cache</code>"]


def test_no_secret_of_a_show_secrets_state_reaches_the_preview(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    document = stack_to_state(run_stack("prod", project_dir=REPOSITORY), secret_form="plaintext")
    plaintexts = {
        json.loads(value["plaintext"])
        for value in _secrets(document)
        if isinstance(json.loads(value["plaintext"]), str) and len(json.loads(value["plaintext"])) >= 8
    }
    assert plaintexts  # the state does reveal secrets: generated passwords, keys
    state = write_json(tmp_path / "prod-state.json", document)
    plan = tmp_path / "prod.json"

    code, out, err = _cli_preview(state, plan, capsys)
    _, diff_out, diff_err = run_cli(["diff", str(state), str(plan)], capsys)

    assert code == 0, err
    seen = "\n".join((out, err, plan.read_text(), diff_out, diff_err))
    leaked = sorted(text for text in plaintexts if text in seen)
    assert leaked == []


def _secrets(value: Any) -> list[dict[str, str]]:
    if isinstance(value, dict):
        if "plaintext" in value:
            return [value]
        return [found for item in value.values() for found in _secrets(item)]
    if isinstance(value, list):
        return [found for item in value for found in _secrets(item)]
    return []


def _plan_json(plan: Plan) -> str:
    return dump_plan(plan)
