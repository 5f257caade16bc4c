"""The real dev, staging and prod stacks, previewed offline, pass the policy pack and are fully priced."""

from __future__ import annotations

from pathlib import Path

import pytest

from infra.toolkit.cost import estimate
from infra.toolkit.plan import Plan
from infra.toolkit.policy import run_policies
from infra.toolkit.preview_run import preview_stack

REPOSITORY = Path(__file__).resolve().parents[4]
STACKS = ("dev", "staging", "prod")

pytestmark = pytest.mark.slow


class _Plans(dict[str, Plan]):
    """Each stack previewed once, when a test first asks for it (a broken stack fails only its own tests)."""

    def __missing__(self, stack: str) -> Plan:
        plan = preview_stack(stack, project_dir=REPOSITORY).plan
        self[stack] = plan
        return plan


@pytest.fixture(scope="module")
def plans() -> dict[str, Plan]:
    return _Plans()


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
