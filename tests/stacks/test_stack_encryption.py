"""Encryption at rest and in transit, and the customer keys behind it."""

from __future__ import annotations

import json

import pytest

from infra.harness import StackRun
from infra.harness.mocks import ACCOUNT_ID
from infra.pulumi_wire import is_secret, reveal
from tests.stacks.audit import (
    ATLAS_ACCESS_AUTHORIZATION,
    ATLAS_ACCESS_SETUP,
    ATLAS_CLUSTER,
    ATLAS_ENCRYPTION,
    REDIS,
    rotating_customer_key,
)


def test_redis_encrypts_at_rest_and_in_transit_with_an_auth_token(run: StackRun) -> None:
    redis = run.one(REDIS).inputs
    assert redis["atRestEncryptionEnabled"] is True
    assert redis["transitEncryptionEnabled"] is True
    assert redis["transitEncryptionMode"] == "required"
    assert is_secret(redis["authToken"])
    assert len(reveal(redis["authToken"])) >= 32


def test_atlas_refuses_tls_below_1_2(run: StackRun) -> None:
    config = run.one(ATLAS_CLUSTER).inputs["advancedConfiguration"]
    assert config["minimumEnabledTlsProtocol"] == "TLS1_2"


def test_redis_encrypts_at_rest_with_its_own_rotating_customer_key(run: StackRun) -> None:
    key = rotating_customer_key(run, run.one(REDIS).inputs["kmsKeyId"])
    assert key.name == f"{run.stack}-redis-key"
    # Deleting the key would make the data and every snapshot unreadable: prod protects it too.
    assert key.options.protect is (run.stack == "prod")


def test_secrets_manager_uses_a_rotating_customer_key(run: StackRun) -> None:
    rotating_customer_key(run, run.one("aws:secretsmanager/secret:Secret").inputs["kmsKeyId"])


def test_kubernetes_secrets_are_envelope_encrypted_with_a_rotating_customer_key(run: StackRun) -> None:
    eks = run.one("aws:eks/cluster:Cluster").inputs
    (config,) = [eks["encryptionConfig"]]
    assert config["resources"] == ["secrets"]
    rotating_customer_key(run, config["provider"]["keyArn"])
    assert eks["version"] == "1.34"


def test_each_data_store_has_a_key_of_its_own(run: StackRun) -> None:
    keys = {k.outputs["keyId"]: k.outputs["arn"] for k in run.by_type("aws:kms/key:Key")}
    used = [
        run.one(REDIS).inputs["kmsKeyId"],
        run.one("aws:secretsmanager/secret:Secret").inputs["kmsKeyId"],
        run.one("aws:eks/cluster:Cluster").inputs["encryptionConfig"]["provider"]["keyArn"],
        *(keys[e.inputs["awsKmsConfig"]["customerMasterKeyId"]] for e in run.by_type(ATLAS_ENCRYPTION)),
    ]
    assert len(set(used)) == len(used) == (4 if run.stack == "prod" else 3)


def test_prod_atlas_encrypts_at_rest_with_its_own_rotating_customer_key(prod: StackRun) -> None:
    cluster, encryption = prod.one(ATLAS_CLUSTER), prod.one(ATLAS_ENCRYPTION)
    assert cluster.inputs["encryptionAtRestProvider"] == "AWS"
    # Atlas refuses a cluster that names a key provider its project has not configured yet.
    assert encryption.urn in cluster.dependencies
    kms = encryption.inputs["awsKmsConfig"]
    assert (kms["enabled"], kms["region"]) == (True, "US_EAST_1")
    keys = {k.outputs["keyId"]: k for k in prod.by_type("aws:kms/key:Key")}
    key = rotating_customer_key(prod, keys[kms["customerMasterKeyId"]].outputs["arn"])
    assert key.name == "taskapi-encryption-key"
    assert encryption.inputs["projectId"] == prod.one("mongodbatlas:index/project:Project").id


def test_only_atlas_presenting_the_projects_external_id_may_assume_the_key_role(prod: StackRun) -> None:
    setup = prod.one(ATLAS_ACCESS_SETUP)
    (atlas_side,) = setup.outputs["awsConfigs"]
    role = next(r for r in prod.by_type("aws:iam/role:Role") if r.name == "taskapi-encryption-atlas-role")
    (statement,) = json.loads(role.inputs["assumeRolePolicy"])["Statement"]
    assert statement["Principal"] == {"AWS": atlas_side["atlasAwsAccountArn"]}
    assert statement["Action"] == "sts:AssumeRole"
    assert statement["Condition"] == {
        "StringEquals": {"sts:ExternalId": atlas_side["atlasAssumedRoleExternalId"]}
    }
    authorization = prod.one(ATLAS_ACCESS_AUTHORIZATION).inputs
    assert authorization["roleId"] == setup.outputs["roleId"]
    assert authorization["aws"] == {"iamAssumedRoleArn": role.outputs["arn"]}
    assert prod.one(ATLAS_ENCRYPTION).inputs["awsKmsConfig"]["roleId"] == setup.outputs["roleId"]


def test_the_atlas_key_is_administered_by_the_account_and_only_used_by_the_atlas_role(prod: StackRun) -> None:
    role = next(r for r in prod.by_type("aws:iam/role:Role") if r.name == "taskapi-encryption-atlas-role")
    key = next(k for k in prod.by_type("aws:kms/key:Key") if k.name == "taskapi-encryption-key")
    statements = {s["Sid"]: s for s in json.loads(key.inputs["policy"])["Statement"]}
    assert statements["AccountAdministersTheKey"]["Principal"] == {"AWS": f"arn:aws:iam::{ACCOUNT_ID}:root"}
    atlas = statements["AtlasEncryptsWithTheKey"]
    assert atlas["Principal"] == {"AWS": role.outputs["arn"]}
    assert atlas["Action"] == ["kms:Encrypt", "kms:Decrypt", "kms:DescribeKey"]
    assert set(statements) == {"AccountAdministersTheKey", "AtlasEncryptsWithTheKey"}
    (use,) = [
        p
        for p in prod.by_type("aws:iam/rolePolicy:RolePolicy")
        if p.name == "taskapi-encryption-atlas-key-use"
    ]
    assert use.inputs["role"] == role.outputs["name"]
    (grant,) = json.loads(use.inputs["policy"])["Statement"]
    assert (grant["Action"], grant["Resource"]) == (atlas["Action"], key.outputs["arn"])


@pytest.mark.parametrize("stack", ["dev", "staging"])
def test_dev_and_staging_keep_atlas_managed_keys(stack_runs: dict[str, StackRun], stack: str) -> None:
    run = stack_runs[stack]
    assert "encryptionAtRestProvider" not in run.one(ATLAS_CLUSTER).inputs
    assert run.by_type(ATLAS_ENCRYPTION) == run.by_type(ATLAS_ACCESS_SETUP) == []
