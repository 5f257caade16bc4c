"""Encryption policies fire on unencrypted stores and stay quiet on encrypted ones."""

from __future__ import annotations

import pytest

from infra.toolkit.policy import run_policies
from tests.infra.policy.policy_plans import (
    REPLICATION_GROUP,
    TAGS,
    atlas_inputs,
    make_plan,
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


ADVANCED_CLUSTER = "mongodbatlas:index/advancedCluster:AdvancedCluster"
ENCRYPTION_AT_REST = "mongodbatlas:index/encryptionAtRest:EncryptionAtRest"
PROJECT = "mongodbatlas:index/project:Project"
KMS_KEY = "aws:kms/key:Key"


def _customer_keyed_project(
    *,
    stack: str = "prod",
    provider: str | None = "AWS",
    kms: dict[str, object] | None = None,
    key_in_stack: bool = True,
    cluster_waits: bool = True,
    encryption_project: str = "project",
) -> list[dict[str, object]]:
    """An Atlas project as the program registers it: project, key, encryption at rest, then the cluster."""
    project = resource(PROJECT, "project", {"orgId": "o", "name": "p"}, stack=stack)
    other = resource(PROJECT, "other", {"orgId": "o", "name": "q"}, stack=stack)
    key = resource(KMS_KEY, "key", {"enableKeyRotation": True, "tags": TAGS}, stack=stack)
    projects = {"project": project["urn"], "other": other["urn"]}
    encryption = resource(
        ENCRYPTION_AT_REST,
        "at-rest",
        {
            "projectId": "[unknown]",
            "awsKmsConfig": kms
            or {
                "enabled": True,
                "customerMasterKeyId": "[unknown]",
                "region": "US_EAST_1",
                "roleId": "[unknown]",
            },
        },
        stack=stack,
        property_dependencies={
            "projectId": [projects[encryption_project]],
            "awsKmsConfig": [key["urn"]] if key_in_stack else [],
        },
    )
    cluster = resource(
        ADVANCED_CLUSTER,
        "db",
        atlas_inputs(encryptionAtRestProvider=provider),
        stack=stack,
        protect=True,
        property_dependencies={"projectId": [project["urn"]]},
        dependencies=[project["urn"], *([encryption["urn"]] if cluster_waits else [])],
    )
    return [project, other, key, encryption, cluster]


def _customer_key_messages(plan: list[dict[str, object]], stack: str = "prod") -> list[tuple[str, str]]:
    return [
        (v.enforcement, v.message) for v in violations(*plan, stack=stack, policy="prod-atlas-customer-key")
    ]


def test_prod_cluster_on_the_stacks_own_kms_key_passes_with_the_key_id_still_unknown() -> None:
    report = run_policies(make_plan(*_customer_keyed_project()))
    assert [v for v in report.violations if v.policy == "prod-atlas-customer-key"] == []
    assert [n for n in report.not_checked if n.policy == "prod-atlas-customer-key"] == []


@pytest.mark.parametrize("provider", [None, "NONE", "GCP"])
def test_prod_cluster_not_on_provider_aws_is_a_mandatory_violation(provider: str | None) -> None:
    found = _customer_key_messages(_customer_keyed_project(provider=provider))
    assert [(level, message.split(":")[0]) for level, message in found] == [
        ("mandatory", f"encryptionAtRestProvider is {provider or 'not set'}")
    ]


@pytest.mark.parametrize(
    ("setup", "reason"),
    [
        pytest.param(
            {"kms": {"enabled": False, "customerMasterKeyId": "k"}}, "no EncryptionAtRest", id="disabled"
        ),
        pytest.param(
            {"kms": {"enabled": True, "region": "US_EAST_1"}}, "no EncryptionAtRest", id="no key id"
        ),
        pytest.param({"key_in_stack": False}, "no EncryptionAtRest", id="a key from outside the stack"),
        pytest.param({"encryption_project": "other"}, "no EncryptionAtRest", id="another project's"),
        pytest.param({"cluster_waits": False}, "the cluster does not depend", id="cluster created first"),
    ],
)
def test_prod_cluster_without_a_usable_customer_key_is_a_mandatory_violation(
    setup: dict[str, object], reason: str
) -> None:
    found = _customer_key_messages(_customer_keyed_project(**setup))  # type: ignore[arg-type]
    assert [(level, message.startswith(reason)) for level, message in found] == [("mandatory", True)]


def test_prod_cluster_with_no_encryption_at_rest_resource_at_all_is_a_mandatory_violation() -> None:
    plan = [r for r in _customer_keyed_project() if r["type"] != ENCRYPTION_AT_REST]
    found = _customer_key_messages(plan)
    assert [level for level, _ in found] == ["mandatory"]
    assert found[0][1].startswith("no EncryptionAtRest in the cluster's project")


def test_outside_prod_atlas_managed_keys_are_allowed() -> None:
    plan = [r for r in _customer_keyed_project(stack="dev", provider=None) if r["type"] != ENCRYPTION_AT_REST]
    assert _customer_key_messages(plan, stack="dev") == []
