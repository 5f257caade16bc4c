"""Replacements cascade: an input taken from a replaced resource is unknown until it is recreated.

The engine shows such an input as changing to an unknown value; when that input is replace-on-change
for the dependent's type, the dependent is replaced as well (a new VPC replaces its subnets, which
replace their route table associations). Plans carry each input's property dependencies, so diff
follows them to a fixed point.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from infra.toolkit.diff.model import Change, PropertyChange, State
from infra.toolkit.diff.replace_rules import forces_replacement
from infra.toolkit.plan import UNKNOWN


def _cascaded(change: Change, state: State, replaced: Mapping[str, str]) -> Change | None:
    """`change` with the inputs that come from replaced resources, or None if there are none."""
    known = {p.path for p in change.properties}
    added: list[PropertyChange] = []
    reasons: list[str] = []
    for key, sources in sorted(state.property_dependencies.items()):
        upstream = [replaced[urn] for urn in sources if urn in replaced]
        if not upstream or key in known:
            continue
        forces = forces_replacement(state.type, key, state.replace_on_changes)
        added.append(PropertyChange(key, "update", state.inputs.get(key), UNKNOWN, forces))
        if forces:
            reasons.append(f"{key} (from replaced {', '.join(sorted(upstream))})")
    if not added:
        return None
    properties = tuple(sorted((*change.properties, *added), key=lambda p: p.path))
    if reasons or change.op == "replace":
        return replace(
            change, op="replace", properties=properties, replace_reasons=(*change.replace_reasons, *reasons)
        )
    return replace(change, op="update", properties=properties)


def cascade(changes: dict[str, Change], head: Mapping[str, State]) -> dict[str, Change]:
    """`changes` (every URN, unchanged ones included) with replacements propagated to dependents."""
    result = dict(changes)
    replaced = {urn: c.name for urn, c in result.items() if c.op == "replace"}
    settled: set[str] = set()
    while True:
        grew = False
        for urn, change in result.items():
            state = head.get(urn)
            if state is None or change.op in ("create", "delete") or change.source == "engine":
                continue
            if urn in settled and change.op == "replace":
                continue
            updated = _cascaded(change, state, replaced)
            if updated is None:
                continue
            result[urn] = updated
            if updated.op == "replace" and urn not in replaced:
                replaced[urn] = updated.name
                grew = True
            settled.add(urn)
        if not grew:
            return result
