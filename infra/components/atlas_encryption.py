"""Atlas encryption at rest under a KMS key this stack owns, instead of the keys Atlas manages for itself.

The chain Atlas documents for AWS KMS: register a cloud provider access role with the project (Atlas
answers with its AWS account and an external id), create the IAM role that account may assume with that
external id, authorize the role, then point the project's encryption at rest at the key through it. The
cluster then sets `encryption_at_rest_provider="AWS"` and waits for the last step.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pulumi
import pulumi_aws as aws
import pulumi_mongodbatlas as atlas

PROVIDER = "AWS"
"""Atlas's name for the key management provider, set on the cluster as `encryption_at_rest_provider`."""
KEY_ACTIONS = ("kms:Encrypt", "kms:Decrypt", "kms:DescribeKey")
"""What Atlas needs of the key (Atlas's "Manage Customer Keys with AWS KMS" page), and nothing more."""


def atlas_region_name(aws_region: str) -> str:
    """The key's region as Atlas names it: us-east-1 -> US_EAST_1."""
    return aws_region.upper().replace("-", "_")


def atlas_trust_policy(atlas_account_arn: str, external_id: str) -> str:
    """Only Atlas's AWS account, presenting this project's external id, may assume the role."""
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"AWS": atlas_account_arn},
                    "Action": "sts:AssumeRole",
                    "Condition": {"StringEquals": {"sts:ExternalId": external_id}},
                }
            ],
        }
    )


def key_policy(account_id: str, atlas_role_arn: str) -> str:
    """The account administers the key (so IAM policies apply and it can never be orphaned); the Atlas
    role may only encrypt, decrypt and describe with it."""
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Sid": "AccountAdministersTheKey",
                    "Effect": "Allow",
                    "Principal": {"AWS": f"arn:aws:iam::{account_id}:root"},
                    "Action": "kms:*",
                    "Resource": "*",
                },
                {
                    "Sid": "AtlasEncryptsWithTheKey",
                    "Effect": "Allow",
                    "Principal": {"AWS": atlas_role_arn},
                    "Action": list(KEY_ACTIONS),
                    "Resource": "*",
                },
            ],
        }
    )


def key_use_policy(key_arn: str) -> str:
    """The role's own permissions: the same three actions, on this key only."""
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": list(KEY_ACTIONS), "Resource": key_arn}],
        }
    )


def _first_aws_config(configs: Sequence[Any] | None) -> Any:
    if not configs:
        raise ValueError("Atlas returned no AWS configuration for the cloud provider access role")
    return configs[0]


@dataclass(frozen=True)
class AtlasEncryptionArgs:
    """What the customer key needs from the database."""

    project_id: pulumi.Input[str]
    aws_region: str
    """The stack's AWS region, where the key is created."""
    tags: dict[str, str]
    protect: bool
    """Protect every link of the chain: losing the key, the role or its authorization makes the data
    unreadable, not just unencrypted."""


class AtlasEncryption(pulumi.ComponentResource):
    """A KMS key, the IAM role Atlas assumes to use it, and the project's encryption at rest set to it."""

    provider_name: str
    """What the cluster sets as `encryption_at_rest_provider`."""
    encryption_at_rest: atlas.EncryptionAtRest
    """The project's encryption at rest: the cluster must be created after it."""
    key_arn: pulumi.Output[str]
    """The customer key's ARN."""

    def __init__(
        self, name: str, args: AtlasEncryptionArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("primetradeai:database:AtlasEncryption", name, None, opts)
        keep = pulumi.ResourceOptions(parent=self, protect=args.protect)
        setup = atlas.CloudProviderAccessSetup(
            f"{name}-access", project_id=args.project_id, provider_name=PROVIDER, opts=keep
        )
        aws_config = setup.aws_configs.apply(_first_aws_config)
        role = aws.iam.Role(
            f"{name}-atlas-role",
            description=f"{name}: assumed by MongoDB Atlas to encrypt the database with the stack's key",
            assume_role_policy=aws_config.apply(
                lambda c: atlas_trust_policy(
                    str(c.atlas_aws_account_arn), str(c.atlas_assumed_role_external_id)
                )
            ),
            tags=args.tags,
            opts=keep,
        )
        account_id = aws.get_caller_identity_output(opts=pulumi.InvokeOutputOptions(parent=self)).account_id
        key = aws.kms.Key(
            f"{name}-key",
            description=f"{name}: MongoDB Atlas encryption at rest (customer-managed)",
            enable_key_rotation=True,
            deletion_window_in_days=30,
            policy=pulumi.Output.all(account_id, role.arn).apply(lambda v: key_policy(str(v[0]), str(v[1]))),
            tags=args.tags,
            opts=keep,
        )
        use = aws.iam.RolePolicy(
            f"{name}-atlas-key-use",
            role=role.name,
            policy=key.arn.apply(key_use_policy),
            opts=keep,
        )
        authorization = atlas.CloudProviderAccessAuthorization(
            f"{name}-access-authorization",
            project_id=args.project_id,
            role_id=setup.role_id,
            aws=atlas.CloudProviderAccessAuthorizationAwsArgs(iam_assumed_role_arn=role.arn),
            # Atlas assumes the role when authorizing it: its permissions must be in place first.
            opts=pulumi.ResourceOptions(parent=self, protect=args.protect, depends_on=[use]),
        )
        self.encryption_at_rest = atlas.EncryptionAtRest(
            f"{name}-at-rest",
            project_id=args.project_id,
            aws_kms_config=atlas.EncryptionAtRestAwsKmsConfigArgs(
                enabled=True,
                customer_master_key_id=key.key_id,
                region=atlas_region_name(args.aws_region),
                role_id=authorization.role_id,
            ),
            opts=pulumi.ResourceOptions(parent=self, protect=args.protect, depends_on=[use, authorization]),
        )
        self.provider_name = PROVIDER
        self.key_arn = key.arn
        self.register_outputs({"keyArn": self.key_arn})
