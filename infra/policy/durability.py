"""Backups and protection in prod: Atlas cloud backup with point-in-time restore, cache snapshots, protect."""

from __future__ import annotations

from pulumi_policy import (
    EnforcementLevel,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
)

from infra.policy import tokens
from infra.policy.props import as_number, environment_of


def _prod_backups(args: ResourceValidationArgs, report: ReportViolation) -> None:
    if environment_of(args.urn) != "prod":
        return
    props = args.props
    if args.resource_type == tokens.ATLAS_ADVANCED_CLUSTER:
        if props.get("backupEnabled") is not True:
            report("backupEnabled must be true (Atlas cloud backup)", None)
        if props.get("pitEnabled") is not True:
            report("pitEnabled must be true (continuous backup, point-in-time restore)", None)
    elif args.resource_type == tokens.ATLAS_CLUSTER:
        if props.get("cloudBackup") is not True:
            report("cloudBackup must be true", None)
        if props.get("pitEnabled") is not True:
            report("pitEnabled must be true (point-in-time restore)", None)
    elif args.resource_type in (tokens.REPLICATION_GROUP, tokens.CACHE_CLUSTER):
        retention = as_number(props.get("snapshotRetentionLimit")) or 0.0
        if retention <= 0:
            report("snapshotRetentionLimit must be at least 1 day (0 turns snapshots off)", None)


def _prod_data_stores_protected(args: ResourceValidationArgs, report: ReportViolation) -> None:
    if (
        environment_of(args.urn) == "prod"
        and args.resource_type in tokens.DATA_STORES
        and not args.opts.protect
    ):
        report("data store without protect=True: a mistaken `pulumi destroy` or rename would delete it", None)


PROD_BACKUPS = ResourceValidationPolicy(
    name="prod-backups",
    description="In prod, Atlas has cloud backup and point-in-time restore, ElastiCache keeps snapshots.",
    enforcement_level=EnforcementLevel.MANDATORY,
    validate=_prod_backups,
)
PROD_DATA_STORES_PROTECTED = ResourceValidationPolicy(
    name="prod-data-stores-protected",
    description="In prod, data stores are registered with protect=True.",
    enforcement_level=EnforcementLevel.MANDATORY,
    validate=_prod_data_stores_protected,
)

POLICIES = [PROD_BACKUPS, PROD_DATA_STORES_PROTECTED]
