"""What a policy sees of a plan: each plan resource as the pulumi_policy objects the analyzer server builds.

A resource's inputs become props behind pulumi_policy's unknown-checking proxy (`[unknown]` as its
unknown sentinel), its options `PolicyResourceOptions`, its provider a `PolicyProviderResource`; the
whole stack becomes the linked `PolicyResource` graph a stack policy reads. The engine (engine.py) runs
the policies on these.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pulumi_policy import (
    PolicyCustomTimeouts,
    PolicyProviderResource,
    PolicyResource,
    PolicyResourceOptions,
    ResourceValidationArgs,
    StackValidationArgs,
)

from infra.pulumi_policy_internals import UNKNOWN_STRING_VALUE, _DictProxy, _ListProxy
from infra.toolkit.plan import UNKNOWN, Plan, Resource
from infra.toolkit.urns import STACK_TYPE, stack_urn

# What the engine cannot tell a policy and a plan can: secrets are still marked `[secret]`.
IN_PROCESS_CONFIG: Mapping[str, Any] = {"secretsRedacted": True}


class PlanInputs:
    """What the policies read of one plan, each built on first use and shared by every policy after.

    The analyzer server builds a resource's props afresh for each policy because each may get its own
    config; in-process every policy gets the same config and the pack's validate functions only read
    their arguments, so one proxy per resource serves every policy (and the stack graph) alike, and a
    resource equal to one of `shared`'s plan takes that plan's proxy.
    """

    def __init__(self, plan: Plan, shared: PlanInputs | None = None) -> None:
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


def plan_stack_urn(plan: Plan) -> str:
    """The plan's stack resource's URN, or the one the engine would give it."""
    stacks = [r.urn for r in plan.resources if r.type == STACK_TYPE]
    return stacks[0] if stacks else stack_urn(plan.stack, plan.project)
