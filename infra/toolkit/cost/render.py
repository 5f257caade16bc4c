"""The cost report as text or Markdown (jinja2 templates) and as JSON."""

from __future__ import annotations

import json
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from infra.toolkit.cost.estimator import CostReport
from infra.toolkit.report_templates import CENT, report_environment


def cents(amount: Decimal) -> float:
    """A JSON number rounded to the cent."""
    return float(amount.quantize(CENT, rounding=ROUND_HALF_UP))


def report_to_dict(report: CostReport) -> dict[str, Any]:
    """The report as JSON-ready data."""
    assumptions = report.table.assumptions
    oldest, newest = report.table.read_dates()
    return {
        "stack": report.stack,
        "currency": "USD",
        "monthlyTotal": cents(report.total_usd),
        "assumptions": {
            "hoursPerMonth": assumptions.hours_per_month,
            "region": assumptions.region,
            "notCounted": list(assumptions.not_counted),
            "pricesRead": [oldest.isoformat(), newest.isoformat()],
        },
        "resources": [
            {
                "urn": line.urn,
                "type": line.type,
                "name": line.name,
                "monthly": cents(line.monthly_usd),
                "basis": line.basis,
                "category": line.category,
            }
            for line in report.lines
        ],
        "unpriced": [
            {"urn": u.urn, "type": u.type, "name": u.name, "reason": u.reason} for u in report.unpriced
        ],
        "free": len(report.free),
        "guide": {
            "total": cents(report.table.guide.total),
            "source": report.table.guide.source,
            "comparison": [
                {
                    "category": row.category,
                    "guideItem": row.guide_item,
                    "guide": None if row.guide_usd is None else cents(row.guide_usd),
                    "stack": None if row.stack_usd is None else cents(row.stack_usd),
                    "unpriced": row.unpriced,
                }
                for row in report.guide_comparison()
            ],
        },
    }


def render_json(report: CostReport) -> str:
    """Stable JSON: sorted keys, two-space indent, trailing newline."""
    return json.dumps(report_to_dict(report), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def render_text(report: CostReport) -> str:
    """Tables for a terminal or a CI log (rich lays them out; long names wrap inside their column)."""
    from infra.toolkit.report_templates import stack_figure, usd
    from infra.toolkit.text_table import render, table

    assumptions = report.table.assumptions
    oldest, newest = report.table.read_dates()
    read = f"{oldest}" if oldest == newest else f"{oldest} to {newest}"
    lines = sorted(report.lines, key=lambda line: line.monthly_usd, reverse=True)
    per_resource = table(
        ("monthly", "resource", "basis"),
        [
            *((usd(line.monthly_usd), f"{line.type}::{line.name}", line.basis) for line in lines),
            (usd(report.total_usd), f"TOTAL ({_counts(report)})", ""),
        ],
        right=("monthly",),
    )
    parts: list[Any] = [
        f"Monthly cost estimate for stack {report.stack}: {usd(report.total_usd)}",
        f"({assumptions.hours_per_month} h/month, {assumptions.region} on-demand list prices read {read};"
        " see infra/toolkit/cost/prices.yaml)",
        "",
        per_resource,
    ]
    if report.unpriced:
        parts += [
            "",
            "Unpriced (not in the total):",
            *(f"  {u.type}::{u.name}: {u.reason}" for u in report.unpriced),
        ]
    guide_rows = [
        (
            row.category,
            row.guide_item or "(not in the guide)",
            usd(row.guide_usd),
            stack_figure(row.stack_usd, row.unpriced),
        )
        for row in report.guide_comparison()
    ]
    guide_rows.append(("total", "", usd(report.table.guide.total), usd(report.total_usd)))
    parts += [
        "",
        f"Beside the guide's estimate ({usd(report.table.guide.total)}/month):",
        table(
            ("category", "guide", "guide $", "this stack $"), guide_rows, right=("guide $", "this stack $")
        ),
        "(— : no resource of this stack bills to that line.)",
        "",
        f"Not counted: {'; '.join(assumptions.not_counted)}.",
    ]
    return render(*parts)


def _counts(report: CostReport) -> str:
    return f"{len(report.lines)} priced, {len(report.free)} free, {len(report.unpriced)} unpriced"


def render_markdown(report: CostReport) -> str:
    """GitHub-flavoured Markdown for a pull-request comment or a job summary."""
    return (
        report_environment().get_template("cost.md.j2").render(report=report, dates=report.table.read_dates())
    )
