"""pulumi_policy's private names are where infra/pulumi_policy_internals.py takes them, behaving as the
in-process engine and the rules rely on, and pyproject.toml allows no newer pulumi-policy than proven."""

from __future__ import annotations

import pytest
from pulumi_policy import PolicyCustomTimeouts, PolicyResourceOptions, ResourceValidationArgs

from infra import pulumi_policy_internals as internals
from infra.toolkit.values import UNKNOWN_SENTINEL
from tests.infra.private_names import (
    REPOSITORY,
    check_pinned_to_proven,
    check_taken,
    modules_reaching_into,
    taken_names,
)

LISTING = REPOSITORY / "infra" / "pulumi_policy_internals.py"


@pytest.mark.parametrize(("module", "name"), taken_names(LISTING), ids=lambda part: str(part))
def test_each_private_name_is_where_the_listing_takes_it(module: str, name: str) -> None:
    check_taken("pulumi-policy", LISTING, module, name)


def test_no_other_module_reaches_into_the_sdks_modules() -> None:
    # Public names come from `pulumi_policy` itself; anything deeper is private and listed in one place.
    assert modules_reaching_into(("pulumi_policy",)) == {"infra/pulumi_policy_internals.py"}


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


def test_pulumi_policy_is_capped_at_the_version_proven() -> None:
    check_pinned_to_proven("pulumi-policy", internals.PROVEN_ON)
