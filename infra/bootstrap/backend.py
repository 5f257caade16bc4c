"""The self-managed Pulumi state backend: a versioned, encrypted, private S3 bucket, and the KMS key that
encrypts stack secrets (`secretsprovider: awskms://alias/...` in the stack files). Safe to run again."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from botocore.exceptions import ClientError

if TYPE_CHECKING:
    from mypy_boto3_kms import KMSClient
    from mypy_boto3_s3 import S3Client

DEFAULT_KEY_ALIAS = "alias/primetradeai-pulumi-secrets"
NONCURRENT_VERSION_DAYS = 90
_ALIAS = re.compile(r"^alias/[a-zA-Z0-9/_-]+$")


@dataclass(frozen=True)
class StateBackend:
    """Where state lives and what encrypts it."""

    bucket: str
    region: str
    key_arn: str
    key_alias: str

    @property
    def login_url(self) -> str:
        """For `pulumi login`."""
        return f"s3://{self.bucket}?region={self.region}"

    @property
    def secrets_provider(self) -> str:
        """For `pulumi stack init --secrets-provider` (and the stack files' `secretsprovider:`)."""
        return f"awskms://{self.key_alias}?region={self.region}"


def check_alias(alias: str) -> str:
    """A KMS alias name as AWS accepts it, or a ValueError saying what is expected."""
    if not _ALIAS.fullmatch(alias) or alias.startswith("alias/aws/"):
        raise ValueError(
            f"KMS alias {alias!r} must look like alias/<name> (letters, digits, / _ -; not alias/aws/)"
        )
    return alias


def ensure_secrets_key(kms: KMSClient, alias: str) -> str:
    """The ARN of the key behind `alias`, created with yearly rotation if the alias does not exist."""
    check_alias(alias)
    try:
        described = kms.describe_key(KeyId=alias)
        return described["KeyMetadata"]["Arn"]
    except ClientError as error:
        if error.response["Error"]["Code"] != "NotFoundException":
            raise
    created = kms.create_key(
        Description="primetradeai: encrypts Pulumi stack secrets and state",
        KeyUsage="ENCRYPT_DECRYPT",
        Tags=[
            {"TagKey": "project", "TagValue": "primetradeai"},
            {"TagKey": "managed-by", "TagValue": "bootstrap"},
        ],
    )
    key_id = created["KeyMetadata"]["KeyId"]
    kms.enable_key_rotation(KeyId=key_id)
    kms.create_alias(AliasName=alias, TargetKeyId=key_id)
    return created["KeyMetadata"]["Arn"]


def tls_only_policy(bucket: str) -> str:
    """Refuse any request to the bucket that is not over TLS."""
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Sid": "DenyInsecureTransport",
                    "Effect": "Deny",
                    "Principal": "*",
                    "Action": "s3:*",
                    "Resource": [f"arn:aws:s3:::{bucket}", f"arn:aws:s3:::{bucket}/*"],
                    "Condition": {"Bool": {"aws:SecureTransport": "false"}},
                }
            ],
        }
    )


def _create_bucket(s3: S3Client, bucket: str, region: str) -> None:
    try:
        if region == "us-east-1":  # the one region that refuses a location constraint
            s3.create_bucket(Bucket=bucket)
        else:
            s3.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": region})  # type: ignore[typeddict-item]
    except ClientError as error:
        if error.response["Error"]["Code"] != "BucketAlreadyOwnedByYou":
            raise


def ensure_state_backend(
    s3: S3Client, kms: KMSClient, bucket: str, region: str, alias: str = DEFAULT_KEY_ALIAS
) -> StateBackend:
    """Create (or bring back into shape) the state bucket and the secrets key."""
    key_arn = ensure_secrets_key(kms, alias)
    _create_bucket(s3, bucket, region)
    s3.put_public_access_block(
        Bucket=bucket,
        PublicAccessBlockConfiguration={
            "BlockPublicAcls": True,
            "IgnorePublicAcls": True,
            "BlockPublicPolicy": True,
            "RestrictPublicBuckets": True,
        },
    )
    s3.put_bucket_ownership_controls(
        Bucket=bucket, OwnershipControls={"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]}
    )
    # Versioning is the state's undo: a bad `pulumi up` or a corrupt checkpoint can be rolled back.
    s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
    s3.put_bucket_encryption(
        Bucket=bucket,
        ServerSideEncryptionConfiguration={
            "Rules": [
                {
                    "ApplyServerSideEncryptionByDefault": {
                        "SSEAlgorithm": "aws:kms",
                        "KMSMasterKeyID": key_arn,
                    },
                    "BucketKeyEnabled": True,
                }
            ]
        },
    )
    s3.put_bucket_policy(Bucket=bucket, Policy=tls_only_policy(bucket))
    s3.put_bucket_lifecycle_configuration(
        Bucket=bucket,
        LifecycleConfiguration={
            "Rules": [
                {
                    "ID": "expire-old-state-versions",
                    "Status": "Enabled",
                    "Filter": {"Prefix": ""},
                    "NoncurrentVersionExpiration": {"NoncurrentDays": NONCURRENT_VERSION_DAYS},
                    "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 7},
                }
            ]
        },
    )
    return StateBackend(bucket=bucket, region=region, key_arn=key_arn, key_alias=alias)
