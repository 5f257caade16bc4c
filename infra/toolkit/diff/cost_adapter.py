"""The cost estimator's report reduced to what a diff shows: per-resource and total monthly USD."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from infra.toolkit.plan import Plan


@dataclass(frozen=True)
class MonthlyCost:
    """Monthly USD per priced resource URN, their total, and the URNs with no price."""

    per_resource: Mapping[str, float]
    total: float
    unpriced: tuple[str, ...]


def monthly_costs(plan: Plan) -> MonthlyCost:
    """Estimate `plan` with the cost estimator (infra.toolkit.cost)."""
    from infra.toolkit.cost.estimator import estimate

    report = estimate(plan)
    per_resource: dict[str, float] = {}
    for line in report.lines:  # a resource may be priced in several lines
        per_resource[line.urn] = per_resource.get(line.urn, 0.0) + float(line.monthly_usd)
    return MonthlyCost(
        per_resource=per_resource,
        total=float(report.total_usd),
        unpriced=tuple(item.urn for item in report.unpriced),
    )
