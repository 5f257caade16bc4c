"""The account bootstrap, against moto's AWS."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws
from mypy_boto3_iam import IAMClient
from mypy_boto3_kms import KMSClient
from mypy_boto3_s3 import S3Client

from infra.bootstrap.__main__ import main
from infra.bootstrap.backend import DEFAULT_KEY_ALIAS, ensure_state_backend
from infra.bootstrap.ci import DEPLOY_ROLE, PREVIEW_ROLE, ensure_ci_roles

REGION = "eu-west-1"
BUCKET = "primetradeai-pulumi-state-test"


@pytest.fixture
def managed_policies() -> bool:
    """A real account has AWS managed policies (ReadOnlyAccess...); moto loads them on request."""
    return True


@pytest.fixture(autouse=True)
def aws(monkeypatch: pytest.MonkeyPatch, managed_policies: bool) -> Iterator[None]:
    for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    with mock_aws(config={"iam": {"load_aws_managed_policies": managed_policies}}):
        yield


def _document(value: object) -> dict[str, Any]:
    """An IAM policy document, which boto3 returns decoded or as JSON text depending on the call."""
    decoded = json.loads(value) if isinstance(value, str) else json.loads(json.dumps(value))
    assert isinstance(decoded, dict)
    return decoded


@pytest.fixture
def s3() -> S3Client:
    return boto3.client("s3", region_name=REGION)


@pytest.fixture
def kms() -> KMSClient:
    return boto3.client("kms", region_name=REGION)


@pytest.fixture
def iam() -> IAMClient:
    return boto3.client("iam", region_name=REGION)


def test_the_state_bucket_is_versioned_encrypted_private_and_tls_only(s3: S3Client, kms: KMSClient) -> None:
    backend = ensure_state_backend(s3, kms, BUCKET, REGION)
    assert s3.get_bucket_versioning(Bucket=BUCKET)["Status"] == "Enabled"
    (rule,) = s3.get_bucket_encryption(Bucket=BUCKET)["ServerSideEncryptionConfiguration"]["Rules"]
    assert rule["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"] == "aws:kms"
    assert rule["ApplyServerSideEncryptionByDefault"]["KMSMasterKeyID"] == backend.key_arn
    block = s3.get_public_access_block(Bucket=BUCKET)["PublicAccessBlockConfiguration"]
    assert all(block.values())
    policy = json.loads(s3.get_bucket_policy(Bucket=BUCKET)["Policy"])
    assert policy["Statement"][0]["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
    assert s3.get_bucket_location(Bucket=BUCKET)["LocationConstraint"] == REGION


def test_the_secrets_key_rotates_and_is_named_as_the_stack_files_expect(s3: S3Client, kms: KMSClient) -> None:
    backend = ensure_state_backend(s3, kms, BUCKET, REGION)
    key = kms.describe_key(KeyId=DEFAULT_KEY_ALIAS)["KeyMetadata"]
    assert key["Arn"] == backend.key_arn
    assert kms.get_key_rotation_status(KeyId=key["KeyId"])["KeyRotationEnabled"] is True
    assert backend.secrets_provider == f"awskms://{DEFAULT_KEY_ALIAS}?region={REGION}"
    assert backend.login_url == f"s3://{BUCKET}?region={REGION}"


def test_running_it_twice_changes_nothing(s3: S3Client, kms: KMSClient) -> None:
    first = ensure_state_backend(s3, kms, BUCKET, REGION)
    second = ensure_state_backend(s3, kms, BUCKET, REGION)
    assert first == second
    assert len(kms.list_keys()["Keys"]) == 1


def test_old_state_versions_expire_after_ninety_days(s3: S3Client, kms: KMSClient) -> None:
    ensure_state_backend(s3, kms, BUCKET, REGION)
    (rule,) = s3.get_bucket_lifecycle_configuration(Bucket=BUCKET)["Rules"]
    assert rule["NoncurrentVersionExpiration"]["NoncurrentDays"] == 90


def test_ci_roles_trust_only_this_repository(s3: S3Client, kms: KMSClient, iam: IAMClient) -> None:
    backend = ensure_state_backend(s3, kms, BUCKET, REGION)
    roles = ensure_ci_roles(iam, "primetradeai/platform", backend.key_arn)
    preview = iam.get_role(RoleName=PREVIEW_ROLE)["Role"]
    deploy = iam.get_role(RoleName=DEPLOY_ROLE)["Role"]
    assert roles.preview_role_arn == preview["Arn"]
    preview_trust = preview["AssumeRolePolicyDocument"]
    deploy_trust = deploy["AssumeRolePolicyDocument"]
    (statement,) = _document(preview_trust)["Statement"]
    assert statement["Condition"]["StringLike"]["token.actions.githubusercontent.com:sub"] == [
        "repo:primetradeai/platform:*"
    ]
    (statement,) = _document(deploy_trust)["Statement"]
    assert statement["Condition"]["StringLike"]["token.actions.githubusercontent.com:sub"] == [
        "repo:primetradeai/platform:environment:dev",
        "repo:primetradeai/platform:environment:staging",
        "repo:primetradeai/platform:environment:prod",
    ]


def test_the_preview_role_is_read_only(s3: S3Client, kms: KMSClient, iam: IAMClient) -> None:
    backend = ensure_state_backend(s3, kms, BUCKET, REGION)
    ensure_ci_roles(iam, "primetradeai/platform", backend.key_arn)
    attached = [
        p["PolicyArn"] for p in iam.list_attached_role_policies(RoleName=PREVIEW_ROLE)["AttachedPolicies"]
    ]
    assert attached == ["arn:aws:iam::aws:policy/ReadOnlyAccess"]
    inline = iam.get_role_policy(RoleName=PREVIEW_ROLE, PolicyName="stack-secrets")["PolicyDocument"]
    assert _document(inline)["Statement"][0]["Resource"] == backend.key_arn


def test_the_github_provider_is_created_once(s3: S3Client, kms: KMSClient, iam: IAMClient) -> None:
    backend = ensure_state_backend(s3, kms, BUCKET, REGION)
    ensure_ci_roles(iam, "primetradeai/platform", backend.key_arn)
    ensure_ci_roles(iam, "primetradeai/platform", backend.key_arn)
    assert len(iam.list_open_id_connect_providers()["OpenIDConnectProviderList"]) == 1


def test_the_command_prints_what_to_configure(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["--bucket", BUCKET, "--region", REGION, "--github-repository", "primetradeai/platform"])
    out = capsys.readouterr().out
    assert code == 0
    assert f"pulumi login 's3://{BUCKET}?region={REGION}'" in out
    assert "AWS_DEPLOY_ROLE_ARN=arn:aws:iam::" in out


def test_a_malformed_repository_stops_before_anything_is_created(
    capsys: pytest.CaptureFixture[str], s3: S3Client
) -> None:
    code = main(["--bucket", BUCKET, "--region", REGION, "--github-repository", "not a repo"])
    assert code == 2
    assert "must look like owner/name" in capsys.readouterr().err
    assert s3.list_buckets()["Buckets"] == []


def test_a_malformed_key_alias_stops_before_anything_is_created(
    capsys: pytest.CaptureFixture[str], kms: KMSClient
) -> None:
    code = main(["--bucket", BUCKET, "--region", REGION, "--key-alias", "pulumi secrets"])
    assert code == 2
    assert "must look like alias/<name>" in capsys.readouterr().err
    assert kms.list_keys()["Keys"] == []


@pytest.mark.parametrize("managed_policies", [False])
def test_an_aws_refusal_is_one_clear_line(capsys: pytest.CaptureFixture[str], managed_policies: bool) -> None:
    code = main(["--bucket", BUCKET, "--region", REGION, "--github-repository", "primetradeai/platform"])
    err = capsys.readouterr().err
    assert code == 1
    assert err.startswith("bootstrap: AWS refused AttachRolePolicy: NoSuchEntity")
    assert err.count("\n") == 1
