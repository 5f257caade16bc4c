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
    """Tables a person reads in a terminal or a CI log (rich lays them out; long names wrap)."""
    from infra.toolkit.report_templates import urn_resource as short_urn
    from infra.toolkit.text_table import render, table

    headers = ("level", "policy", "resource", "message")
    parts: list[str | Any] = [
        f"Policy pack primetradeai on stack {report.stack}: {len(report.policies)} policies,"
        f" {report.resources} resources"
    ]
    if report.violations:
        ordered = sorted(report.violations, key=lambda v: v.enforcement != "mandatory")
        parts += [
            "",
            table(headers, [(v.enforcement, v.policy, short_urn(v.urn), v.message) for v in ordered]),
        ]
    if report.waived:
        rows = [
            (
                w.violation.enforcement,
                w.violation.policy,
                short_urn(w.violation.urn),
                w.violation.message,
                w.reason,
            )
            for w in report.waived
        ]
        parts += ["", "Waived by a suppression (listed, not counted):", table((*headers, "reason"), rows)]
    if report.not_checked:
        rows = [(n.policy, short_urn(n.urn), n.reason) for n in report.not_checked]  # type: ignore[misc]
        parts += [
            "",
            "Not checked (values unknown until apply):",
            table(("policy", "resource", "reason"), rows),
        ]
    parts += ["", _verdict(report)]
    return render(*parts)


def _verdict(report: PolicyReport) -> str:
    waived = f", {len(report.waived)} waived" if report.waived else ""
    return (
        f"{'PASSED' if report.passed else 'FAILED'}: {len(report.mandatory)} mandatory,"
        f" {len(report.advisory)} advisory violation(s), {len(report.not_checked)} not checked{waived}."
    )


def render_markdown(report: PolicyReport) -> str:
    """GitHub-flavoured Markdown for a pull-request comment or a job summary."""
    return report_environment().get_template("policy.md.j2").render(report=report, verdict=_verdict(report))
