"""Replacements cascade: an input taken from a replaced resource is unknown until it is recreated.

The engine shows such an input as changing to an unknown value; when that input is replace-on-change
for the dependent's type, the dependent is replaced as well (a new VPC replaces its subnets, which
replace their NAT gateways, whose private route tables then route to an unknown gateway). Plans carry
each input's property dependencies, so diff first grows the set of replaced resources to its fixed
point, then details every dependent once against that final set: the result does not depend on the
order the resources come in.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from infra.toolkit.diff.model import Change, PropertyChange, State
from infra.toolkit.diff.replace_rules import forces_replacement
from infra.toolkit.plan import UNKNOWN


def _upstream(state: State, key: str, replaced: Mapping[str, str]) -> list[str]:
    """Names of the replaced resources `key`'s value comes from, sorted."""
    return sorted(replaced[urn] for urn in state.property_dependencies.get(key, ()) if urn in replaced)


def _forced(state: State, replaced: Mapping[str, str]) -> bool:
    """Whether an input that comes from a replaced resource forces `state`'s replacement."""
    return any(
        _upstream(state, key, replaced) and forces_replacement(state.type, key, state.replace_on_changes)
        for key in state.property_dependencies
    )


def _replaced_closure(changes: Mapping[str, Change], head: Mapping[str, State]) -> dict[str, str]:
    """URN -> name of every resource replaced, directly or through its inputs (the fixed point)."""
    replaced = {urn: c.name for urn, c in changes.items() if c.op == "replace"}
    candidates = {
        urn: head[urn]
        for urn, change in changes.items()
        if urn in head and urn not in replaced and _cascades_into(change)
    }
    grew = True
    while grew:
        newly = {urn: head[urn].name for urn, state in candidates.items() if _forced(state, replaced)}
        for urn in newly:
            del candidates[urn]
        replaced.update(newly)
        grew = bool(newly)
    return replaced


def _cascades_into(change: Change) -> bool:
    # Created and deleted resources take no old inputs; the engine's verdicts already hold the cascade.
    return change.op not in ("create", "delete") and change.source != "engine"


def _cascaded(change: Change, state: State, replaced: Mapping[str, str]) -> Change:
    """`change` with every input that comes from a replaced resource shown as becoming unknown."""
    known = {p.path for p in change.properties}
    added: list[PropertyChange] = []
    reasons: list[str] = []
    for key in sorted(state.property_dependencies):
        upstream = _upstream(state, key, replaced)
        if not upstream or key in known:
            continue
        forces = forces_replacement(state.type, key, state.replace_on_changes)
        added.append(PropertyChange(key, "update", state.inputs.get(key), UNKNOWN, forces))
        if forces:
            reasons.append(f"{key} (from replaced {', '.join(upstream)})")
    if not added:
        return change
    properties = tuple(sorted((*change.properties, *added), key=lambda p: p.path))
    if reasons or change.op == "replace":
        return replace(
            change, op="replace", properties=properties, replace_reasons=(*change.replace_reasons, *reasons)
        )
    return replace(change, op="update", properties=properties)


def cascade(changes: dict[str, Change], head: Mapping[str, State]) -> dict[str, Change]:
    """`changes` (every URN, unchanged ones included) with replacements propagated to dependents."""
    replaced = _replaced_closure(changes, head)
    return {
        urn: _cascaded(change, head[urn], replaced) if urn in head and _cascades_into(change) else change
        for urn, change in changes.items()
    }
