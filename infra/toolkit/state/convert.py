"""A deployed stack in the plan model, so diff, policy and cost read state wherever they read a plan.

What is read: each live resource's URN, type, parent, provider, dependencies, options and inputs (the
inputs the engine last sent the provider), and the stack's outputs. What is inferred: inputs the
provider filled in itself (listed in the state's `__defaults`, and aws's `tagsAll`) are left out, as
a program's plan never has them; a secret becomes "[secret]" with a digest kept aside (secrets.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from pydantic import JsonValue, ValidationError

from infra.pulumi_wire import SIG_KEY, is_secret
from infra.toolkit.plan import SECRET, Plan, Resource, ResourceOptions, first_problem
from infra.toolkit.preview.scrub import SecretScrubber
from infra.toolkit.state.deployed import DeployedStack, StateFormatError
from infra.toolkit.state.secrets import plaintexts, secret_digest, value_digest
from infra.toolkit.state.shapes import ResourceV3
from infra.toolkit.urns import STACK_TYPE, default_provider_urn, provider_urn, stack_urn
from infra.toolkit.values import plan_value

_DEFAULTS_KEY: Final = "__defaults"
# Inputs a provider computes during its own input check, never set by a program.
_PROVIDER_COMPUTED: Final[dict[str, frozenset[str]]] = {"aws": frozenset({"tagsAll"})}
_MIN_SCRUB_LENGTH: Final = 6  # as the plan's scrubber: shorter texts are too common to hide

SecretTree = dict[str, Any] | list[Any] | str
"""Where secrets sit in a resource's inputs: digests at the secrets' places, the rest left out."""


@dataclass(frozen=True)
class StatePlan:
    """A deployed stack as a plan, plus what the plan cannot hold."""

    plan: Plan
    secrets: Mapping[str, Mapping[str, SecretTree]]
    """URN -> inputs-shaped tree of secret digests, for comparing secrets without revealing them."""
    notes: tuple[str, ...] = ()


def _converted(value: object) -> tuple[JsonValue, SecretTree | None]:
    """A state value in plan form, and the digests of the secrets inside it (None when there are none)."""
    if is_secret(value):
        assert isinstance(value, dict)
        return SECRET, secret_digest(value)
    if isinstance(value, dict) and SIG_KEY not in value:
        return _converted_mapping(value)
    if isinstance(value, list):
        items = [_converted(item) for item in value]
        tree = [digests for _, digests in items]
        return [item for item, _ in items], tree if any(d is not None for d in tree) else None
    return plan_value(value), None


def _converted_mapping(value: Mapping[str, Any]) -> tuple[dict[str, JsonValue], dict[str, Any] | None]:
    filled_in = value.get(_DEFAULTS_KEY)
    skipped = set(filled_in) if isinstance(filled_in, list) else set()
    result: dict[str, JsonValue] = {}
    tree: dict[str, Any] = {}
    for key, item in value.items():
        if key.startswith("__") or key in skipped:
            continue
        result[key], digests = _converted(item)
        if digests is not None:
            tree[key] = digests
    return result, tree or None


def plan_inputs(resource: ResourceV3) -> tuple[dict[str, JsonValue], dict[str, Any]]:
    computed = _PROVIDER_COMPUTED.get(resource.type.split(":", 1)[0], frozenset())
    inputs, tree = _converted_mapping({k: v for k, v in resource.inputs.items() if k not in computed})
    secrets = tree or {}
    for name in resource.additional_secret_outputs:  # secret outputs read as secrets in inputs too
        if name in inputs and inputs[name] != SECRET:
            secrets[name] = value_digest(inputs[name])
            inputs[name] = SECRET
    return inputs, secrets


def _provider(resource: ResourceV3, state: DeployedStack) -> str | None:
    if resource.provider:
        return provider_urn(resource.provider)
    if resource.custom and not resource.type.startswith("pulumi:providers:"):
        return default_provider_urn(state.stack, state.project, resource.type)
    return None


def _resource(resource: ResourceV3, state: DeployedStack, root: str) -> tuple[Resource, dict[str, Any]]:
    is_stack = resource.type == STACK_TYPE
    inputs, secrets = ({}, {}) if is_stack else plan_inputs(resource)
    plan_resource = Resource(
        urn=resource.urn,
        type=resource.type,
        name=resource.urn.rsplit("::", 1)[-1],
        custom=resource.custom,
        parent=None if is_stack else resource.parent or root,
        provider=_provider(resource, state),
        dependencies=tuple(sorted(set(resource.dependencies))),
        property_dependencies={
            key: tuple(sorted(set(urns or ()))) for key, urns in resource.property_dependencies.items()
        },
        options=ResourceOptions(
            protect=resource.protect,
            retain_on_delete=resource.retain_on_delete,
            ignore_changes=tuple(resource.ignore_changes),
            replace_on_changes=tuple(resource.replace_on_changes),
            additional_secret_outputs=tuple(resource.additional_secret_outputs),
            aliases=tuple(resource.aliases),
        ),
        inputs=inputs,
    )
    return plan_resource, secrets


def _known_secrets(state: DeployedStack) -> SecretScrubber:
    """Every secret text a --show-secrets export reveals, to hide wherever else it appears."""
    found: set[str] = set()

    def walk(value: object) -> None:
        if is_secret(value):
            found.update(plaintexts(value))
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    for resource in state.resources:
        walk(resource.inputs)
        walk(resource.outputs)
        for name in resource.additional_secret_outputs:
            for where in (resource.inputs, resource.outputs):
                if isinstance(where.get(name), str):
                    found.add(where[name])
    return SecretScrubber(frozenset(text for text in found if len(text) >= _MIN_SCRUB_LENGTH))


def state_plan(state: DeployedStack) -> StatePlan:
    """The plan of a deployed stack; StateFormatError (one line) when the state cannot be one."""
    root = next((r.urn for r in state.resources if r.type == STACK_TYPE), None)
    root = root or stack_urn(state.stack, state.project)
    scrub = _known_secrets(state)
    resources: list[Resource] = []
    secrets: dict[str, dict[str, Any]] = {}
    for resource in state.resources:
        plan_resource, digests = _resource(resource, state, root)
        resources.append(scrub.resource(plan_resource))
        if digests:
            secrets[resource.urn] = digests
    stack = next((r for r in state.resources if r.type == STACK_TYPE), None)
    outputs, _ = _converted_mapping(stack.outputs) if stack else ({}, None)
    if not any(r.type == STACK_TYPE for r in resources):
        name = f"{state.project}-{state.stack}"
        resources.insert(0, Resource(urn=root, type=STACK_TYPE, name=name, custom=False))
    try:
        plan = Plan(
            project=state.project,
            stack=state.stack,
            resources=tuple(resources),
            outputs=scrub.mapping(outputs),
        )
    except ValidationError as error:
        raise StateFormatError(f"{state.source}: not a valid state: {first_problem(error)}") from None
    return StatePlan(plan=plan, secrets=secrets, notes=state.notes)
