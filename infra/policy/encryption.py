"""Encryption: ElastiCache at rest and in transit, secrets under a KMS key, Atlas at rest (in prod under the
stack's own key), key rotation."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from pulumi_policy import (
    EnforcementLevel,
    PolicyResource,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
)

from infra.policy import tokens
from infra.policy.props import dig, environment_of


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


def _projects(resource: PolicyResource) -> set[str]:
    """The URNs of the Atlas projects a resource's projectId comes from."""
    return {project.urn for project in resource.property_dependencies.get("projectId", [])}


def _uses_a_stack_key(encryption: PolicyResource) -> bool:
    """An enabled AWS KMS configuration whose key id comes from a KMS key of this stack."""
    kms = encryption.props.get("awsKmsConfig")
    # Listing the names reads no value: a key id unknown until the key exists still counts as set.
    if (
        not isinstance(kms, Mapping)
        or kms.get("enabled") is not True
        or "customerMasterKeyId" not in list(kms)
    ):
        return False
    sources = encryption.property_dependencies.get("awsKmsConfig", [])
    return any(source.resource_type == tokens.KMS_KEY for source in sources)


def _customer_key_of(cluster: PolicyResource, encryptions: Sequence[PolicyResource]) -> PolicyResource | None:
    projects = _projects(cluster)
    for encryption in encryptions:
        if projects & _projects(encryption) and _uses_a_stack_key(encryption):
            return encryption
    return None


def _prod_atlas_customer_key(args: StackValidationArgs, report: ReportViolation) -> None:
    clusters = [
        r
        for r in args.resources
        if r.resource_type in (tokens.ATLAS_ADVANCED_CLUSTER, tokens.ATLAS_CLUSTER)
        and environment_of(r.urn) == "prod"
    ]
    if not clusters:
        return
    encryptions = [r for r in args.resources if r.resource_type == tokens.ATLAS_ENCRYPTION_AT_REST]
    for cluster in clusters:
        provider = cluster.props.get("encryptionAtRestProvider")
        if str(provider).upper() != "AWS":
            report(
                f"encryptionAtRestProvider is {provider or 'not set'}: prod encrypts at rest with the "
                "stack's KMS key (AWS; stack key database.customerManagedKey)",
                cluster.urn,
            )
        encryption = _customer_key_of(cluster, encryptions)
        if encryption is None:
            report(
                "no EncryptionAtRest in the cluster's project uses an enabled awsKmsConfig with a KMS key of "
                "this stack",
                cluster.urn,
            )
        elif encryption.urn not in {dependency.urn for dependency in cluster.dependencies}:
            report(
                "the cluster does not depend on its project's EncryptionAtRest: Atlas refuses a cluster "
                "whose key provider is not configured yet",
                cluster.urn,
            )


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
PROD_ATLAS_CUSTOMER_KEY = StackValidationPolicy(
    name="prod-atlas-customer-key",
    description="In prod, Atlas clusters encrypt at rest (provider AWS) under a KMS key the stack creates.",
    enforcement_level=EnforcementLevel.MANDATORY,
    validate=_prod_atlas_customer_key,
)
KMS_KEY_ROTATION = ResourceValidationPolicy(
    name="kms-key-rotation",
    description="KMS keys rotate automatically.",
    enforcement_level=EnforcementLevel.ADVISORY,
    validate=_kms_key_rotates,
)

POLICIES = [
    ELASTICACHE_ENCRYPTION,
    SECRETS_MANAGER_KMS_KEY,
    ATLAS_ENCRYPTION_AT_REST,
    PROD_ATLAS_CUSTOMER_KEY,
    KMS_KEY_ROTATION,
]
