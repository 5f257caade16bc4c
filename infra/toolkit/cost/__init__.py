"""Cost: a monthly estimate of a plan from the dated, sourced price table in prices.yaml."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from infra.toolkit.cost.estimator import CostLine, CostReport, UnpricedResource, estimate

__all__ = ["CostLine", "CostReport", "UnpricedResource", "estimate"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from infra.toolkit.cost import estimator as module

        return getattr(module, name)
    raise AttributeError(name)
