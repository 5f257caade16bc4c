"""The in-process run behaves like the analyzer: unknowns are not checked, stack policies see the graph."""

from __future__ import annotations

import gc

import pytest
from pulumi_policy import (
    EnforcementLevel,
    Policy,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
)

from infra.policy import POLICIES
from infra.toolkit.policy import evaluate, run_policies
from tests.infra.policy.policy_plans import REPLICATION_GROUP, make_plan, redis_inputs, resource


def test_every_policy_has_an_explicit_enforcement_level_and_a_unique_name() -> None:
    names = [p.name for p in POLICIES]
    assert len(names) == len(set(names)) == 18
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
