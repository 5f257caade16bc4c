"""Run the policy pack in-process on a plan, through the same pulumi_policy objects the engine builds.

Each plan resource becomes the `ResourceValidationArgs` (and, for stack policies, the `PolicyResource`
graph) that pulumi_policy's analyzer server would hand the validate functions: inputs as props behind
its unknown-checking proxy, options, the provider's inputs. A value unknown until apply makes the policy
"not checked" for that resource, as a real preview reports it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Mapping
from dataclasses import dataclass, field
from inspect import isawaitable
from typing import Any, Literal, TypeVar

from pulumi_policy import (
    EnforcementLevel,
    Policy,
    PolicyCustomTimeouts,
    PolicyProviderResource,
    PolicyResource,
    PolicyResourceOptions,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
)

from infra.config.schema import PolicySuppression
from infra.policy import POLICIES
from infra.policy.suppressions import unwaived, waiver_for
from infra.pulumi_policy_internals import (
    UNKNOWN_STRING_VALUE,
    UnknownValueError,
    _DictProxy,
    _ListProxy,
    _NotApplicableError,
)
from infra.toolkit.collector import cyclic_collection_paused
from infra.toolkit.plan import UNKNOWN, Plan, Resource

Enforcement = Literal["mandatory", "advisory"]

# What the engine cannot tell a policy and a plan can: secrets are still marked `[secret]`.
IN_PROCESS_CONFIG: Mapping[str, Any] = {"secretsRedacted": True}


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
        self.inputs: _PlanInputs = _PlanInputs(plan, reuse.inputs if reuse else None)
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
                _run(inner, level, _stack_urn(self.plan), stack_args, self.violations, self.not_checked)

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


class _PlanInputs:
    """What the policies read of one plan, each built on first use and shared by every policy after.

    The analyzer server builds a resource's props afresh for each policy because each may get its own
    config; in-process every policy gets the same config and the pack's validate functions only read
    their arguments, so one proxy per resource serves every policy (and the stack graph) alike, and a
    resource equal to one of `shared`'s plan takes that plan's proxy.
    """

    def __init__(self, plan: Plan, shared: _PlanInputs | None = None) -> None:
        self._plan = plan
        self._by_urn = plan.by_urn()
        self._shared = shared
        self._props: dict[str, Mapping[str, Any]] = {}
        self._options: dict[str, PolicyResourceOptions] = {}
        self._args: dict[str, ResourceValidationArgs] = {}
        self._stack_args: StackValidationArgs | None = None

    def keep_only_props(self) -> None:
        """Drop everything built but the props, which another plan's run may share."""
        self._options.clear()
        self._args.clear()
        self._stack_args = None

    def unchanged(self) -> frozenset[str]:
        """URNs of resources equal in `shared`'s plan, with equal providers: a resource policy's findings
        on them are the same."""
        if self._shared is None:
            return frozenset()
        theirs = self._shared._by_urn
        return frozenset(
            urn
            for urn, resource in self._by_urn.items()
            if theirs.get(urn) == resource
            and _provider_resource(resource, self._by_urn) == _provider_resource(resource, theirs)
        )

    def props(self, resource: Resource) -> Mapping[str, Any]:
        """The resource's inputs behind pulumi_policy's unknown-checking proxy."""
        found = self._props.get(resource.urn)
        if found is None:
            shared = self._shared
            if shared is not None and shared._by_urn.get(resource.urn) == resource:
                found = shared.props(resource)
            else:
                found = _props(resource)
            self._props[resource.urn] = found
        return found

    def options(self, resource: Resource) -> PolicyResourceOptions:
        """The resource's options as pulumi_policy presents them."""
        found = self._options.get(resource.urn)
        if found is None:
            found = self._options[resource.urn] = _options(resource)
        return found

    def provider(self, resource: Resource) -> PolicyProviderResource | None:
        """The resource's provider with its inputs, if the plan holds it."""
        found = _provider_resource(resource, self._by_urn)
        if found is None:
            return None
        return PolicyProviderResource(found.type, self.props(found), found.urn, found.name)

    def resource_args(self, resource: Resource) -> ResourceValidationArgs:
        """The `ResourceValidationArgs` of one plan resource."""
        found = self._args.get(resource.urn)
        if found is None:
            found = self._args[resource.urn] = ResourceValidationArgs(
                resource.type,
                self.props(resource),
                resource.urn,
                resource.name,
                self.options(resource),
                self.provider(resource),
                IN_PROCESS_CONFIG,
            )
        return found

    def stack_args(self) -> StackValidationArgs:
        """The whole stack as stack policies see it."""
        if self._stack_args is None:
            self._stack_args = StackValidationArgs(self._policy_resources(), IN_PROCESS_CONFIG)
        return self._stack_args

    def _policy_resources(self) -> list[PolicyResource]:
        """The stack as pulumi_policy's analyzer links it: parents, dependencies, property dependencies."""
        resources = self._plan.resources
        linked = {
            r.urn: PolicyResource(
                r.type, self.props(r), r.urn, r.name, self.options(r), self.provider(r), None, [], {}
            )
            for r in resources
        }
        for resource in resources:
            node = linked[resource.urn]
            node.parent = linked.get(resource.parent) if resource.parent else None
            node.dependencies = [linked[d] for d in resource.dependencies if d in linked]
            node.property_dependencies = {
                key: [linked[d] for d in urns if d in linked]
                for key, urns in resource.property_dependencies.items()
            }
        return list(linked.values())


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


def _proxied(value: Any, path: list[str]) -> Any:
    """The plan's inputs as the engine sends them (`[unknown]` becomes pulumi_policy's unknown sentinel)
    behind the proxy `unknown_checking_proxy` builds, in one walk instead of a copy and a wrap."""
    if isinstance(value, dict):
        return _DictProxy({k: _proxied(v, [*path, str(k)]) for k, v in value.items()}, path)
    if isinstance(value, list):
        return _ListProxy([_proxied(v, [*path, str(i)]) for i, v in enumerate(value)], path)
    return UNKNOWN_STRING_VALUE if value == UNKNOWN else value


def _props(resource: Resource) -> Mapping[str, Any]:
    proxied: Mapping[str, Any] = _proxied(resource.inputs, [])
    return proxied


def _options(resource: Resource) -> PolicyResourceOptions:
    options = resource.options
    return PolicyResourceOptions(
        protect=options.protect,
        ignore_changes=list(options.ignore_changes),
        delete_before_replace=options.delete_before_replace,
        aliases=list(options.aliases),
        custom_timeouts=PolicyCustomTimeouts(0, 0, 0),
        additional_secret_outputs=list(options.additional_secret_outputs),
        parent=resource.parent,
    )


def _provider_resource(resource: Resource, by_urn: Mapping[str, Resource]) -> Resource | None:
    if not resource.provider:
        return None
    # A provider reference is `<urn>::<id>` in the engine and a bare URN in a plan.
    return by_urn.get(resource.provider) or by_urn.get(resource.provider.rsplit("::", 1)[0])


def _stack_urn(plan: Plan) -> str:
    stacks = [r.urn for r in plan.resources if r.type == "pulumi:pulumi:Stack"]
    return (
        stacks[0]
        if stacks
        else f"urn:pulumi:{plan.stack}::{plan.project}::pulumi:pulumi:Stack::{plan.project}-{plan.stack}"
    )
