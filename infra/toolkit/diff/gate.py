"""Which changes fail a pipeline: `diff --fail-on-changes` and `diff --fail-on OPS`.

Like `pulumi preview --expect-no-changes`, a gate turns "there are changes" into an exit code; the report
is printed or written first either way, so the pipeline's log shows what tripped it.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Final

from infra.toolkit.diff.model import ChangeSet, Op

GATED_OPS: Final[tuple[Op, ...]] = (
    "create",
    "update",
    "replace",
    "delete",
    "import",
    "discard",
    "remove-pending-replace",
)
"""What counts as a change: everything but unchanged resources and steps that only read (read, refresh)."""

EXIT_GATE_TRIPPED: Final = 1
"""The exit code when a gate trips, as `policy` exits on a mandatory violation (2 is bad input)."""


def parse_ops(text: str) -> frozenset[Op]:
    """`replace,delete` -> the ops; ValueError naming the first unknown one."""
    names = [name.strip() for name in text.split(",") if name.strip()]
    if not names:
        raise ValueError("expected a comma-separated list of operations")
    unknown = [name for name in names if name not in GATED_OPS]
    if unknown:
        raise ValueError(f"unknown operation {unknown[0]!r} (choose from {', '.join(GATED_OPS)})")
    return frozenset(op for op in GATED_OPS if op in names)


def tripped(change_set: ChangeSet, ops: Collection[Op]) -> dict[Op, int]:
    """How many changes of each gated op the change set holds (empty when the gate passes)."""
    found: dict[Op, int] = {}
    for change in change_set.changes:
        if change.op in ops:
            found[change.op] = found.get(change.op, 0) + 1
    return found
