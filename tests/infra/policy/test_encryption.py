"""Encryption policies fire on unencrypted stores and stay quiet on encrypted ones."""

from __future__ import annotations

import pytest

from tests.infra.policy.policy_plans import (
    REPLICATION_GROUP,
    TAGS,
    atlas_inputs,
    redis_inputs,
    resource,
    violations,
)

SECRET = "aws:secretsmanager/secret:Secret"


def test_encrypted_redis_passes_the_encryption_policy() -> None:
    assert (
        violations(resource(REPLICATION_GROUP, "redis", redis_inputs()), policy="elasticache-encryption")
        == []
    )


@pytest.mark.parametrize("setting", ["atRestEncryptionEnabled", "transitEncryptionEnabled"])
@pytest.mark.parametrize("value", [False, None])
def test_redis_without_explicit_encryption_is_a_mandatory_violation(setting: str, value: bool | None) -> None:
    found = violations(
        resource(REPLICATION_GROUP, "redis", redis_inputs(**{setting: value})),
        policy="elasticache-encryption",
    )
    assert [(v.enforcement, v.message.split(" ")[0]) for v in found] == [("mandatory", setting)]


def test_secret_without_a_kms_key_is_flagged_and_with_one_is_not() -> None:
    bare = resource(SECRET, "jwt", {"name": "prod/taskapi", "tags": TAGS})
    keyed = resource(SECRET, "jwt2", {"name": "prod/taskapi", "kmsKeyId": "[unknown]", "tags": TAGS})
    found = violations(bare, keyed, policy="secretsmanager-kms-key")
    assert [v.urn.rsplit("::", 1)[1] for v in found] == ["jwt"]


def test_atlas_encryption_provider_none_is_flagged() -> None:
    on = resource("mongodbatlas:index/advancedCluster:AdvancedCluster", "db", atlas_inputs())
    off = resource(
        "mongodbatlas:index/advancedCluster:AdvancedCluster",
        "db2",
        atlas_inputs(encryptionAtRestProvider="NONE"),
    )
    found = violations(on, off, policy="atlas-encryption-at-rest")
    assert [v.urn.rsplit("::", 1)[1] for v in found] == ["db2"]


def test_atlas_project_encryption_switched_off_is_flagged() -> None:
    disabled = resource(
        "mongodbatlas:index/encryptionAtRest:EncryptionAtRest",
        "ear",
        {"projectId": "p", "awsKmsConfig": {"enabled": False, "region": "US_EAST_1"}},
    )
    assert len(violations(disabled, policy="atlas-encryption-at-rest")) == 1


def test_kms_key_without_rotation_is_only_advisory() -> None:
    found = violations(resource("aws:kms/key:Key", "key", {"tags": TAGS}), policy="kms-key-rotation")
    assert [v.enforcement for v in found] == ["advisory"]
    assert (
        violations(
            resource("aws:kms/key:Key", "key", {"enableKeyRotation": True, "tags": TAGS}),
            policy="kms-key-rotation",
        )
        == []
    )
