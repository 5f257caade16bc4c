"""Policy: pulumi_policy rules, run by `pulumi preview --policy-pack infra/policypack` or in-process.

`evaluate(plan)` feeds every resource of a plan to the same validate functions the policy pack runs, so a
pull request sees the violations `pulumi up` would refuse. Imports are lazy: `primetradeai --help` must
not pay for pulumi_policy.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from infra.policy import POLICIES
    from infra.toolkit.policy.engine import PolicyReport, Violation, evaluate, run_policies

__all__ = ["POLICIES", "PolicyReport", "Violation", "evaluate", "run_policies"]


def __getattr__(name: str) -> Any:
    if name == "POLICIES":
        from infra import policy

        return policy.POLICIES
    if name in {"PolicyReport", "Violation", "evaluate", "run_policies"}:
        from infra.toolkit.policy import engine

        return getattr(engine, name)
    raise AttributeError(name)
