"""The policy report as SARIF 2.1.0 (`policy --format sarif`), for code scanning.

One rule per policy of the pack, one result per violation: `error` for mandatory, `warning` for
advisory. A waived violation stays a result, with an external suppression carrying its reason, so a
scanner shows it as suppressed rather than losing it. Each result points at the stack file (the part of
the repository a resource comes from) and names the resource by its URN as a logical location.
"""

from __future__ import annotations

import json
from typing import Final

from pulumi_policy import Policy
from sarif_pydantic import (
    ArtifactLocation,
    Level,
    Location,
    LogicalLocation,
    Message,
    PhysicalLocation,
    ReportingDescriptor,
    Result,
    Run,
    Sarif,
    Tool,
    ToolDriver,
)

from infra.policy import PACK_NAME, POLICIES
from infra.toolkit.policy.engine import PolicyReport, Violation

SARIF_SCHEMA: Final = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVELS: Final = {"mandatory": Level.ERROR, "advisory": Level.WARNING}


def _rule(policy: Policy) -> ReportingDescriptor:
    return ReportingDescriptor(
        id=policy.name,
        short_description=Message(text=policy.description),
        properties={
            "enforcement": str(policy.enforcement_level.value if policy.enforcement_level else "advisory")
        },
    )


def _result(violation: Violation, rule_index: int, stack_file: str, reason: str | None) -> Result:
    location = Location(
        physical_location=PhysicalLocation(artifact_location=ArtifactLocation(uri=stack_file)),
        logical_locations=[
            LogicalLocation(
                name=violation.urn.rsplit("::", 1)[-1], fully_qualified_name=violation.urn, kind="resource"
            )
        ],
    )
    extra = {} if reason is None else {"suppressions": [{"kind": "external", "justification": reason}]}
    return Result(
        rule_id=violation.policy,
        rule_index=rule_index,
        level=_LEVELS[violation.enforcement],
        message=Message(text=violation.message),
        locations=[location],
        **extra,
    )


def render_sarif(report: PolicyReport) -> str:
    """The report as a SARIF 2.1.0 log with one run."""
    policies = [policy for policy in POLICIES if policy.name in report.policies]
    index = {policy.name: position for position, policy in enumerate(policies)}
    stack_file = f"Pulumi.{report.stack}.yaml"
    results = [_result(v, index[v.policy], stack_file, None) for v in report.violations]
    results += [_result(w.violation, index[w.violation.policy], stack_file, w.reason) for w in report.waived]
    driver = ToolDriver(name=f"primetradeai-policy ({PACK_NAME} pack)", rules=[_rule(p) for p in policies])
    log = Sarif(
        version="2.1.0",
        schema_uri=SARIF_SCHEMA,
        runs=[Run(tool=Tool(driver=driver), results=results)],
    )
    data = log.model_dump(mode="json", by_alias=True, exclude_none=True)
    return json.dumps(data, indent=2, sort_keys=True) + "\n"
