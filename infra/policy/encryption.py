"""Encryption: ElastiCache at rest and in transit, secrets under a KMS key, Atlas at rest, key rotation."""

from __future__ import annotations

from pulumi_policy import (
    EnforcementLevel,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
)

from infra.policy import tokens
from infra.policy.props import dig


def _elasticache_encrypted(args: ResourceValidationArgs, report: ReportViolation) -> None:
    if args.resource_type not in (tokens.REPLICATION_GROUP,):
        return
    # pulumi-aws 7.x leaves both off unless set: absence is a violation, not a default to trust.
    if args.props.get("atRestEncryptionEnabled") is not True:
        report("atRestEncryptionEnabled must be true (off by default in pulumi-aws 7)", None)
    if args.props.get("transitEncryptionEnabled") is not True:
        report("transitEncryptionEnabled must be true so clients connect with TLS (rediss://)", None)


def _secret_uses_kms_key(args: ResourceValidationArgs, report: ReportViolation) -> None:
    if args.resource_type != tokens.SECRET:
        return
    if not args.props.get("kmsKeyId"):
        report(
            "kmsKeyId is not set: the secret falls back to the account's shared aws/secretsmanager key",
            None,
        )


def _atlas_encrypted_at_rest(args: ResourceValidationArgs, report: ReportViolation) -> None:
    if args.resource_type in (tokens.ATLAS_ADVANCED_CLUSTER, tokens.ATLAS_CLUSTER):
        provider = args.props.get("encryptionAtRestProvider")
        if provider is not None and str(provider).upper() == "NONE":
            report("encryptionAtRestProvider is NONE: use the project's customer-managed key (AWS)", None)
    elif args.resource_type == tokens.ATLAS_ENCRYPTION_AT_REST:
        kms = args.props.get("awsKmsConfig")
        if kms is not None and dig(kms, "enabled") is not True:
            report("awsKmsConfig.enabled must be true", None)


def _kms_key_rotates(args: ResourceValidationArgs, report: ReportViolation) -> None:
    if args.resource_type != tokens.KMS_KEY:
        return
    if args.props.get("enableKeyRotation") is not True:
        report("enableKeyRotation should be true (yearly automatic rotation)", None)


ELASTICACHE_ENCRYPTION = ResourceValidationPolicy(
    name="elasticache-encryption",
    description="ElastiCache replication groups encrypt data at rest and in transit.",
    enforcement_level=EnforcementLevel.MANDATORY,
    validate=_elasticache_encrypted,
)
SECRETS_MANAGER_KMS_KEY = ResourceValidationPolicy(
    name="secretsmanager-kms-key",
    description="Secrets Manager secrets are encrypted with a customer-managed KMS key.",
    enforcement_level=EnforcementLevel.MANDATORY,
    validate=_secret_uses_kms_key,
)
ATLAS_ENCRYPTION_AT_REST = ResourceValidationPolicy(
    name="atlas-encryption-at-rest",
    description="Atlas encryption at rest, where configured, is not switched off.",
    enforcement_level=EnforcementLevel.MANDATORY,
    validate=_atlas_encrypted_at_rest,
)
KMS_KEY_ROTATION = ResourceValidationPolicy(
    name="kms-key-rotation",
    description="KMS keys rotate automatically.",
    enforcement_level=EnforcementLevel.ADVISORY,
    validate=_kms_key_rotates,
)

POLICIES = [ELASTICACHE_ENCRYPTION, SECRETS_MANAGER_KMS_KEY, ATLAS_ENCRYPTION_AT_REST, KMS_KEY_ROTATION]
