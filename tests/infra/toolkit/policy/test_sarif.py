"""`policy --format sarif`: a SARIF 2.1.0 log a code scanner reads, waived violations marked suppressed."""

from __future__ import annotations

import json
from typing import Any

import jsonschema

from infra.config.schema import PolicySuppression
from infra.toolkit.plan import Plan
from infra.toolkit.policy.engine import run_policies
from infra.toolkit.policy.sarif import render_sarif
from tests.infra.policy.policy_plans import REPLICATION_GROUP, make_plan, redis_inputs, resource

# The parts of the OASIS SARIF 2.1.0 schema (sarif-schema-2.1.0.json) a log must satisfy to be read by
# GitHub code scanning: required properties, enumerations and shapes, closed where the standard is.
_MESSAGE = {"type": "object", "anyOf": [{"required": ["text"]}, {"required": ["id"]}]}
_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["version", "runs"],
    "properties": {
        "version": {"enum": ["2.1.0"]},
        "$schema": {"type": "string", "format": "uri"},
        "runs": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["tool"],
                "properties": {
                    "tool": {
                        "type": "object",
                        "required": ["driver"],
                        "properties": {
                            "driver": {
                                "type": "object",
                                "required": ["name"],
                                "properties": {
                                    "name": {"type": "string"},
                                    "rules": {
                                        "type": "array",
                                        "items": {
                                            "type": "object",
                                            "required": ["id"],
                                            "properties": {"shortDescription": _MESSAGE},
                                        },
                                    },
                                },
                            }
                        },
                    },
                    "results": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["message"],
                            "properties": {
                                "ruleId": {"type": "string"},
                                "ruleIndex": {"type": "integer", "minimum": -1},
                                "level": {"enum": ["none", "note", "warning", "error"]},
                                "message": _MESSAGE,
                                "locations": {
                                    "type": "array",
                                    "items": {
                                        "type": "object",
                                        "properties": {
                                            "physicalLocation": {
                                                "type": "object",
                                                "properties": {
                                                    "artifactLocation": {
                                                        "type": "object",
                                                        "properties": {"uri": {"type": "string"}},
                                                    }
                                                },
                                            },
                                            "logicalLocations": {"type": "array", "minItems": 0},
                                        },
                                    },
                                },
                                "suppressions": {
                                    "type": "array",
                                    "items": {
                                        "type": "object",
                                        "required": ["kind"],
                                        "properties": {
                                            "kind": {"enum": ["inSource", "external"]},
                                            "justification": {"type": "string"},
                                        },
                                    },
                                },
                            },
                        },
                    },
                },
            },
        },
    },
}


def _plan() -> Plan:
    plaintext = redis_inputs(transitEncryptionEnabled=False)
    return make_plan(
        resource(REPLICATION_GROUP, "redis", plaintext, protect=True),
        resource(REPLICATION_GROUP, "sessions", plaintext, protect=True),
    )


def test_the_sarif_log_is_valid_and_has_one_result_per_violation_with_its_rule() -> None:
    report = run_policies(_plan())

    log = json.loads(render_sarif(report))
    jsonschema.validate(log, _SCHEMA)
    (run,) = log["runs"]
    rules = run["tool"]["driver"]["rules"]

    assert log["version"] == "2.1.0"
    assert len(run["results"]) == len(report.violations) == 2
    assert [r["id"] for r in rules] == list(report.policies)
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["locations"][0]["logicalLocations"][0]["name"] in ("redis", "sessions")
    assert {(r["ruleId"], r["level"]) for r in run["results"]} == {("elasticache-encryption", "error")}


def test_a_waived_violation_is_a_suppressed_result_with_its_reason() -> None:
    waiver = PolicySuppression(policy="elasticache-encryption", resource="redis", reason="sidecar TLS")
    report = run_policies(_plan(), suppressions=(waiver,))

    log = json.loads(render_sarif(report))
    jsonschema.validate(log, _SCHEMA)
    results = log["runs"][0]["results"]
    suppressed = [r for r in results if "suppressions" in r]

    assert len(results) == 2
    assert [r["locations"][0]["logicalLocations"][0]["name"] for r in suppressed] == ["redis"]
    assert suppressed[0]["suppressions"] == [{"kind": "external", "justification": "sidecar TLS"}]
