"""The plain functions behind the customer key for Atlas: region naming, trust, key and role policies."""

from __future__ import annotations

import json

import pytest
from pulumi_mongodbatlas.outputs import CloudProviderAccessSetupAwsConfig

from infra.components.atlas_encryption import (
    KEY_ACTIONS,
    _first_aws_config,
    atlas_region_name,
    atlas_trust_policy,
    key_policy,
    key_use_policy,
)

ATLAS = "arn:aws:iam::210987654321:root"
ROLE = "arn:aws:iam::123456789012:role/atlas"
KEY = "arn:aws:kms:us-east-1:123456789012:key/1234abcd"


@pytest.mark.parametrize(("aws", "atlas"), [("us-east-1", "US_EAST_1"), ("eu-west-2", "EU_WEST_2")])
def test_the_key_region_is_given_to_atlas_in_its_own_spelling(aws: str, atlas: str) -> None:
    assert atlas_region_name(aws) == atlas


def test_only_atlas_with_the_projects_external_id_may_assume_the_role() -> None:
    (statement,) = json.loads(atlas_trust_policy(ATLAS, "ext-42"))["Statement"]
    assert statement == {
        "Effect": "Allow",
        "Principal": {"AWS": ATLAS},
        "Action": "sts:AssumeRole",
        "Condition": {"StringEquals": {"sts:ExternalId": "ext-42"}},
    }


def test_the_key_policy_keeps_the_account_in_charge_and_gives_the_atlas_role_three_actions() -> None:
    account, atlas = json.loads(key_policy("123456789012", ROLE))["Statement"]
    assert (account["Principal"], account["Action"]) == ({"AWS": "arn:aws:iam::123456789012:root"}, "kms:*")
    assert (atlas["Principal"], atlas["Action"]) == (
        {"AWS": ROLE},
        ["kms:Encrypt", "kms:Decrypt", "kms:DescribeKey"],
    )


def test_the_role_may_use_this_key_only_and_never_administer_it() -> None:
    (statement,) = json.loads(key_use_policy(KEY))["Statement"]
    assert statement == {"Effect": "Allow", "Action": list(KEY_ACTIONS), "Resource": KEY}
    assert not any(
        action in KEY_ACTIONS for action in ("kms:*", "kms:PutKeyPolicy", "kms:ScheduleKeyDeletion")
    )


def test_atlas_answering_without_an_aws_configuration_is_an_error_not_an_empty_trust_policy() -> None:
    with pytest.raises(ValueError, match="Atlas returned no AWS configuration"):
        _first_aws_config([])
    config = CloudProviderAccessSetupAwsConfig(
        atlas_aws_account_arn=ATLAS, atlas_assumed_role_external_id="x"
    )
    assert _first_aws_config([config]).atlas_aws_account_arn == ATLAS
