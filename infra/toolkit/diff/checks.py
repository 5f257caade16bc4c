"""Policy and cost for a diff: new violations in the head, and the monthly cost delta.

Both read plans. When a side is a real preview document they do not apply, and the report says so
rather than showing an empty (and falsely reassuring) section.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from infra.toolkit.diff.model import Side
from infra.toolkit.plan import Plan


@dataclass(frozen=True)
class Unavailable:
    """Why a check did not run."""

    reason: str


@dataclass(frozen=True)
class Finding:
    """One policy violation."""

    policy: str
    enforcement: str
    urn: str
    message: str


@dataclass(frozen=True)
class PolicyDelta:
    """Violations the head has and the base does not, and how many the head fixes."""

    new: tuple[Finding, ...]
    fixed: int
    head_total: int

    @property
    def new_mandatory(self) -> tuple[Finding, ...]:
        """New violations that block `pulumi up` under the policy pack."""
        return tuple(f for f in self.new if f.enforcement == "mandatory")


@dataclass(frozen=True)
class CostLine:
    """One resource whose monthly estimate changes."""

    urn: str
    base: float | None
    head: float | None


@dataclass(frozen=True)
class CostDelta:
    """The monthly estimate of both sides in US dollars, and what is not priced."""

    base_total: float
    head_total: float
    lines: tuple[CostLine, ...]
    unpriced: tuple[str, ...]

    @property
    def delta(self) -> float:
        """Head minus base, per month."""
        return self.head_total - self.base_total


def _plans(base: Side, head: Side, what: str) -> tuple[Plan, Plan] | Unavailable:
    for side in (base, head):
        if side.plan is None:
            return Unavailable(
                f"{what} reads plans, and {side.label} is a `pulumi preview --json` document;"
                " run `primetradeai preview` for both sides to see it"
            )
    assert base.plan is not None
    assert head.plan is not None
    return base.plan, head.plan


def policy_delta(base: Side, head: Side, paired: Mapping[str, str]) -> PolicyDelta | Unavailable:
    """New policy violations of the head, or why they were not evaluated.

    A finding is the same one when its resource is: `paired` (the change set's `ChangeSet.paired` from
    `compare(base, head, ...)`, base URN -> head URN) renames the base's resources as the diff paired them.
    """
    plans = _plans(base, head, "policy")
    if isinstance(plans, Unavailable):
        return plans
    from infra.toolkit.policy.engine import Violation, evaluate_pair

    def findings(violations: list[Violation]) -> set[Finding]:
        return {Finding(v.policy, str(v.enforcement), v.urn, v.message) for v in violations}

    base_violations, head_violations = evaluate_pair(*plans)
    before, after = findings(base_violations), findings(head_violations)
    if paired:
        before = {Finding(f.policy, f.enforcement, paired.get(f.urn, f.urn), f.message) for f in before}
    new = sorted(after - before, key=lambda f: (f.enforcement != "mandatory", f.policy, f.urn, f.message))
    return PolicyDelta(new=tuple(new), fixed=len(before - after), head_total=len(after))


def cost_delta(base: Side, head: Side, paired: Mapping[str, str]) -> CostDelta | Unavailable:
    """The monthly cost of both sides, or why it was not estimated.

    One line per resource whose estimate differs, keyed as the diff keys its changes: a base resource
    `paired` with a head one (the change set's `ChangeSet.paired` from `compare(base, head, ...)`, base
    URN -> head URN) shares the head's URN, so it is one line with both costs rather than a removal and
    an addition.
    """
    plans = _plans(base, head, "cost")
    if isinstance(plans, Unavailable):
        return plans
    from infra.toolkit.diff.cost_adapter import monthly_costs

    before, after = monthly_costs(plans[0]), monthly_costs(plans[1])
    base_costs: dict[str, float] = {}
    for urn, monthly in before.per_resource.items():
        key = paired.get(urn, urn)
        base_costs[key] = base_costs.get(key, 0.0) + monthly
    urns = sorted(base_costs.keys() | after.per_resource.keys())
    lines = tuple(
        CostLine(urn, base_costs.get(urn), after.per_resource.get(urn))
        for urn in urns
        if base_costs.get(urn) != after.per_resource.get(urn)
    )
    return CostDelta(before.total, after.total, lines, after.unpriced)
