"""The props a policy reads of a plan resource are what the analyzer's unknown-checking proxy gives."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from infra.pulumi_policy_internals import UNKNOWN_STRING_VALUE, UnknownValueError, unknown_checking_proxy
from infra.toolkit.policy.inputs import PlanInputs
from tests.infra.policy.policy_plans import make_plan, resource


def _engine_value(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _engine_value(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_engine_value(v) for v in value]
    return UNKNOWN_STRING_VALUE if value == "[unknown]" else value


def _read_all(value: Any) -> Any:
    """Everything a policy can read through a proxy: values, types, and each unknown's error."""
    if isinstance(value, Mapping):
        return ("mapping", len(value), [(key, _read_one(value, key)) for key in value])
    if isinstance(value, Sequence) and not isinstance(value, str):
        return ("sequence", len(value), [_read_one(value, index) for index in range(len(value))])
    return (type(value).__name__, value)


def _read_one(container: Any, key: Any) -> Any:
    try:
        return _read_all(container[key])
    except UnknownValueError as error:
        return ("unknown", error.message, error.props)


def test_the_props_are_what_the_analyzers_proxy_gives_over_the_engines_values() -> None:
    inputs = {
        "name": "cache",
        "port": 6379,
        "later": "[unknown]",
        "nested": {"list": [1, "[unknown]", {"deep": "[unknown]", "known": [True, None, 2.5]}], "empty": {}},
        "items": [[], ["[unknown]"], [{"x": "y"}]],
    }
    plan = make_plan(resource("aws:ec2/vpc:Vpc", "vpc", inputs))
    vpc = next(r for r in plan.resources if r.type == "aws:ec2/vpc:Vpc")

    ours = PlanInputs(plan).props(vpc)
    analyzers = unknown_checking_proxy(_engine_value(dict(vpc.inputs)))

    assert _read_all(ours) == _read_all(analyzers)
    assert _read_one(ours["nested"]["list"][2], "deep") == (
        "unknown",
        "string value at .nested.list.2.deep can't be known during preview",
        ["nested", "list", "2", "deep"],
    )
