"""The policy report as text (a jinja2 template) and as JSON."""

from __future__ import annotations

import json
from typing import Any

from infra.toolkit.policy.engine import PolicyReport
from infra.toolkit.report_templates import report_environment


def report_to_dict(report: PolicyReport) -> dict[str, Any]:
    """The report as JSON-ready data."""
    return {
        "stack": report.stack,
        "passed": report.passed,
        "summary": {
            "policies": len(report.policies),
            "resources": report.resources,
            "mandatory": len(report.mandatory),
            "advisory": len(report.advisory),
            "notChecked": len(report.not_checked),
            "waived": len(report.waived),
        },
        "violations": [
            {"policy": v.policy, "enforcement": v.enforcement, "urn": v.urn, "message": v.message}
            for v in report.violations
        ],
        "notChecked": [{"policy": n.policy, "urn": n.urn, "reason": n.reason} for n in report.not_checked],
        "waived": [
            {
                "policy": w.violation.policy,
                "enforcement": w.violation.enforcement,
                "urn": w.violation.urn,
                "message": w.violation.message,
                "reason": w.reason,
            }
            for w in report.waived
        ],
    }


def render_json(report: PolicyReport) -> str:
    """Stable JSON: sorted keys, two-space indent, trailing newline."""
    return json.dumps(report_to_dict(report), indent=2, sort_keys=True) + "\n"


def render_text(report: PolicyReport) -> str:
    """A table a person reads in a terminal or a CI log."""
    return report_environment().get_template("policy.txt.j2").render(report=report)
