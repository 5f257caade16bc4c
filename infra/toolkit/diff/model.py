"""The shapes diff works on: one side's resources, the engine's own verdicts, and the changes found."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import JsonValue

from infra.toolkit.plan import Plan

Op = Literal[
    "create",
    "update",
    "replace",
    "delete",
    "same",
    "import",
    "read",
    "refresh",
    "discard",
    "remove-pending-replace",
]
OPS: tuple[Op, ...] = ("create", "update", "replace", "delete", "same")
"""The operations every count holds, zero or not: what a plan-to-plan diff can find."""
STATE_ONLY_OPS: tuple[Op, ...] = ("import", "read", "refresh", "discard", "remove-pending-replace")
"""Steps of a real preview that change the stack's state, not the cloud: counted only when present.

`import` adopts an existing cloud resource, `read` reads one the program only looks up, `refresh`
updates the state from the provider, `discard` and `remove-pending-replace` forget a state entry."""
PropertyKind = Literal["add", "delete", "update"]


@dataclass(frozen=True, slots=True)
class State:
    """What diff needs of a resource on one side."""

    urn: str
    type: str
    name: str
    inputs: Mapping[str, JsonValue]
    parent: str | None = None
    protect: bool = False
    delete_before_replace: bool = False
    replace_on_changes: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    rendered: bool = False
    property_dependencies: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """Input name -> URNs of the resources its value comes from."""
    provider: str | None = None
    """The provider's URN (without its id)."""
    ignore_changes: tuple[str, ...] = ()
    retain_on_delete: bool = False


@dataclass(frozen=True, slots=True)
class EngineStep:
    """What a real `pulumi preview` decided for one URN (its replacement steps merged into one)."""

    op: Op
    old_inputs: Mapping[str, JsonValue] | None
    replace_reasons: tuple[str, ...] = ()
    diff_reasons: tuple[str, ...] = ()
    detailed_diff: tuple[tuple[str, PropertyKind, bool], ...] | None = None
    """(path, kind, forces replacement) per entry of the step's detailedDiff, when it has one."""


@dataclass(frozen=True)
class Side:
    """One argument of `diff`: a plan, or one half of a real preview document."""

    label: str
    kind: Literal["plan", "preview", "state"]
    stack: str | None
    resources: Mapping[str, State]
    plan: Plan | None = None
    mentioned: frozenset[str] = frozenset()
    """For a preview: every URN it has a step for (a preview leaves unchanged resources out)."""
    engine: Mapping[str, EngineStep] = field(default_factory=dict)
    """For a preview: the engine's step per URN."""
    unchanged: int | None = None
    """For a preview: how many resources the engine counted as unchanged."""
    diagnostics: tuple[str, ...] = ()
    """For a preview: the engine's errors and warnings, one line each."""
    secrets: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    """For a state: URN -> inputs-shaped tree of secret digests (never the secrets themselves)."""
    notes: tuple[str, ...] = ()
    """For a state: what it says about itself (interrupted updates, leftovers)."""


@dataclass(frozen=True, slots=True)
class PropertyChange:
    """One property path that differs."""

    path: str
    kind: PropertyKind
    old: JsonValue = None
    new: JsonValue = None
    forces_replacement: bool = False


@dataclass(frozen=True, slots=True)
class Change:
    """What happens to one resource."""

    urn: str
    type: str
    name: str
    op: Op
    protected: bool = False
    replace_reasons: tuple[str, ...] = ()
    delete_before_replace: bool = False
    properties: tuple[PropertyChange, ...] = ()
    option_changes: tuple[PropertyChange, ...] = ()
    parent: str | None = None
    renamed_from: str | None = None
    rendered: bool = False
    source: Literal["computed", "engine"] = "computed"
    retain_on_delete: bool = False
    """For a deletion: the engine forgets the resource and leaves it in the cloud."""


@dataclass(frozen=True)
class ChangeSet:
    """Every change between two sides, risky ones first, with the count per operation."""

    stack: str | None
    base: Side
    head: Side
    changes: tuple[Change, ...]
    counts: Mapping[Op, int]
    notes: tuple[str, ...] = ()
    secrets_may_change: tuple[tuple[str, str], ...] = ()
    """(URN, property path) of secrets that could not be compared without revealing them."""
    paired: Mapping[str, str] = field(default_factory=dict)
    """Base URN -> head URN of each resource paired under another URN (by logical path or an alias):
    the policy and cost checks key the base's findings and prices by it, as the changes are keyed."""

    @property
    def risky(self) -> tuple[Change, ...]:
        """Replacements and deletions, the changes a reviewer reads first."""
        return tuple(c for c in self.changes if c.op in ("replace", "delete"))

    @property
    def protected_touched(self) -> tuple[Change, ...]:
        """Protected resources this change would update, replace or delete."""
        return tuple(c for c in self.changes if c.protected and c.op in ("update", "replace", "delete"))

    @property
    def protected_at_risk(self) -> tuple[Change, ...]:
        """Protected resources this change would replace or delete: the engine refuses both."""
        return tuple(c for c in self.changes if c.protected and c.op in ("replace", "delete"))

    @property
    def protected_updated(self) -> tuple[Change, ...]:
        """Protected resources updated in place, which `protect` allows."""
        return tuple(c for c in self.changes if c.protected and c.op == "update")
