"""The real dev, staging and prod stacks, previewed offline, pass the policy pack and are fully priced,
and no generated password or secret config value reaches either report."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from infra.harness import mocks
from infra.toolkit.cost import estimate
from infra.toolkit.cost import render as cost_render
from infra.toolkit.plan import Plan, Resource
from infra.toolkit.policy import render as policy_render
from infra.toolkit.policy import run_policies
from infra.toolkit.preview.run import preview_stack

REPOSITORY = Path(__file__).resolve().parents[4]
STACKS = ("dev", "staging", "prod")
PLANTED = "Planted-Policy-Cost-Password-6b2f0e"
PASSWORD = "random:index/randomPassword:RandomPassword"
SECURE_CONFIG_PLACEHOLDER = "offline-placeholder-for-"
"""What the preview harness gives the program for each `secure:` value of a stack file."""

pytestmark = pytest.mark.slow


class _Plans(dict[str, Plan]):
    """Each stack previewed once, when a test first asks for it (a broken stack fails only its own tests)."""

    def __missing__(self, stack: str) -> Plan:
        plan = preview_stack(stack, project_dir=REPOSITORY).plan
        self[stack] = plan
        return plan


@pytest.fixture(scope="module")
def plans() -> Iterator[dict[str, Plan]]:
    """Every generated password is the planted text, so it flows wherever the program sends one."""

    def planted(name: str, inputs: dict[str, Any]) -> dict[str, Any]:
        return {"result": PLANTED, "bcryptHash": "$2a$10$planted"}

    with pytest.MonkeyPatch.context() as patch:
        patch.setitem(mocks._OUTPUTS, PASSWORD, planted)
        yield _Plans()


@pytest.mark.parametrize("stack", STACKS)
def test_the_stack_has_no_mandatory_violation(plans: dict[str, Plan], stack: str) -> None:
    report = run_policies(plans[stack])
    assert report.resources > 50
    assert [(v.policy, v.urn, v.message) for v in report.mandatory] == []


@pytest.mark.parametrize("stack", STACKS)
def test_every_resource_type_of_the_stack_is_priced_or_explained(plans: dict[str, Plan], stack: str) -> None:
    report = estimate(plans[stack])
    assert report.total_usd > 0
    assert [(u.type, u.reason) for u in report.unpriced if u.reason == "no price rule for this type"] == []


def test_prod_costs_more_than_staging_which_costs_more_than_dev(plans: dict[str, Plan]) -> None:
    dev, staging, prod = (estimate(plans[stack]).total_usd for stack in STACKS)
    assert dev < staging < prod


@pytest.mark.parametrize("stack", STACKS)
def test_no_planted_password_or_secret_config_reaches_a_policy_or_cost_report(
    plans: dict[str, Plan], stack: str
) -> None:
    policy, cost = run_policies(plans[stack]), estimate(plans[stack])
    reports = {
        "policy text": policy_render.render_text(policy),
        "policy json": policy_render.render_json(policy),
        "cost text": cost_render.render_text(cost),
        "cost json": cost_render.render_json(cost),
        "cost markdown": cost_render.render_markdown(cost),
    }

    assert any(r.type == PASSWORD for r in plans[stack].resources)
    for name, text in reports.items():
        assert PLANTED not in text, name
        assert SECURE_CONFIG_PLACEHOLDER not in text, name


def _eks_cluster(plan: Plan) -> Resource:
    (cluster,) = (r for r in plan.resources if r.type == "aws:eks/cluster:Cluster")
    return cluster


def test_prod_kubernetes_api_is_private_and_public_only_to_the_stack_file_blocks(
    plans: dict[str, Plan],
) -> None:
    vpc = _eks_cluster(plans["prod"]).inputs["vpcConfig"]
    assert isinstance(vpc, dict)
    assert (vpc["endpointPrivateAccess"], vpc["endpointPublicAccess"]) == (True, True)
    assert vpc["publicAccessCidrs"] == ["192.0.2.0/24", "198.51.100.0/24"]
    report = run_policies(plans["prod"])
    assert "prod-eks-endpoint-restricted" in report.policies
    assert [v for v in report.violations if "eks-endpoint" in v.policy] == []


@pytest.mark.parametrize(
    "planted", [{"publicAccessCidrs": ["192.0.2.0/24", "0.0.0.0/0"]}, {"publicAccessCidrs": []}]
)
def test_prod_plan_with_the_kubernetes_api_opened_to_everyone_fails_the_mandatory_policy(
    plans: dict[str, Plan], planted: dict[str, Any]
) -> None:
    plan = plans["prod"]
    cluster = _eks_cluster(plan)
    vpc = cluster.inputs["vpcConfig"]
    assert isinstance(vpc, dict)
    opened = cluster.model_copy(update={"inputs": {**cluster.inputs, "vpcConfig": {**vpc, **planted}}})
    resources = tuple(opened if r.urn == cluster.urn else r for r in plan.resources)
    report = run_policies(plan.model_copy(update={"resources": resources}))
    assert [(v.policy, v.urn) for v in report.mandatory] == [("prod-eks-endpoint-restricted", cluster.urn)]
