"""The cost estimator's report reduced to what a diff shows: per-resource and total monthly USD."""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from infra.toolkit.plan import Plan


@dataclass(frozen=True)
class MonthlyCost:
    """Monthly USD per priced resource URN, their total, and the URNs with no price."""

    per_resource: Mapping[str, float]
    total: float
    unpriced: tuple[str, ...]


def monthly_costs(plan: Plan) -> MonthlyCost:
    """Estimate `plan` with infra.toolkit.cost.estimate."""
    estimate: Any = importlib.import_module("infra.toolkit.cost").estimate
    report = estimate(plan)
    lines: Any = getattr(report, "resources", None) or getattr(report, "lines", ())
    per_resource = {str(line.urn): float(line.monthly_usd) for line in lines if line.monthly_usd is not None}
    unpriced = tuple(str(getattr(item, "urn", item)) for item in report.unpriced)
    return MonthlyCost(per_resource=per_resource, total=float(report.total), unpriced=unpriced)
