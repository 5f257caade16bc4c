"""Compare two sides resource by resource: what the engine would create, update, replace or delete.

Between two plans every verdict is computed: changed inputs, checked against the replace-on-change
table. When the head is a real preview whose recorded old state is the base's state, the engine's own
verdict (op, replaceReasons, detailedDiff) is taken instead: it knows the provider's answer.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from typing import Final, Literal

from infra.toolkit.diff.cascade import cascade
from infra.toolkit.diff.logical import logical_urn, match_logically
from infra.toolkit.diff.model import OPS, Change, ChangeSet, EngineStep, Op, PropertyChange, Side, State
from infra.toolkit.diff.properties import diff_inputs, is_ignored, top_key, value_at
from infra.toolkit.diff.replace_rules import forces_replacement
from infra.toolkit.diff.state_side import comparable, compare_secrets, provider_of

Match = Literal["urn", "logical"]
_RANKED: Final[tuple[Op, ...]] = (
    "replace",
    "delete",
    "create",
    "update",
    "import",
    "discard",
    "remove-pending-replace",
    "read",
    "refresh",
    "same",
)
_ORDER: Final[dict[Op, int]] = {op: rank for rank, op in enumerate(_RANKED)}
SameProvider = Callable[[str | None, str | None], bool]
"""Whether a base and a head provider reference point to the same provider."""


def _equal(old: str | None, new: str | None) -> bool:
    return old == new


def _same_provider(
    logical: Mapping[str, str], base_stack: str | None, head_stack: str | None
) -> SameProvider:
    """Provider references compared by what they point to, when resources are paired by logical path.

    A provider the pairing matched counts as the head provider it was paired with; any other URN (a
    default provider, which is no resource of a plan) is read without its stack and project, the stack's
    name in its resource name as `{stack}`, the way logical matching reads names.
    """

    def same(old: str | None, new: str | None) -> bool:
        if old == new or old is None or new is None:
            return old == new
        paired = logical.get(old)
        before = logical_urn(paired, head_stack) if paired else logical_urn(old, base_stack)
        return before == logical_urn(new, head_stack)

    return same


def _option_changes(
    old: State, new: State, versioned: bool, same_provider: SameProvider
) -> tuple[PropertyChange, ...]:
    changes = [
        PropertyChange(name, "update", a, b)
        for name, (a, b) in {
            "protect": (old.protect, new.protect),
            "deleteBeforeReplace": (old.delete_before_replace, new.delete_before_replace),
        }.items()
        if a != b
    ]
    before, after = provider_of(old, versioned), provider_of(new, versioned)
    if not same_provider(before, after):
        changes.append(PropertyChange("provider", "update", before, after))
    return tuple(changes)


def _ignored(path: str, ignore_changes: tuple[str, ...]) -> bool:
    """Whether `ignoreChanges` covers this path (the path itself or anything under it)."""
    return any(
        path == ignored or path.startswith((f"{ignored}.", f"{ignored}[")) for ignored in ignore_changes
    )


def _computed(
    old: State | None,
    new: State | None,
    renamed_from: str | None,
    versioned: bool = True,
    same_provider: SameProvider = _equal,
) -> Change:
    either = new or old
    assert either is not None  # a URN comes from at least one side
    base = Change(
        urn=either.urn,
        type=either.type,
        name=either.name,
        op="same",
        protected=bool(old and old.protect) or bool(new and new.protect),
        delete_before_replace=bool(new and new.delete_before_replace),
        parent=either.parent,
        renamed_from=renamed_from,
        rendered=either.rendered,
        retain_on_delete=either.retain_on_delete,
    )
    if old is None:
        return replace(base, op="create")
    if new is None:
        return replace(base, op="delete")
    properties = tuple(
        PropertyChange(
            p.path, p.kind, p.old, p.new, forces_replacement(new.type, p.path, new.replace_on_changes)
        )
        for p in diff_inputs(old.inputs, new.inputs)
        if not is_ignored(p.path, new.ignore_changes)
    )
    options = _option_changes(old, new, versioned, same_provider)
    reasons = tuple(dict.fromkeys(top_key(p.path) for p in properties if p.forces_replacement))
    op: Op = "replace" if reasons else "update" if properties or options or renamed_from else "same"
    return replace(base, op=op, properties=properties, option_changes=options, replace_reasons=reasons)


def _engine_applies(old: State | None, step: EngineStep) -> bool:
    """Whether the engine compared against the same state the base holds."""
    if old is None or step.old_inputs is None:
        return old is None and step.old_inputs is None
    return dict(old.inputs) == dict(step.old_inputs)


def _engine(old: State | None, new: State | None, step: EngineStep, same_provider: SameProvider) -> Change:
    computed = _computed(old, new, None, same_provider=same_provider)
    reasons = step.replace_reasons or (computed.replace_reasons if step.op == "replace" else ())
    if step.detailed_diff is not None:
        properties = tuple(
            PropertyChange(
                path,
                kind,
                value_at(old.inputs if old else None, path)[1],
                value_at(new.inputs if new else None, path)[1],
                replaces or top_key(path) in reasons,
            )
            for path, kind, replaces in step.detailed_diff
        )
    else:
        properties = tuple(
            PropertyChange(p.path, p.kind, p.old, p.new, top_key(p.path) in reasons)
            for p in computed.properties
        )
        seen = {top_key(p.path) for p in properties}
        properties += tuple(  # differences only in outputs, which the plan does not hold
            PropertyChange(reason, "update", None, None, reason in reasons)
            for reason in step.diff_reasons
            if reason not in seen and step.op == "update"  # a replacement changes every output anyway
        )
    return replace(computed, op=step.op, replace_reasons=reasons, properties=properties, source="engine")


def _renames(base_urns: Iterable[str], head: Side) -> dict[str, str]:
    """Base URN -> head URN for resources the head declares an alias to."""
    base_urns = frozenset(base_urns)
    renames: dict[str, str] = {}
    for urn, state in head.resources.items():
        for alias in state.aliases:
            if alias in base_urns and alias not in head.resources:
                renames[alias] = urn
    return renames


def _different_stacks(base: Side, head: Side) -> bool:
    return bool(base.stack and head.stack and base.stack != head.stack)


def _matching(base: Side, head: Side, match: Match | None) -> Match:
    """The matching asked for, else by logical path between two stacks and by URN within one."""
    return match or ("logical" if _different_stacks(base, head) else "urn")


def _through(logical: dict[str, str], renames: dict[str, str]) -> dict[str, str]:
    """Base URN -> head URN of every base resource paired under another URN: logically, then by alias."""
    paired: dict[str, str] = {}
    for urn in logical.keys() | renames.keys():
        matched = logical.get(urn, urn)
        head_urn = renames.get(matched, matched)
        if head_urn != urn:
            paired[urn] = head_urn
    return paired


def compare(base: Side, head: Side, match: Match | None = None) -> ChangeSet:
    """Every change from `base` to `head`, replacements and deletions first.

    `match` pairs resources by URN or by logical path (the default when the sides are different stacks).
    """
    old_resources, new_resources, versioned, state_notes = comparable(base, head)
    base = replace(base, resources=old_resources)
    head = replace(head, resources=new_resources)
    different_stacks = _different_stacks(base, head)
    logical: dict[str, str] = {}
    same_provider: SameProvider = _equal
    if _matching(base, head, match) == "logical":
        base, logical = match_logically(base, head)
        same_provider = _same_provider(logical, base.stack, head.stack)
        logical_note = (
            f"Resources matched by type and logical path below the stack ({{stack}} standing for the"
            f" stack's name in names): {len(logical)} of {len(base.resources)} in {base.label} paired."
        )
    else:
        logical_note = None
    previews = [side for side in (base, head) if side.kind == "preview"]
    everything = set(base.resources) | set(head.resources)
    notes: list[str] = [*state_notes, *base.notes, *head.notes]
    if previews:
        # A preview lists only what the engine would touch: anything it does not mention is unchanged.
        universe = set().union(*(side.mentioned for side in previews))
        unmentioned = len(everything - universe)
        for side in previews:
            notes.append(
                f"{side.label} is a `pulumi preview --json` document: it lists only the resources the"
                " engine would change, so resources it does not mention count as unchanged."
            )
    else:
        universe, unmentioned = everything, 0
    for side in previews:
        notes.extend(f"The engine reported {line}" for line in side.diagnostics)
    if different_stacks:
        notes.append(f"The two sides are different stacks: {base.stack} and {head.stack}.")
    if logical_note:
        notes.append(logical_note)

    renames = _renames(base.resources, head)
    renamed_from = {new: old for old, new in renames.items()}
    counts: Counter[Op] = Counter(dict.fromkeys(OPS, 0))
    counts["same"] += unmentioned
    by_urn: dict[str, Change] = {}
    may_change: list[tuple[str, str]] = []
    for urn in universe:
        if urn in renames:
            continue
        old_urn = renamed_from.get(urn, urn)
        old, new = base.resources.get(old_urn), head.resources.get(urn)
        if old is None and new is None:
            counts["same"] += 1  # a preview step for a resource neither side holds (a sames-only step)
            continue
        step = head.engine.get(urn)
        if step is not None and _engine_applies(old, step):
            change = _engine(old, new, step, same_provider)
        else:
            change = _computed(old, new, renamed_from.get(urn), versioned, same_provider)
        if old is not None and new is not None and "state" in (base.kind, head.kind):
            change, paths = compare_secrets(change, old, new, base, head)
            may_change.extend((urn, path) for path in paths)
        by_urn[urn] = change
    if not previews:  # a real preview already shows what a replacement does to its dependents
        by_urn = cascade(by_urn, head.resources)
    changes = [change for change in by_urn.values() if change.op != "same"]
    counts.update(change.op for change in by_urn.values())
    if base.kind == head.kind == "preview" and head.unchanged is not None:
        # Both sides are previews: the engine's own count includes the sames it left out.
        counts["same"] = max(counts["same"], head.unchanged)
    changes.sort(key=lambda c: (_ORDER[c.op], c.urn))
    return ChangeSet(
        stack=head.stack or base.stack,
        base=base,
        head=head,
        changes=tuple(changes),
        counts=dict(counts),
        notes=tuple(notes),
        secrets_may_change=tuple(sorted(may_change)),
        paired=_through(logical, renames),
    )
