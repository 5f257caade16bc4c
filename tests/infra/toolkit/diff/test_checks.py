"""The cost check of a diff: its lines keyed as the resource diff pairs resources, not by raw URN."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from infra.toolkit.diff.checks import CostDelta, cost_delta
from infra.toolkit.diff.compare import Match, compare
from infra.toolkit.diff.cost_adapter import monthly_costs
from infra.toolkit.diff.sources import side_from_plan
from infra.toolkit.plan import Plan
from tests.infra.toolkit.commands.cli_run import run_cli
from tests.infra.toolkit.plans import make_plan, resource, urn, write_plan

REDIS = "aws:elasticache/replicationGroup:ReplicationGroup"
NAT = "aws:ec2/natGateway:NatGateway"


def _staging_and_prod() -> tuple[Plan, Plan]:
    staging = make_plan(
        resource(
            REDIS, "staging-redis", {"nodeType": "cache.t4g.small", "numCacheClusters": 2}, stack="staging"
        ),
        resource(NAT, "staging-nat", {}, stack="staging"),
        stack="staging",
    )
    prod = make_plan(
        resource(REDIS, "prod-redis", {"nodeType": "cache.r7g.large", "numCacheClusters": 3}),
        resource(NAT, "prod-nat", {}),
    )
    return staging, prod


def _delta(base: Plan, head: Plan, match: Match | None = None) -> CostDelta:
    base_side, head_side = side_from_plan(base, "base.json"), side_from_plan(head, "head.json")
    delta = cost_delta(base_side, head_side, compare(base_side, head_side, match).paired)
    assert isinstance(delta, CostDelta)
    return delta


def test_a_resource_in_both_stacks_with_another_price_is_one_line_with_both_costs() -> None:
    staging, prod = _staging_and_prod()
    before, after = monthly_costs(staging), monthly_costs(prod)
    staging_redis, prod_redis = urn(REDIS, "staging-redis", "staging"), urn(REDIS, "prod-redis")

    delta = _delta(staging, prod)

    assert before.per_resource[staging_redis] != after.per_resource[prod_redis]
    assert [(line.urn, line.base, line.head) for line in delta.lines] == [
        (prod_redis, before.per_resource[staging_redis], after.per_resource[prod_redis])
    ]  # the NAT gateway costs the same in both stacks: no line
    assert (delta.base_total, delta.head_total) == (before.total, after.total)


def test_matching_by_urn_keeps_each_stacks_resources_apart() -> None:
    staging, prod = _staging_and_prod()

    delta = _delta(staging, prod, "urn")

    assert {(line.urn, line.base is None, line.head is None) for line in delta.lines} == {
        (urn(REDIS, "staging-redis", "staging"), False, True),
        (urn(NAT, "staging-nat", "staging"), False, True),
        (urn(REDIS, "prod-redis"), True, False),
        (urn(NAT, "prod-nat"), True, False),
    }


def test_a_resource_renamed_by_an_alias_is_one_line_under_its_new_urn() -> None:
    old_urn = urn(REDIS, "cache")
    base = make_plan(resource(REDIS, "cache", {"nodeType": "cache.t4g.small", "numCacheClusters": 1}))
    head = make_plan(
        resource(REDIS, "redis", {"nodeType": "cache.t4g.medium", "numCacheClusters": 1}, aliases=(old_urn,))
    )

    delta = _delta(base, head)

    assert [(line.urn, line.base is not None, line.head is not None) for line in delta.lines] == [
        (urn(REDIS, "redis"), True, True)
    ]


@pytest.mark.parametrize(("match", "lines"), [([], 1), (["--match", "urn"], 4)])
def test_the_json_report_of_two_stacks_has_one_cost_line_per_paired_resource(
    match: list[str], lines: int, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    staging, prod = _staging_and_prod()
    base, head = write_plan(tmp_path, "staging.json", staging), write_plan(tmp_path, "prod.json", prod)

    code, out, err = run_cli(["diff", str(base), str(head), "--format", "json", *match], capsys)
    cost = json.loads(out)["cost"]

    assert code == 0, err
    assert len(cost["changes"]) == lines
    assert (cost["baseTotal"], cost["headTotal"]) == (
        round(monthly_costs(staging).total, 2),
        round(monthly_costs(prod).total, 2),
    )


@pytest.mark.parametrize(("match", "all_new"), [(None, False), ("urn", True)])
def test_policy_findings_follow_the_same_pairing(match: Match | None, all_new: bool) -> None:
    from infra.toolkit.diff.checks import PolicyDelta, policy_delta

    staging, prod = _staging_and_prod()
    base_side, head_side = side_from_plan(staging, "s"), side_from_plan(prod, "p")

    delta = policy_delta(base_side, head_side, compare(base_side, head_side, match).paired)

    # By logical path a staging finding of the same resource is the prod one; by URN none is.
    assert isinstance(delta, PolicyDelta)
    assert delta.head_total > 0
    assert (len(delta.new) == delta.head_total) is all_new
    assert (delta.fixed == 0) is not all_new
