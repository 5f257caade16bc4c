"""Policy: the in-process engine that runs the pack's rules (the infra.policy package) on a plan.

`evaluate(plan)` feeds every resource of a plan to the same validate functions that
`pulumi preview --policy-pack infra/policypack` runs, so a pull request sees the violations `pulumi up`
would refuse. Imports are lazy: `primetradeai --help` must not pay for pulumi_policy.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from infra.toolkit.policy.engine import PolicyReport, Violation, evaluate, run_policies

__all__ = ["PolicyReport", "Violation", "evaluate", "run_policies"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from infra.toolkit.policy import engine

        return getattr(engine, name)
    raise AttributeError(name)
