"""Small plans for cost tests, with resource inputs as the real SDKs register them."""

from __future__ import annotations

from typing import Any

from tests.infra.toolkit.plan_data import atlas_replica_set, make_plan, resource

__all__ = ["make_plan", "resource"]  # the cost tests import the plan builders from here


def guide_like_stack() -> list[dict[str, Any]]:
    """An EKS cluster, two t3.medium nodes, one NAT with its address, a two-node cache, an M10, secrets."""
    return [
        resource("pulumi:pulumi:Stack", "primetradeai-prod", custom=False),
        resource("primetradeai:cluster:Cluster", "prod", custom=False),
        resource("pulumi:providers:aws", "aws"),
        resource(
            "aws:eks/cluster:Cluster",
            "prod-eks",
            {"version": "1.34", "vpcConfig": {"subnetIds": ["[unknown]"]}},
        ),
        resource(
            "aws:eks/nodeGroup:NodeGroup",
            "prod-nodes",
            {
                "instanceTypes": ["t3.medium"],
                "scalingConfig": {"desiredSize": 2, "minSize": 2, "maxSize": 4},
                "diskSize": 20,
            },
        ),
        resource(
            "aws:ec2/natGateway:NatGateway",
            "prod-nat-a",
            {"subnetId": "[unknown]", "allocationId": "[unknown]"},
        ),
        resource("aws:ec2/eip:Eip", "prod-nat-a", {"domain": "vpc"}),
        resource(
            "aws:elasticache/replicationGroup:ReplicationGroup",
            "prod-redis",
            {
                "engine": "redis",
                "nodeType": "cache.t4g.small",
                "numCacheClusters": 2,
                "authToken": "[secret]",
            },
        ),
        resource(
            "mongodbatlas:index/advancedCluster:AdvancedCluster",
            "prod-db",
            {
                "clusterType": "REPLICASET",
                "replicationSpecs": atlas_replica_set("M10"),
            },
        ),
        resource("aws:secretsmanager/secret:Secret", "prod-app-env", {"kmsKeyId": "[unknown]"}),
        resource("aws:kms/key:Key", "prod-secrets", {"enableKeyRotation": True}),
        resource(
            "cloudflare:index/zoneSubscription:ZoneSubscription",
            "zone-plan",
            {"zoneId": "z", "ratePlan": {"id": "pro"}, "frequency": "yearly"},
        ),
        resource("aws:ec2/vpc:Vpc", "prod-vpc", {"cidrBlock": "10.0.0.0/16"}),
        resource("aws:ec2/subnet:Subnet", "prod-private-a", {"cidrBlock": "10.0.0.0/20"}),
        resource("random:index/randomPassword:RandomPassword", "jwt", {"length": 48}),
        resource(
            "kubernetes:apps/v1:Deployment",
            "taskapi/taskapi",
            {"kind": "Deployment", "spec": {"replicas": 3}},
        ),
    ]
