"""Durability: backups, protection from deletion, replica sets, failover across zones, autoscaling."""

from __future__ import annotations

import pytest

from infra.harness import StackRun
from tests.stacks.audit import (
    ATLAS_ACCESS_AUTHORIZATION,
    ATLAS_ACCESS_SETUP,
    ATLAS_CLUSTER,
    ATLAS_ENCRYPTION,
    REDIS,
    app_release,
)

DATA_STORES = (
    REDIS,
    ATLAS_CLUSTER,
    "mongodbatlas:index/project:Project",
    "mongodbatlas:index/cloudBackupSchedule:CloudBackupSchedule",
)


def test_every_stack_backs_up_the_database(run: StackRun) -> None:
    assert run.one(ATLAS_CLUSTER).inputs["backupEnabled"] is True
    schedule = run.one("mongodbatlas:index/cloudBackupSchedule:CloudBackupSchedule").inputs
    assert schedule["policyItemDaily"]["retentionValue"] >= 1
    assert run.one(REDIS).inputs["snapshotRetentionLimit"] >= 1


def test_prod_has_point_in_time_restore_and_longer_retention(prod: StackRun) -> None:
    cluster = prod.one(ATLAS_CLUSTER).inputs
    assert cluster["pitEnabled"] is True
    assert cluster["terminationProtectionEnabled"] is True
    assert cluster["retainBackupsEnabled"] is True
    schedule = prod.one("mongodbatlas:index/cloudBackupSchedule:CloudBackupSchedule").inputs
    assert schedule["restoreWindowDays"] >= 1
    assert schedule["policyItemDaily"]["retentionValue"] >= 7
    assert prod.one(REDIS).inputs["snapshotRetentionLimit"] >= 7
    assert prod.one(REDIS).inputs["finalSnapshotIdentifier"]


@pytest.mark.parametrize("type_token", DATA_STORES)
def test_prod_protects_every_data_store(prod: StackRun, type_token: str) -> None:
    stores = prod.by_type(type_token)
    assert stores, f"prod has no {type_token}"
    assert all(r.options.protect for r in stores)


def test_prod_protects_every_link_the_atlas_data_needs_to_stay_readable(prod: StackRun) -> None:
    chain = [r for r in prod.resources if r.custom and "AtlasEncryption" in r.urn]
    assert {r.type for r in chain} == {
        "aws:kms/key:Key",
        "aws:iam/role:Role",
        "aws:iam/rolePolicy:RolePolicy",
        ATLAS_ACCESS_SETUP,
        ATLAS_ACCESS_AUTHORIZATION,
        ATLAS_ENCRYPTION,
    }
    assert all(r.options.protect for r in chain)


def test_prod_protects_the_generated_credentials_that_data_depends_on(prod: StackRun) -> None:
    passwords = prod.by_type("random:index/randomPassword:RandomPassword")
    assert {p.name for p in passwords if p.options.protect} == {
        "prod-auth-token",
        "taskapi-app-password",
        "prod-jwt",
    }


def test_dev_protects_nothing_so_it_can_be_torn_down(dev: StackRun) -> None:
    assert not any(r.options.protect for r in dev.resources)


def test_prod_runs_an_m10_replica_set_of_three(prod: StackRun) -> None:
    cluster = prod.one(ATLAS_CLUSTER).inputs
    assert cluster["clusterType"] == "REPLICASET"
    (spec,) = cluster["replicationSpecs"]
    assert [c["electableSpecs"]["instanceSize"] for c in spec["regionConfigs"]] == ["M10"]
    assert sum(c["electableSpecs"]["nodeCount"] for c in spec["regionConfigs"]) == 3
    assert spec["regionConfigs"][0]["priority"] == 7


# High availability


def test_every_database_elects_from_an_odd_number_of_at_least_three_members(run: StackRun) -> None:
    cluster = run.one(ATLAS_CLUSTER).inputs
    for spec in cluster["replicationSpecs"]:
        members = sum(c["electableSpecs"]["nodeCount"] for c in spec["regionConfigs"])
        assert members >= 3
        assert members % 2 == 1
        assert max(c["priority"] for c in spec["regionConfigs"]) == 7


def test_staging_and_prod_redis_fails_over_across_zones(ha_run: StackRun) -> None:
    redis = ha_run.one(REDIS).inputs
    assert redis["multiAzEnabled"] is True
    assert redis["automaticFailoverEnabled"] is True
    assert redis["numCacheClusters"] >= 2


def test_staging_and_prod_spread_at_least_two_nodes_over_three_zones(ha_run: StackRun) -> None:
    nodes = ha_run.one("aws:eks/nodeGroup:NodeGroup").inputs
    assert nodes["scalingConfig"]["minSize"] >= 2
    assert nodes["updateConfig"]["maxUnavailable"] == 1
    zones = {s.id: s.inputs["availabilityZone"] for s in ha_run.by_type("aws:ec2/subnet:Subnet")}
    assert len({zones[subnet] for subnet in nodes["subnetIds"]}) == 3


def test_staging_and_prod_have_a_nat_gateway_per_zone(ha_run: StackRun) -> None:
    assert len(ha_run.by_type("aws:ec2/natGateway:NatGateway")) == 3


def test_staging_and_prod_autoscale_the_api(ha_run: StackRun) -> None:
    release = app_release(ha_run)
    autoscaling = release.inputs["values"]["autoscaling"]
    assert autoscaling["enabled"] is True
    assert autoscaling["minReplicas"] >= 2
