"""The in-process run behaves like the analyzer: unknowns are not checked, stack policies see the graph."""

from __future__ import annotations

import gc
from pathlib import Path
from typing import Any

import pytest
from pulumi_policy import (
    EnforcementLevel,
    Policy,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
)

from infra.config.schema import PolicySuppression
from infra.policy import POLICIES
from infra.policy.suppressions import unwaived
from infra.toolkit.plan import Plan, Resource, load_plan
from infra.toolkit.policy import evaluate, run_policies
from infra.toolkit.policy.engine import evaluate_pair
from tests.infra.policy.policy_plans import REPLICATION_GROUP, TAGS, make_plan, redis_inputs, resource


def test_every_policy_has_an_explicit_enforcement_level_and_a_unique_name() -> None:
    names = [p.name for p in POLICIES]
    assert len(names) == len(set(names)) == 19
    assert {p.enforcement_level.value for p in POLICIES if p.enforcement_level} == {"mandatory", "advisory"}
    assert all(p.enforcement_level is not None for p in POLICIES)


def test_a_value_unknown_until_apply_is_reported_as_not_checked_not_as_passing() -> None:
    plan = make_plan(
        resource(REPLICATION_GROUP, "redis", redis_inputs(atRestEncryptionEnabled="[unknown]"), protect=True)
    )
    report = run_policies(plan)
    assert [(n.policy, n.reason) for n in report.not_checked] == [
        ("elasticache-encryption", "string value at .atRestEncryptionEnabled can't be known during preview")
    ]
    assert not [v for v in report.violations if v.policy == "elasticache-encryption"]


def test_every_policy_that_reads_an_unknown_value_reports_it_as_not_checked() -> None:
    def reads_engine(args: ResourceValidationArgs, report: ReportViolation) -> None:
        if args.props.get("engine") != "redis":
            report("not redis", None)

    policies: list[Policy] = [
        ResourceValidationPolicy(
            name=name,
            description="reads engine",
            enforcement_level=EnforcementLevel.MANDATORY,
            validate=reads_engine,
        )
        for name in ("first-reader", "second-reader")
    ]
    plan = make_plan(resource(REPLICATION_GROUP, "redis", redis_inputs(engine="[unknown]")))
    report = run_policies(plan, policies)
    assert [n.policy for n in report.not_checked] == ["first-reader", "second-reader"]
    assert report.violations == ()


def test_a_compliant_prod_cache_passes_the_whole_pack() -> None:
    report = run_policies(make_plan(resource(REPLICATION_GROUP, "redis", redis_inputs(), protect=True)))
    assert report.violations == ()
    assert report.passed


def test_mandatory_and_advisory_are_told_apart() -> None:
    report = run_policies(
        make_plan(resource(REPLICATION_GROUP, "redis", redis_inputs(tags=None), protect=True))
    )
    assert report.passed
    assert [v.policy for v in report.advisory] == ["required-aws-tags"]
    assert evaluate(
        make_plan(resource(REPLICATION_GROUP, "redis", redis_inputs(tags=None), protect=True))
    ) == list(report.violations)


def test_a_policy_that_declares_itself_not_applicable_reports_nothing() -> None:
    def skip(args: ResourceValidationArgs, report: ReportViolation) -> None:
        args.not_applicable("only checked under the engine")
        report("unreachable", None)

    policy = ResourceValidationPolicy(
        name="skips", description="never applies", enforcement_level=EnforcementLevel.MANDATORY, validate=skip
    )
    report = run_policies(make_plan(resource(REPLICATION_GROUP, "redis", redis_inputs())), [policy])

    assert (report.policies, report.violations, report.not_checked) == (("skips",), (), ())
    assert report.passed


def test_a_run_leaves_the_garbage_collector_as_it_found_it_even_when_a_policy_fails() -> None:
    def fails(args: ResourceValidationArgs, report: ReportViolation) -> None:
        raise RuntimeError("policy bug")

    broken: list[Policy] = [
        ResourceValidationPolicy(
            name="broken", description="raises", enforcement_level=EnforcementLevel.MANDATORY, validate=fails
        )
    ]
    plan = make_plan(resource(REPLICATION_GROUP, "redis", redis_inputs()))
    run_policies(plan)
    assert gc.isenabled()
    with pytest.raises(RuntimeError, match="policy bug"):
        run_policies(plan, broken)
    assert gc.isenabled()
    gc.disable()
    try:
        run_policies(plan)
        assert not gc.isenabled()
    finally:
        gc.enable()


UNCHANGED = Path(__file__).parents[1] / "commands" / "unchanged"


def _with_provider(plan: Plan, provider: dict[str, Any]) -> Plan:
    """`plan` plus this AWS provider and an untagged VPC that uses it."""
    provider_ref = f"{provider['urn']}::0a1b"
    vpc = resource("aws:ec2/vpc:Vpc", "vpc", {"cidrBlock": "10.0.0.0/16"}, provider=provider_ref)
    added = (Resource.model_validate(provider), Resource.model_validate(vpc))
    return plan.model_copy(update={"resources": tuple(sorted((*plan.resources, *added), key=_urn))})


def _urn(resource: Resource) -> str:
    return resource.urn


def _pairs() -> dict[str, tuple[Plan, Plan]]:
    prod = load_plan(UNCHANGED / "prod.json")
    tagged = resource("pulumi:providers:aws", "aws", {"region": "us-east-1", "defaultTags": {"tags": TAGS}})
    untagged = resource("pulumi:providers:aws", "aws", {"region": "us-east-1"})
    redis = next(r for r in prod.resources if r.type == REPLICATION_GROUP)
    unencrypted = redis.model_copy(update={"inputs": {**redis.inputs, "atRestEncryptionEnabled": False}})
    return {
        "synthetic": (
            load_plan(UNCHANGED / "synthetic-base.json"),
            load_plan(UNCHANGED / "synthetic-head.json"),
        ),
        "provider-tags-dropped": (_with_provider(prod, tagged), _with_provider(prod, untagged)),
        "one-input-changed": (
            prod,
            prod.model_copy(
                update={"resources": tuple(unencrypted if r.urn == redis.urn else r for r in prod.resources)}
            ),
        ),
        "reversed": (load_plan(UNCHANGED / "synthetic-head.json"), load_plan(UNCHANGED / "prod.json")),
    }


@pytest.mark.parametrize("case", sorted(_pairs()))
def test_a_pair_gets_the_findings_of_two_separate_runs(case: str) -> None:
    base, head = _pairs()[case]

    paired = evaluate_pair(base, head)

    assert paired == (evaluate(base), evaluate(head))
    if case != "reversed":
        assert paired[0] != paired[1]  # the pair differs where a resource or its provider does


def test_the_engine_runs_each_rule_unwrapped_and_still_waives_what_a_suppression_names() -> None:
    inner = [unwaived(policy) for policy in POLICIES]
    pairs = zip(inner, POLICIES, strict=True)
    assert all(rule is not policy and rule.name == policy.name for rule, policy in pairs)
    assert [unwaived(rule) for rule in inner] == inner  # a rule that is no wrapper is itself

    plan = make_plan(resource(REPLICATION_GROUP, "redis", redis_inputs(atRestEncryptionEnabled=False)))
    waiver = PolicySuppression(policy="elasticache-encryption", resource="redis", reason="a test cache")
    report = run_policies(plan, suppressions=(waiver,))
    assert [w.violation.policy for w in report.waived] == ["elasticache-encryption"]
    assert "elasticache-encryption" not in {v.policy for v in report.violations}
