"""`diff --match logical`: pair resources of two different stacks by what they are, not by URN.

URNs start with the stack's name, and our programs put it in resource names too (`staging-redis`,
`prod-redis`), so between two stacks every URN differs. A resource's logical key is its type and the
path of logical names from the stack down to it, with the side's stack name, where it stands as a word
of a name, read as `{stack}`. Base resources whose key the head has take the head's URN (their parents
and dependencies follow), so a promotion from staging to prod shows sizes, replicas and protection that
differ rather than a stack's worth of creates and deletes.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace

from infra.toolkit.diff.model import Side, State

LogicalKey = tuple[str, tuple[str, ...]]
_STACK_TYPE = "pulumi:pulumi:Stack"


def _generic(name: str, stack: str | None) -> str:
    if not stack:
        return name
    return re.sub(rf"(?<![A-Za-z0-9]){re.escape(stack)}(?![A-Za-z0-9])", "{stack}", name)


def logical_urn(urn: str, stack: str | None) -> str:
    """`urn` without its stack and project, the stack's name in its resource name read as `{stack}`.

    For URNs a resource refers to rather than has (its provider): a default provider is not a resource
    of the plan, so it has no logical key, yet `dev`'s and `prod`'s `aws::default` are the same provider.
    """
    parts = urn.split("::", 3)
    if len(parts) != 4 or not parts[0].startswith("urn:pulumi:"):
        return urn
    return f"{parts[2]}::{_generic(parts[3], stack)}"


def logical_keys(side: Side) -> dict[str, LogicalKey]:
    """URN -> (type, names from below the stack down to the resource) for every resource of `side`."""
    resources = side.resources
    keys: dict[str, LogicalKey] = {}

    def path(state: State, seen: frozenset[str]) -> tuple[str, ...]:
        name = _generic(state.name, side.stack)
        if state.type == _STACK_TYPE:
            return ()
        parent = resources.get(state.parent) if state.parent else None
        if parent is None or parent.urn in seen:
            return (name,)
        return (*path(parent, seen | {state.urn}), name)

    for urn, state in resources.items():
        keys[urn] = (state.type, path(state, frozenset()))
    return keys


def _renamed(state: State, urns: Mapping[str, str]) -> State:
    return replace(
        state,
        urn=urns.get(state.urn, state.urn),
        parent=urns.get(state.parent, state.parent) if state.parent else None,
        property_dependencies={
            key: tuple(urns.get(urn, urn) for urn in sources)
            for key, sources in state.property_dependencies.items()
        },
    )


def paired_urns(base: Side, head: Side) -> dict[str, str]:
    """Base URN -> head URN of every base resource whose logical key the head has (each head URN once)."""
    by_key: dict[LogicalKey, str] = {}
    for urn, key in logical_keys(head).items():
        by_key.setdefault(key, urn)
    urns: dict[str, str] = {}
    for urn, key in logical_keys(base).items():
        if key in by_key:
            urns[urn] = by_key.pop(key)
    return urns


def match_logically(base: Side, head: Side) -> tuple[Side, dict[str, str]]:
    """`base` with each resource the head also has under the head's URN, and base URN -> head URN."""
    urns = paired_urns(base, head)
    resources = {urns.get(urn, urn): _renamed(state, urns) for urn, state in base.resources.items()}
    mentioned = frozenset(urns.get(urn, urn) for urn in base.mentioned)
    return replace(base, resources=resources, mentioned=mentioned), urns
