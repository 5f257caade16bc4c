"""No public data stores: access lists, cache security groups, publiclyAccessible, the EKS endpoint."""

from __future__ import annotations

import pytest

from tests.infra.policy.policy_plans import (
    REPLICATION_GROUP,
    TAGS,
    redis_inputs,
    resource,
    urn,
    violations,
)

ACCESS_LIST = "mongodbatlas:index/projectIpAccessList:ProjectIpAccessList"
SG = "aws:ec2/securityGroup:SecurityGroup"
INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"


@pytest.mark.parametrize("cidr", ["0.0.0.0/0", "::/0"])
def test_atlas_access_list_open_to_the_world_is_mandatory(cidr: str) -> None:
    found = violations(
        resource(ACCESS_LIST, "all", {"projectId": "p", "cidrBlock": cidr}),
        policy="atlas-access-list-not-public",
    )
    assert [v.enforcement for v in found] == ["mandatory"]


def test_atlas_access_list_for_the_vpc_passes() -> None:
    ok = resource(ACCESS_LIST, "vpc", {"projectId": "p", "cidrBlock": "10.0.0.0/16"})
    assert violations(ok, policy="atlas-access-list-not-public") == []


def _cache_with_group(sg_inputs: dict[str, object], *extra: dict[str, object]) -> list[dict[str, object]]:
    group = resource(SG, "cache-sg", sg_inputs)
    cache = resource(
        REPLICATION_GROUP,
        "redis",
        redis_inputs(securityGroupIds=["[unknown]"]),
        property_dependencies={"securityGroupIds": [group["urn"]]},
    )
    return [group, cache, *extra]


def test_cache_security_group_with_world_ingress_is_flagged_on_the_group() -> None:
    plan = _cache_with_group(
        {
            "ingress": [{"fromPort": 6379, "toPort": 6379, "protocol": "tcp", "cidrBlocks": ["0.0.0.0/0"]}],
            "tags": TAGS,
        }
    )
    found = violations(*plan, policy="cache-security-groups-not-public")
    assert [v.urn for v in found] == [urn("prod", SG, "cache-sg")]
    assert "0.0.0.0/0" in found[0].message


def test_standalone_ingress_rule_on_the_cache_group_is_flagged() -> None:
    group_urn = urn("prod", SG, "cache-sg")
    rule = resource(
        INGRESS,
        "open",
        {"cidrIpv4": "0.0.0.0/0", "fromPort": 6379, "ipProtocol": "tcp", "securityGroupId": "[unknown]"},
        property_dependencies={"securityGroupId": [group_urn]},
    )
    found = violations(*_cache_with_group({"tags": TAGS}, rule), policy="cache-security-groups-not-public")
    assert [v.urn.rsplit("::", 1)[1] for v in found] == ["open"]


def test_cache_group_open_only_to_the_vpc_passes_and_unrelated_groups_are_ignored() -> None:
    unrelated = resource(
        SG,
        "lb-sg",
        {"ingress": [{"cidrBlocks": ["0.0.0.0/0"], "fromPort": 443, "toPort": 443, "protocol": "tcp"}]},
    )
    plan = _cache_with_group(
        {"ingress": [{"cidrBlocks": ["10.0.0.0/16"], "fromPort": 6379, "toPort": 6379, "protocol": "tcp"}]},
        unrelated,
    )
    assert violations(*plan, policy="cache-security-groups-not-public") == []


def test_publicly_accessible_anything_is_mandatory() -> None:
    db = resource("aws:rds/instance:Instance", "db", {"publiclyAccessible": True, "tags": TAGS})
    assert [v.enforcement for v in violations(db, policy="no-publicly-accessible-resources")] == ["mandatory"]
    db_private = resource("aws:rds/instance:Instance", "db", {"publiclyAccessible": False, "tags": TAGS})
    assert violations(db_private, policy="no-publicly-accessible-resources") == []


EKS = "aws:eks/cluster:Cluster"
PRIVATE_AND_LIMITED = {
    "endpointPrivateAccess": True,
    "publicAccessCidrs": ["192.0.2.0/24", "198.51.100.0/24"],
}


def test_outside_prod_an_eks_endpoint_open_by_default_is_advisory_and_restricted_passes() -> None:
    default = resource(EKS, "eks", {"vpcConfig": {"subnetIds": ["a"]}}, stack="dev")
    restricted = resource(EKS, "eks2", {"vpcConfig": {"publicAccessCidrs": ["203.0.113.0/24"]}}, stack="dev")
    private = resource(EKS, "eks3", {"vpcConfig": {"endpointPublicAccess": False}}, stack="dev")
    found = violations(default, restricted, private, stack="dev", policy="eks-endpoint-restricted")
    assert [(v.urn.rsplit("::", 1)[1], v.enforcement) for v in found] == [("eks", "advisory")]
    assert violations(default, restricted, private, stack="dev", policy="prod-eks-endpoint-restricted") == []


def test_prod_eks_endpoint_private_and_limited_to_named_blocks_passes() -> None:
    limited = resource(EKS, "eks", {"vpcConfig": PRIVATE_AND_LIMITED})
    private_only = resource(
        EKS, "eks2", {"vpcConfig": {"endpointPrivateAccess": True, "endpointPublicAccess": False}}
    )
    assert violations(limited, private_only, policy="prod-eks-endpoint-restricted") == []


@pytest.mark.parametrize("world", ["0.0.0.0/0", "::/0", "0.0.0.0/00"])
def test_prod_eks_endpoint_with_a_planted_world_block_is_a_mandatory_violation(world: str) -> None:
    planted = {**PRIVATE_AND_LIMITED, "publicAccessCidrs": ["192.0.2.0/24", world]}
    found = violations(resource(EKS, "eks", {"vpcConfig": planted}), policy="prod-eks-endpoint-restricted")
    assert [v.enforcement for v in found] == ["mandatory"]
    assert found[0].message.startswith(f"the Kubernetes API endpoint is public to {world}: set ")


def test_prod_eks_endpoint_with_the_api_defaults_fails_twice_and_only_under_the_mandatory_policy() -> None:
    # EKS's defaults: no private endpoint, a public one; an empty block list means 0.0.0.0/0.
    bare = resource(EKS, "eks", {"vpcConfig": {"subnetIds": ["a"], "publicAccessCidrs": []}})
    found = [v for v in violations(bare) if "eks" in v.policy]
    assert [(v.policy, v.enforcement, v.message.split(":")[0]) for v in found] == [
        ("prod-eks-endpoint-restricted", "mandatory", "endpointPrivateAccess must be true"),
        ("prod-eks-endpoint-restricted", "mandatory", "the Kubernetes API endpoint is public to 0.0.0.0/0"),
    ]


def test_an_open_group_shared_by_two_caches_is_flagged_once_per_cache_and_a_closed_one_not_at_all() -> None:
    open_group = resource(
        SG, "shared-sg", {"ingress": [{"cidrBlocks": ["::/0"], "fromPort": 6379, "toPort": 6379}]}
    )
    closed_group = resource(
        SG, "vpc-sg", {"ingress": [{"cidrBlocks": ["10.0.0.0/16"], "fromPort": 6379, "toPort": 6379}]}
    )
    caches = [
        resource(
            REPLICATION_GROUP,
            name,
            redis_inputs(securityGroupIds=["[unknown]"]),
            property_dependencies={"securityGroupIds": [g["urn"] for g in groups]},
        )
        for name, groups in (
            ("sessions", [open_group, closed_group]),
            ("queues", [open_group]),
            ("private", [closed_group]),
        )
    ]
    found = violations(open_group, closed_group, *caches, policy="cache-security-groups-not-public")
    assert [(v.urn.rsplit("::", 1)[1], v.message) for v in found] == [
        ("shared-sg", "security group of cache queues admits ::/0"),
        ("shared-sg", "security group of cache sessions admits ::/0"),
    ]
