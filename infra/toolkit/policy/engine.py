"""Run the policy pack in-process on a plan, through the same pulumi_policy objects the engine builds.

Each plan resource becomes the `ResourceValidationArgs` (and, for stack policies, the `PolicyResource`
graph) that pulumi_policy's analyzer server would hand the validate functions: inputs as props behind
its unknown-checking proxy, options, the provider's inputs. A value unknown until apply makes the policy
"not checked" for that resource, as a real preview reports it.
"""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Awaitable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from inspect import isawaitable
from typing import Any, Literal

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
from infra.policy.suppressions import waiver_for
from infra.pulumi_policy_internals import (
    UNKNOWN_STRING_VALUE,
    UnknownValueError,
    _NotApplicableError,
    unknown_checking_proxy,
)
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


def run_policies(
    plan: Plan, policies: list[Policy] | None = None, suppressions: tuple[PolicySuppression, ...] = ()
) -> PolicyReport:
    """Run the pack (or the given policies) on a plan; violations and not-checked lists come back sorted.

    A violation a suppression names is moved to `waived`, with its reason, as the pack drops it.
    """
    chosen = POLICIES if policies is None else policies
    inputs = _PlanInputs(plan)
    violations: list[Violation] = []
    not_checked: list[NotChecked] = []
    with _cyclic_collection_paused():
        for policy in chosen:
            level = _enforcement(policy)
            if level is None:
                continue
            if isinstance(policy, ResourceValidationPolicy):
                for resource, args in zip(plan.resources, inputs.resource_args(), strict=True):
                    _run(policy, level, resource.urn, args, violations, not_checked)
            elif isinstance(policy, StackValidationPolicy):
                _run(policy, level, _stack_urn(plan), inputs.stack_args(), violations, not_checked)
    kept, waived = _partition(sorted(set(violations)), suppressions)
    return PolicyReport(
        stack=plan.stack,
        policies=tuple(p.name for p in chosen),
        resources=len(plan.resources),
        violations=kept,
        not_checked=tuple(sorted(set(not_checked))),
        waived=waived,
    )


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
    their arguments, so one proxy per resource serves every policy (and the stack graph) alike.
    """

    def __init__(self, plan: Plan) -> None:
        self._plan = plan
        self._by_urn = plan.by_urn()
        self._props: dict[str, Mapping[str, Any]] = {}
        self._options: dict[str, PolicyResourceOptions] = {}
        self._resource_args: list[ResourceValidationArgs] | None = None
        self._stack_args: StackValidationArgs | None = None

    def props(self, resource: Resource) -> Mapping[str, Any]:
        """The resource's inputs behind pulumi_policy's unknown-checking proxy."""
        found = self._props.get(resource.urn)
        if found is None:
            found = self._props[resource.urn] = _props(resource)
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

    def resource_args(self) -> list[ResourceValidationArgs]:
        """One `ResourceValidationArgs` per plan resource, in plan order."""
        if self._resource_args is None:
            self._resource_args = [
                ResourceValidationArgs(
                    r.type,
                    self.props(r),
                    r.urn,
                    r.name,
                    self.options(r),
                    self.provider(r),
                    IN_PROCESS_CONFIG,
                )
                for r in self._plan.resources
            ]
        return self._resource_args

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


@contextmanager
def _cyclic_collection_paused() -> Iterator[None]:
    """Hold off the cyclic garbage collector for one run, as `timeit` does, and restore it after.

    A run allocates a proxy per input value (about 100,000 for a 2,000-resource plan); each burst of
    allocations would make the collector walk every object alive, the loaded plan included, which took
    a third of the run. Reference counting frees what a run builds as before; anything cyclic is collected
    once the collector resumes.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


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


def _engine_value(value: Any) -> Any:
    """A plan value as the engine would send it: `[unknown]` becomes pulumi_policy's unknown sentinel."""
    # Containers first: comparing a dict or list with the marker is the slow way to learn it is not one.
    if isinstance(value, dict):
        return {k: _engine_value(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_engine_value(v) for v in value]
    return UNKNOWN_STRING_VALUE if value == UNKNOWN else value


def _props(resource: Resource) -> Mapping[str, Any]:
    proxied: Mapping[str, Any] = unknown_checking_proxy(_engine_value(dict(resource.inputs)))
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
