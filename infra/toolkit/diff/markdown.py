"""The pull-request comment: a Jinja template filled from a change set, trimmed to fit GitHub.

GitHub refuses comments over 65,536 characters. The summary (counts, protected resources, policy,
cost) is always whole; when the comment is too long the property details shrink first, then the
list of resources to create, then the diagram, then the list of replacements and deletions, each
saying how much was left out.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Final

from infra.toolkit.diff.checks import CostDelta, PolicyDelta, Unavailable
from infra.toolkit.diff.mermaid import diagram
from infra.toolkit.diff.model import STATE_ONLY_OPS, ChangeSet
from infra.toolkit.report_templates import report_environment

GITHUB_COMMENT_LIMIT: Final = 65_536
# Room for a footer the workflow may add, and for counters that measure in UTF-16 units.
_HEADROOM: Final = 1_024
_SUMMARY_ROWS: Final = 100  # per summary list: protected resources, policy findings, cost lines
_SUMMARY_NOTES: Final = 20  # a real preview may carry hundreds of engine warnings
_MAX_PROPERTIES: Final = 40


def marker(stack: str | None) -> str:
    """The hidden first line a workflow looks for to update its comment instead of adding one."""
    return f"<!-- primetradeai-diff:{stack or 'unknown'} -->"


@dataclass(frozen=True)
class _Limits:
    details: int
    creates: int
    diagram: bool
    risky: int
    summary_rows: int = _SUMMARY_ROWS


def _render(
    change_set: ChangeSet, policy: PolicyDelta | Unavailable, cost: CostDelta | Unavailable, limits: _Limits
) -> str:
    detailed = [c for c in change_set.changes if c.properties or c.option_changes]
    creates = [c for c in change_set.changes if c.op == "create"]
    state_only = [c for c in change_set.changes if c.op in STATE_ONLY_OPS]
    risky = change_set.risky
    protected = change_set.protected_at_risk
    updated = change_set.protected_updated
    verbs = " or ".join(sorted({"replaced" if c.op == "replace" else "deleted" for c in protected}))
    notes = list(dict.fromkeys(change_set.notes))
    template = report_environment().get_template("diff.md.j2")
    return template.render(
        stack=change_set.stack or "unknown",
        base_label=change_set.base.label,
        head_label=change_set.head.label,
        counts=change_set.counts,
        notes=notes[:_SUMMARY_NOTES],
        notes_total=len(notes),
        protected=protected[: limits.summary_rows],
        protected_total=len(protected),
        protected_verbs=verbs,
        protected_updated=updated[: limits.summary_rows],
        protected_updated_total=len(updated),
        state_counts=[(op, change_set.counts[op]) for op in STATE_ONLY_OPS if change_set.counts.get(op)],
        secrets=change_set.secrets_may_change[: limits.summary_rows],
        secrets_total=len(change_set.secrets_may_change),
        policy=policy,
        policy_rows=policy.new[: limits.summary_rows] if isinstance(policy, PolicyDelta) else (),
        cost=cost,
        cost_rows=cost.lines[: limits.summary_rows] if isinstance(cost, CostDelta) else (),
        risky=risky[: limits.risky],
        risky_total=len(risky),
        diagram=diagram(change_set) if limits.diagram else None,
        details=detailed[: limits.details],
        details_total=len(detailed),
        creates=creates[: limits.creates],
        creates_total=len(creates),
        state_only=state_only[: limits.creates],
        state_only_total=len(state_only),
        max_properties=_MAX_PROPERTIES,
    )


def _largest_fitting(render: Callable[[int], str], high: int, limit: int) -> int | None:
    """The largest n in [0, high] whose rendering fits, or None if even 0 does not (binary search)."""
    if len(render(0)) > limit:
        return None
    low = 0
    while low < high:
        middle = (low + high + 1) // 2
        if len(render(middle)) <= limit:
            low = middle
        else:
            high = middle - 1
    return low


def render_comment(
    change_set: ChangeSet,
    policy: PolicyDelta | Unavailable,
    cost: CostDelta | Unavailable,
    limit: int = GITHUB_COMMENT_LIMIT - _HEADROOM,
) -> str:
    """The Markdown comment, at most `limit` characters, trimming details and never the summary."""
    limits = _Limits(
        details=len(change_set.changes),
        creates=len(change_set.changes),
        diagram=True,
        risky=len(change_set.risky),
    )

    def render(candidate: _Limits) -> str:
        return _render(change_set, policy, cost, candidate)

    text = render(limits)
    if len(text) <= limit:
        return text
    # Shrink the least important section first; give up a section entirely before touching the next.
    for knob in ("details", "creates", "risky"):
        if knob == "risky":
            limits = replace(limits, diagram=False)
        current = limits

        def shrunk(count: int, knob: str = knob, current: _Limits = current) -> str:
            return render(_with_count(current, knob, count))

        fitting = _largest_fitting(shrunk, getattr(current, knob), limit)
        if fitting is not None:
            return shrunk(fitting)
        limits = _with_count(current, knob, 0)
    # The summary alone is too long (hundreds of long policy messages): its counts and totals stay, its
    # lists of rows get shorter, each still saying how many more the JSON report holds.
    rows = _largest_fitting(lambda count: render(replace(limits, summary_rows=count)), _SUMMARY_ROWS, limit)
    return render(replace(limits, summary_rows=rows or 0))


def _with_count(limits: _Limits, knob: str, count: int) -> _Limits:
    if knob == "details":
        return replace(limits, details=count)
    if knob == "creates":
        return replace(limits, creates=count)
    return replace(limits, risky=count)
