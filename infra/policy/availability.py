"""High availability: Atlas electable members, ElastiCache failover, API replicas and a PDB in prod."""

from __future__ import annotations

from collections.abc import Mapping

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
from infra.policy.kube import kind_of, labels, namespace_and_name
from infra.policy.props import as_list, as_number, dig, environment_of

MIN_ELECTABLE = 3
MIN_CACHE_NODES = 2
MIN_PROD_REPLICAS = 2


def _atlas_three_electable(args: ResourceValidationArgs, report: ReportViolation) -> None:
    if args.resource_type != tokens.ATLAS_ADVANCED_CLUSTER:
        return
    specs = as_list(args.props.get("replicationSpecs"))
    if not specs:
        report("replicationSpecs is empty: no electable members", None)
    for index, spec in enumerate(specs):
        electable = sum(
            as_number(dig(region, "electableSpecs", "nodeCount")) or 0.0
            for region in as_list(dig(spec, "regionConfigs"))
        )
        if electable < MIN_ELECTABLE:
            report(
                f"replicationSpecs[{index}] has {electable:g} electable members; a replica set that survives "
                f"the loss of one needs at least {MIN_ELECTABLE}",
                None,
            )


def _cache_nodes(props: Mapping[str, object]) -> float:
    groups = as_number(props.get("numNodeGroups"))
    if groups is not None:
        return groups * (1 + (as_number(props.get("replicasPerNodeGroup")) or 0.0))
    return as_number(props.get("numCacheClusters")) or 1.0


def _elasticache_failover(args: ResourceValidationArgs, report: ReportViolation) -> None:
    if args.resource_type != tokens.REPLICATION_GROUP or environment_of(args.urn) == "dev":
        return
    props = args.props
    if props.get("multiAzEnabled") is not True:
        report("multiAzEnabled must be true (off by default in pulumi-aws 7)", None)
    if props.get("automaticFailoverEnabled") is not True:
        report("automaticFailoverEnabled must be true so a replica takes over when the primary fails", None)
    nodes = _cache_nodes(props)
    if nodes < MIN_CACHE_NODES:
        report(
            f"{nodes:g} cache node(s): failover needs at least {MIN_CACHE_NODES} (a primary and a replica)",
            None,
        )


def _hpa_for(deployment: PolicyResource, hpas: list[PolicyResource]) -> PolicyResource | None:
    namespace, name = namespace_and_name(deployment.props, deployment.name)
    for hpa in hpas:
        target = dig(hpa.props, "spec", "scaleTargetRef")
        same_ns = namespace_and_name(hpa.props, hpa.name)[0] == namespace
        if same_ns and dig(target, "kind") == "Deployment" and dig(target, "name") == name:
            return hpa
    return None


def _has_pdb(deployment: PolicyResource, pdbs: list[PolicyResource]) -> bool:
    namespace, _ = namespace_and_name(deployment.props, deployment.name)
    pod_labels = labels(deployment.props, "spec", "template", "metadata", "labels")
    for pdb in pdbs:
        selector = labels(pdb.props, "spec", "selector", "matchLabels")
        same_ns = namespace_and_name(pdb.props, pdb.name)[0] == namespace
        if same_ns and selector and all(pod_labels.get(k) == v for k, v in selector.items()):
            return True
    return False


def _prod_workloads_redundant(args: StackValidationArgs, report: ReportViolation) -> None:
    by_kind: dict[str, list[PolicyResource]] = {
        "Deployment": [],
        "HorizontalPodAutoscaler": [],
        "PodDisruptionBudget": [],
    }
    for resource in args.resources:
        kind = kind_of(resource.resource_type)
        if kind in by_kind and environment_of(resource.urn) == "prod":
            by_kind[kind].append(resource)
    for deployment in by_kind["Deployment"]:
        hpa = _hpa_for(deployment, by_kind["HorizontalPodAutoscaler"])
        if hpa is not None:
            minimum = as_number(dig(hpa.props, "spec", "minReplicas")) or 1.0
            if minimum < MIN_PROD_REPLICAS:
                report(
                    f"autoscaler minReplicas is {minimum:g}; prod needs at least {MIN_PROD_REPLICAS}", hpa.urn
                )
        else:
            replicas = as_number(dig(deployment.props, "spec", "replicas"))
            replicas = 1.0 if replicas is None else replicas
            if replicas < MIN_PROD_REPLICAS:
                report(
                    f"{replicas:g} replica(s) and no autoscaler; prod needs at least {MIN_PROD_REPLICAS}",
                    deployment.urn,
                )
        if not _has_pdb(deployment, by_kind["PodDisruptionBudget"]):
            report(
                "no PodDisruptionBudget selects these pods: a node drain may stop them all", deployment.urn
            )


ATLAS_THREE_ELECTABLE = ResourceValidationPolicy(
    name="atlas-three-electable-members",
    description="Every Atlas replica set has at least three electable members.",
    enforcement_level=EnforcementLevel.MANDATORY,
    validate=_atlas_three_electable,
)
ELASTICACHE_FAILOVER = ResourceValidationPolicy(
    name="elasticache-high-availability",
    description="In staging and prod, ElastiCache is Multi-AZ with failover and at least two nodes.",
    enforcement_level=EnforcementLevel.MANDATORY,
    validate=_elasticache_failover,
)
PROD_WORKLOADS_REDUNDANT = StackValidationPolicy(
    name="prod-workload-high-availability",
    description="In prod, each Deployment runs at least two replicas (or autoscaler minimum) under a PDB.",
    enforcement_level=EnforcementLevel.MANDATORY,
    validate=_prod_workloads_redundant,
)

POLICIES = [ATLAS_THREE_ELECTABLE, ELASTICACHE_FAILOVER, PROD_WORKLOADS_REDUNDANT]
