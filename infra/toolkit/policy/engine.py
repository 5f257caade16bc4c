"""Run the policy pack in-process on a plan, through the same pulumi_policy objects the engine builds.

Each plan resource becomes the `ResourceValidationArgs` (and, for stack policies, the `PolicyResource`
graph) that pulumi_policy's analyzer server would hand the validate functions (inputs.py builds them):
inputs as props behind its unknown-checking proxy, options, the provider's inputs. A value unknown until
apply makes the policy "not checked" for that resource, as a real preview reports it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from dataclasses import dataclass, field
from inspect import isawaitable
from typing import Any, Literal, TypeVar

from pulumi_policy import EnforcementLevel, Policy, ResourceValidationPolicy, StackValidationPolicy

from infra.config.schema import PolicySuppression
from infra.policy import POLICIES
from infra.policy.suppressions import unwaived, waiver_for
from infra.pulumi_policy_internals import UnknownValueError, _NotApplicableError
from infra.toolkit.collector import cyclic_collection_paused
from infra.toolkit.plan import Plan
from infra.toolkit.policy.inputs import PlanInputs, plan_stack_urn

Enforcement = Literal["mandatory", "advisory"]


@dataclass(frozen=True, order=True)
class Violation:
    """One policy violation: which policy, how enforced, which resource, and why (never a secret value)."""

    policy: str
    enforcement: Enforcement
    urn: str
    message: str


@dataclass(frozen=True, order=True)
class NotChecked:
    """A policy that could not run on a resource because a value it reads is unknown until apply."""

    policy: str
    urn: str
    reason: str


@dataclass(frozen=True, order=True)
class Waived:
    """A violation a suppression waives: still listed, with the suppression's reason, never counted."""

    violation: Violation
    reason: str


@dataclass(frozen=True)
class PolicyReport:
    """Everything one run of the pack found on one plan."""

    stack: str
    policies: tuple[str, ...]
    resources: int
    violations: tuple[Violation, ...] = ()
    not_checked: tuple[NotChecked, ...] = field(default=())
    waived: tuple[Waived, ...] = ()

    @property
    def mandatory(self) -> list[Violation]:
        """Violations that block a deployment."""
        return [v for v in self.violations if v.enforcement == "mandatory"]

    @property
    def advisory(self) -> list[Violation]:
        """Violations that only warn."""
        return [v for v in self.violations if v.enforcement == "advisory"]

    @property
    def passed(self) -> bool:
        """True when nothing mandatory is violated."""
        return not self.mandatory


def evaluate(plan: Plan, policies: list[Policy] | None = None) -> list[Violation]:
    """The violations of every policy on every resource of the plan, sorted by policy then URN."""
    return list(run_policies(plan, policies).violations)


def evaluate_pair(base: Plan, head: Plan) -> tuple[list[Violation], list[Violation]]:
    """`evaluate(base)` and `evaluate(head)`, reading each resource the two plans share only once.

    A resource policy sees a resource's type, inputs, URN, name, options and provider; where the head
    holds a resource equal to the base's, with an equal provider, its findings are the base's. Stack
    policies see the whole stack and run on each plan.
    """
    with cyclic_collection_paused():
        base_run = _Run(base, POLICIES)
        base_run.resources(record=True)
        base_run.stacks()
        base_run.inputs.keep_only_props()  # so the two plans' argument sets never live side by side
        head_run = _Run(head, POLICIES, reuse=base_run)
        head_run.resources(record=False)
        head_run.stacks()
        return list(base_run.report(()).violations), list(head_run.report(()).violations)


def run_policies(
    plan: Plan, policies: list[Policy] | None = None, suppressions: tuple[PolicySuppression, ...] = ()
) -> PolicyReport:
    """Run the pack (or the given policies) on a plan; violations and not-checked lists come back sorted.

    A violation a suppression names is moved to `waived`, with its reason, as the pack drops it.
    """
    with cyclic_collection_paused():
        run = _Run(plan, POLICIES if policies is None else policies)
        run.resources(record=False)
        run.stacks()
        return run.report(suppressions)


_Outcome = tuple[tuple["Violation", ...], tuple["NotChecked", ...]]
_Finding = TypeVar("_Finding", "Violation", "NotChecked")


class _Run:
    """One run of the policies on one plan; with `reuse`, unchanged resources take that run's findings."""

    def __init__(self, plan: Plan, policies: list[Policy], reuse: _Run | None = None) -> None:
        self.plan = plan
        self.policies = policies
        self.levels = [_enforcement(policy) for policy in policies]
        self.violations: list[Violation] = []
        self.not_checked: list[NotChecked] = []
        self.outcomes: dict[tuple[int, str], _Outcome] = {}
        self.inputs: PlanInputs = PlanInputs(plan, reuse.inputs if reuse else None)
        self._reuse = reuse
        self._unchanged = self.inputs.unchanged() if reuse else frozenset()

    def resources(self, record: bool) -> None:
        """Every resource policy on every resource (findings of unchanged ones taken from `reuse`)."""
        if self._reuse is not None:
            for (_, urn), (found, skipped) in self._reuse.outcomes.items():
                if urn in self._unchanged:
                    self.violations.extend(found)
                    self.not_checked.extend(skipped)
        # IN_PROCESS_CONFIG holds no suppressions (`_partition` applies them), so each rule runs unwrapped.
        chosen = [
            (index, inner, level)
            for index, (policy, level) in enumerate(zip(self.policies, self.levels, strict=True))
            if level is not None and isinstance(inner := unwaived(policy), ResourceValidationPolicy)
        ]
        for resource in self.plan.resources:
            if resource.urn in self._unchanged:
                continue
            args = self.inputs.resource_args(resource)
            for index, policy, level in chosen:
                marks = len(self.violations), len(self.not_checked)
                _run(policy, level, resource.urn, args, self.violations, self.not_checked)
                if record and marks != (len(self.violations), len(self.not_checked)):
                    self.outcomes[index, resource.urn] = (
                        tuple(self.violations[marks[0] :]),
                        tuple(self.not_checked[marks[1] :]),
                    )

    def stacks(self) -> None:
        """Every stack policy on the whole stack."""
        for policy, level in zip(self.policies, self.levels, strict=True):
            inner = unwaived(policy)
            if level is not None and isinstance(inner, StackValidationPolicy):
                stack_args = self.inputs.stack_args()
                _run(inner, level, plan_stack_urn(self.plan), stack_args, self.violations, self.not_checked)

    def report(self, suppressions: tuple[PolicySuppression, ...]) -> PolicyReport:
        kept, waived = _partition(_sorted_unique(self.violations), suppressions)
        return PolicyReport(
            stack=self.plan.stack,
            policies=tuple(p.name for p in self.policies),
            resources=len(self.plan.resources),
            violations=kept,
            not_checked=tuple(_sorted_unique(self.not_checked)),
            waived=waived,
        )


def _sorted_unique(found: list[_Finding]) -> list[_Finding]:
    """Sorted as `@dataclass(order=True)` orders them (by the tuple of fields), without its slow `__lt__`."""
    return sorted(set(found), key=_fields)


def _fields(item: Violation | NotChecked) -> tuple[str, ...]:
    if isinstance(item, Violation):
        return (item.policy, item.enforcement, item.urn, item.message)
    return (item.policy, item.urn, item.reason)


def _partition(
    violations: list[Violation], suppressions: tuple[PolicySuppression, ...]
) -> tuple[tuple[Violation, ...], tuple[Waived, ...]]:
    by_policy: dict[str, list[PolicySuppression]] = {}
    for suppression in suppressions:
        by_policy.setdefault(suppression.policy, []).append(suppression)
    kept: list[Violation] = []
    waived: list[Waived] = []
    for violation in violations:
        waiver = waiver_for(by_policy.get(violation.policy, ()), violation.urn)
        if waiver is None:
            kept.append(violation)
        else:
            waived.append(Waived(violation, waiver.reason))
    return tuple(kept), tuple(waived)


def _enforcement(policy: Policy) -> Enforcement | None:
    level = policy.enforcement_level or EnforcementLevel.ADVISORY  # the pack's default
    if level == EnforcementLevel.DISABLED:
        return None
    # A remediation that still violates is reported as mandatory, as the analyzer server does.
    return "advisory" if level == EnforcementLevel.ADVISORY else "mandatory"


def _run(
    policy: ResourceValidationPolicy | StackValidationPolicy,
    level: Enforcement,
    urn: str,
    args: Any,
    violations: list[Violation],
    not_checked: list[NotChecked],
) -> None:
    def report(message: str, violating_urn: str | None = None) -> None:
        violations.append(Violation(policy.name, level, violating_urn or urn, message))

    try:
        result = policy.validate(args, report)
        if result is not None and isawaitable(result):
            asyncio.run(_wait(result))
    except UnknownValueError as error:
        not_checked.append(NotChecked(policy.name, urn, error.message))
    except _NotApplicableError:  # `args.not_applicable()`: private in pulumi_policy, which catches it so too
        return


async def _wait(result: Awaitable[Any]) -> None:
    await result
