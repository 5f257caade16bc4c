"""Values from the mock runtime or a real preview become plan values, and no secret survives."""

from __future__ import annotations

from infra.pulumi_wire import OUTPUT_VALUE_SIG, RESOURCE_SIG, SIG_KEY, secret
from infra.pulumi_wire import UNKNOWN as UNKNOWN_SENTINEL
from infra.toolkit.plan import SECRET, UNKNOWN
from infra.toolkit.values import plan_value, redact_named


def test_a_secret_anywhere_in_a_value_becomes_the_placeholder() -> None:
    value = {"env": [{"name": "TOKEN", "value": secret("s3cr3t-value")}], "plain": "ok"}

    assert plan_value(value) == {"env": [{"name": "TOKEN", "value": SECRET}], "plain": "ok"}


def test_the_unknown_sentinel_becomes_unknown() -> None:
    assert plan_value({"id": UNKNOWN_SENTINEL}) == {"id": UNKNOWN}


def test_whole_floats_become_integers_and_fractions_stay() -> None:
    assert plan_value([3.0, 0.5, True, None]) == [3, 0.5, True, None]
    assert isinstance(plan_value(6379.0), int)


def test_an_output_value_marked_secret_is_a_secret() -> None:
    assert plan_value({SIG_KEY: OUTPUT_VALUE_SIG, "value": "visible?", "secret": True}) == SECRET
    assert plan_value({SIG_KEY: OUTPUT_VALUE_SIG, "value": 2.0}) == 2
    assert plan_value({SIG_KEY: OUTPUT_VALUE_SIG}) == UNKNOWN


def test_a_resource_reference_becomes_the_referenced_urn() -> None:
    reference = {SIG_KEY: RESOURCE_SIG, "urn": "urn:mock", "id": "x"}

    assert plan_value(reference, lambda urn: urn.replace("mock", "real")) == "urn:real"


def test_inputs_declared_as_secret_outputs_are_redacted_by_name() -> None:
    assert redact_named({"result": "plain", "length": 8}, ("result",)) == {"result": SECRET, "length": 8}
