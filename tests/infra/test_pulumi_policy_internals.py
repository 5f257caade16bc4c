"""pulumi_policy's private names that infra/pulumi_policy_internals.py takes behave as the in-process
engine and the rules rely on (where they are and the version cap: test_private_name_listings.py)."""

from __future__ import annotations

import pytest
from pulumi_policy import PolicyCustomTimeouts, PolicyResourceOptions, ResourceValidationArgs

from infra import pulumi_policy_internals as internals
from infra.pulumi_wire import UNKNOWN as UNKNOWN_SENTINEL


def test_not_applicable_raises_the_error_the_engine_catches() -> None:
    options = PolicyResourceOptions(False, [], False, [], PolicyCustomTimeouts(0, 0, 0), [], None)
    args = ResourceValidationArgs(
        "aws:kms/key:Key", {}, "urn:pulumi:dev::p::aws:kms/key:Key::k", "k", options, None, {}
    )
    with pytest.raises(internals._NotApplicableError):
        args.not_applicable("not a key this policy reads")


def test_the_proxy_refuses_to_read_the_engines_unknown_value() -> None:
    assert internals.UNKNOWN_STRING_VALUE == UNKNOWN_SENTINEL  # what plans and real previews carry
    props = internals.unknown_checking_proxy({"known": 1, "later": internals.UNKNOWN_STRING_VALUE})
    assert props["known"] == 1
    with pytest.raises(internals.UnknownValueError):
        _ = props["later"]
