"""Load one argument of `diff`: a plan, or a real preview document seen from the base or the head."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Literal

from infra.toolkit.diff.model import Side, State
from infra.toolkit.diff.preview_json import DocumentError, is_preview_document, read_preview
from infra.toolkit.documents import read_document, state_plan_from_data
from infra.toolkit.plan import Plan, PlanFormatError, is_plan_document, plan_from_data
from infra.toolkit.state import StatePlan, is_s3_location, is_state_document

Position = Literal["base", "head"]


def side_from_plan(plan: Plan, label: str) -> Side:
    """A plan as one side of a diff."""
    resources = {
        r.urn: State(
            urn=r.urn,
            type=r.type,
            name=r.name,
            inputs=r.inputs,
            parent=r.parent,
            protect=r.options.protect,
            delete_before_replace=r.options.delete_before_replace,
            replace_on_changes=r.options.replace_on_changes,
            aliases=r.options.aliases,
            rendered=r.rendered,
            property_dependencies=r.property_dependencies,
            provider=r.provider,
            ignore_changes=r.options.ignore_changes,
            retain_on_delete=r.options.retain_on_delete,
        )
        for r in plan.resources
    }
    return Side(label=label, kind="plan", stack=plan.stack, resources=resources, plan=plan)


def side_from_state(state: StatePlan, label: str) -> Side:
    """A deployed stack as one side of a diff, with its secrets' digests to compare them by."""
    side = side_from_plan(state.plan, label)
    return replace(side, kind="state", secrets=state.secrets, notes=state.notes)


def load_side(where: str | Path, position: Position, label: str | None = None) -> Side:
    """Read a plan, a deployed stack's state, or a preview document (its before for base, after for head)."""
    path = location = str(where)
    label = label or (location if is_s3_location(location) else Path(location).name)
    try:
        data = read_document(location)
    except PlanFormatError as error:
        raise DocumentError(str(error)) from None
    if is_plan_document(data):
        return side_from_plan(plan_from_data(data, location, parsed_json=True), label)
    if is_state_document(data):
        return side_from_state(state_plan_from_data(data, location), label)
    if is_preview_document(data):
        assert isinstance(data, dict)  # is_preview_document checked the shape
        document = read_preview(data, str(path))
        return Side(
            label=label,
            kind="preview",
            stack=document.stack,
            resources=document.before if position == "base" else document.after,
            mentioned=frozenset(document.steps),
            engine=document.steps if position == "head" else {},
            unchanged=document.unchanged,
            diagnostics=document.diagnostics,
        )
    raise DocumentError(
        f'{path}: neither a plan ("format": "primetradeai-plan"), a `pulumi preview --json`'
        ' document ("steps") nor Pulumi state ("deployment" or "checkpoint")'
    )
