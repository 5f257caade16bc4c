"""Plans written as the JSON a preview produces and read through the real plan model (policy, cost tests).

Resource inputs are as the real SDKs register them; the builders in tests/infra/toolkit/plans.py make
model objects directly instead, for the diff tests.
"""

from __future__ import annotations

import copy
from typing import Any

from infra.toolkit.plan import Plan, plan_from_data

PROJECT = "primetradeai"


def urn(stack: str, type_: str, name: str) -> str:
    return f"urn:pulumi:{stack}::{PROJECT}::{type_}::{name}"


def resource(
    type_: str,
    name: str,
    inputs: dict[str, Any] | None = None,
    *,
    stack: str = "prod",
    custom: bool = True,
    protect: bool = False,
    rendered: bool = False,
    property_dependencies: dict[str, list[str]] | None = None,
    provider: str | None = None,
    dependencies: list[str] | None = None,
) -> dict[str, Any]:
    """One resource of a plan; `custom=False` for components, the stack and other non-cloud resources.
    `dependencies` defaults to every URN named in `property_dependencies`, as the SDK registers them."""
    named = [u for urns in (property_dependencies or {}).values() for u in urns]
    return {
        "urn": urn(stack, type_, name),
        "type": type_,
        "name": name,
        "custom": custom,
        "inputs": copy.deepcopy(inputs or {}),
        "options": {"protect": protect},
        "rendered": rendered,
        "propertyDependencies": property_dependencies or {},
        "dependencies": list(dict.fromkeys(named)) if dependencies is None else dependencies,
        "provider": provider,
    }


def make_plan(*resources: dict[str, Any], stack: str = "prod") -> Plan:
    return plan_from_data(
        {
            "format": "primetradeai-plan",
            "version": 1,
            "project": PROJECT,
            "stack": stack,
            "resources": list(resources),
        },
        "test plan",
    )


def atlas_replica_set(instance_size: str = "M10", members: int = 3) -> list[dict[str, Any]]:
    """`replicationSpecs` of an Atlas cluster: one replica set in one AWS region."""
    return [
        {
            "regionConfigs": [
                {
                    "providerName": "AWS",
                    "regionName": "US_EAST_1",
                    "priority": 7,
                    "electableSpecs": {"instanceSize": instance_size, "nodeCount": members},
                }
            ]
        }
    ]
