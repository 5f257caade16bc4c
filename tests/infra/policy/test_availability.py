"""High-availability minimums: Atlas members, ElastiCache failover in staging/prod, prod replicas and PDBs."""

from __future__ import annotations

import pytest

from tests.infra.policy.policy_plans import (
    ATLAS_CLUSTER,
    REPLICATION_GROUP,
    atlas_inputs,
    deployment,
    hpa,
    pdb,
    redis_inputs,
    resource,
    violations,
)


def test_atlas_with_three_electable_members_passes_and_two_fails() -> None:
    ok = resource(ATLAS_CLUSTER, "db", atlas_inputs())
    specs = atlas_inputs()["replicationSpecs"]
    specs[0]["regionConfigs"][0]["electableSpecs"]["nodeCount"] = 2
    small = resource(ATLAS_CLUSTER, "db2", atlas_inputs(replicationSpecs=specs))
    found = violations(ok, small, policy="atlas-three-electable-members")
    assert [v.urn.rsplit("::", 1)[1] for v in found] == ["db2"]
    assert "2 electable" in found[0].message


def test_electable_members_are_counted_across_regions() -> None:
    region = {"providerName": "AWS", "electableSpecs": {"instanceSize": "M10", "nodeCount": 1}}
    spread = atlas_inputs(replicationSpecs=[{"regionConfigs": [region, region, region]}])
    assert violations(resource(ATLAS_CLUSTER, "db", spread), policy="atlas-three-electable-members") == []


@pytest.mark.parametrize(
    "overrides",
    [
        {"multiAzEnabled": None},
        {"automaticFailoverEnabled": False},
        {"numCacheClusters": 1},
        {"numCacheClusters": None},
    ],
)
@pytest.mark.parametrize("stack", ["staging", "prod"])
def test_redis_without_failover_fails_in_staging_and_prod(overrides: dict[str, object], stack: str) -> None:
    cache = resource(REPLICATION_GROUP, "redis", redis_inputs(**overrides), stack=stack)
    assert len(violations(cache, stack=stack, policy="elasticache-high-availability")) == 1


def test_single_node_redis_is_fine_in_dev() -> None:
    cache = resource(
        REPLICATION_GROUP,
        "redis",
        redis_inputs(numCacheClusters=1, multiAzEnabled=False, automaticFailoverEnabled=False),
        stack="dev",
    )
    assert violations(cache, stack="dev", policy="elasticache-high-availability") == []


def test_cluster_mode_nodes_count_shards_times_replicas() -> None:
    cache = resource(
        REPLICATION_GROUP,
        "redis",
        redis_inputs(numCacheClusters=None, numNodeGroups=2, replicasPerNodeGroup=1),
    )
    assert violations(cache, policy="elasticache-high-availability") == []


def test_prod_deployment_with_replicas_and_a_pdb_passes() -> None:
    assert violations(deployment(replicas=3), pdb(), policy="prod-workload-high-availability") == []


def test_prod_deployment_with_one_replica_fails() -> None:
    found = violations(deployment(replicas=1), pdb(), policy="prod-workload-high-availability")
    assert [v.message for v in found] == ["1 replica(s) and no autoscaler; prod needs at least 2"]


def test_prod_deployment_without_a_matching_pdb_fails() -> None:
    other = pdb(match_labels={"app.kubernetes.io/name": "something-else"})
    found = violations(deployment(replicas=3), other, policy="prod-workload-high-availability")
    assert len(found) == 1
    assert "PodDisruptionBudget" in found[0].message


def test_autoscaler_minimum_is_what_counts_when_there_is_one() -> None:
    assert (
        violations(deployment(replicas=None), hpa(2), pdb(), policy="prod-workload-high-availability") == []
    )
    found = violations(deployment(replicas=None), hpa(1), pdb(), policy="prod-workload-high-availability")
    assert [v.urn.split("::")[-2] for v in found] == ["kubernetes:autoscaling/v2:HorizontalPodAutoscaler"]


def test_staging_may_run_one_replica_without_a_pdb() -> None:
    assert (
        violations(
            deployment(replicas=1, stack="staging"), stack="staging", policy="prod-workload-high-availability"
        )
        == []
    )
