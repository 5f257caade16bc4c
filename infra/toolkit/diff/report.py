"""The diff as JSON (`--format json`): the same facts as the comment, untrimmed, with stable bytes."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any, Final

from infra.toolkit.diff.checks import CostDelta, PolicyDelta, Unavailable
from infra.toolkit.diff.model import Change, ChangeSet

DIFF_FORMAT: Final = "primetradeai-diff"


def _change(change: Change) -> dict[str, Any]:
    return {
        "urn": change.urn,
        "type": change.type,
        "name": change.name,
        "op": change.op,
        "protected": change.protected,
        "replaceReasons": list(change.replace_reasons),
        "deleteBeforeReplace": change.delete_before_replace,
        "retainOnDelete": change.retain_on_delete,
        "renamedFrom": change.renamed_from,
        "rendered": change.rendered,
        "source": change.source,
        "properties": [
            {
                "path": p.path,
                "kind": p.kind,
                "old": p.old,
                "new": p.new,
                "forcesReplacement": p.forces_replacement,
            }
            for p in change.properties
        ],
        "optionChanges": [{"option": p.path, "old": p.old, "new": p.new} for p in change.option_changes],
    }


def _policy(policy: PolicyDelta | Unavailable) -> dict[str, Any]:
    if isinstance(policy, Unavailable):
        return {"evaluated": False, "reason": policy.reason}
    return {
        "evaluated": True,
        "new": [asdict(finding) for finding in policy.new],
        "newMandatory": len(policy.new_mandatory),
        "fixed": policy.fixed,
        "headTotal": policy.head_total,
    }


def _cost(cost: CostDelta | Unavailable) -> dict[str, Any]:
    if isinstance(cost, Unavailable):
        return {"evaluated": False, "reason": cost.reason}
    return {
        "evaluated": True,
        "currency": "USD",
        "period": "month",
        "baseTotal": round(cost.base_total, 2),
        "headTotal": round(cost.head_total, 2),
        "delta": round(cost.delta, 2),
        "changes": [{"urn": line.urn, "base": line.base, "head": line.head} for line in cost.lines],
        "unpriced": list(cost.unpriced),
    }


def diff_report(
    change_set: ChangeSet, policy: PolicyDelta | Unavailable, cost: CostDelta | Unavailable
) -> dict[str, Any]:
    """The whole diff as JSON-ready data."""
    return {
        "format": DIFF_FORMAT,
        "version": 1,
        "stack": change_set.stack,
        "base": {"label": change_set.base.label, "kind": change_set.base.kind},
        "head": {"label": change_set.head.label, "kind": change_set.head.kind},
        "counts": dict(change_set.counts),
        "changes": [_change(change) for change in change_set.changes],
        "protectedTouched": [change.urn for change in change_set.protected_touched],
        "protectedAtRisk": [change.urn for change in change_set.protected_at_risk],
        "protectedUpdated": [change.urn for change in change_set.protected_updated],
        "secretsMayChange": [{"urn": urn, "path": path} for urn, path in change_set.secrets_may_change],
        "policy": _policy(policy),
        "cost": _cost(cost),
        "notes": list(dict.fromkeys(change_set.notes)),
    }


def dump_report(report: dict[str, Any]) -> str:
    """Stable JSON text of a report."""
    return json.dumps(report, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
