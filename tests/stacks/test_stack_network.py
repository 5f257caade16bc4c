"""Network reachability: who can reach the data stores, subnets, security groups, zones."""

from __future__ import annotations

from infra.harness import StackRun
from tests.stacks.audit import REDIS


def test_redis_is_reachable_only_from_the_cluster_nodes(run: StackRun) -> None:
    redis = run.one(REDIS)
    node_group = run.one("aws:eks/cluster:Cluster").outputs["vpcConfig"]["clusterSecurityGroupId"]
    (cache_group,) = redis.inputs["securityGroupIds"]
    rules = [
        r
        for r in run.by_type("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")
        if r.inputs["securityGroupId"] == cache_group
    ]
    assert [r.inputs["referencedSecurityGroupId"] for r in rules] == [node_group]
    assert all("cidrIpv4" not in r.inputs for r in rules)
    assert rules[0].inputs["fromPort"] == rules[0].inputs["toPort"] == 6379


def test_redis_lives_only_in_the_private_subnets(run: StackRun) -> None:
    private = {s.id for s in run.by_type("aws:ec2/subnet:Subnet") if "-private-" in s.name}
    group = run.one("aws:elasticache/subnetGroup:SubnetGroup").inputs
    assert len(private) == 3
    assert set(group["subnetIds"]) == private


def test_the_nodes_run_only_in_the_private_subnets(run: StackRun) -> None:
    private = {s.id for s in run.by_type("aws:ec2/subnet:Subnet") if "-private-" in s.name}
    assert set(run.one("aws:eks/nodeGroup:NodeGroup").inputs["subnetIds"]) == private


def test_no_security_group_accepts_traffic_from_an_address_range(run: StackRun) -> None:
    groups = run.by_type("aws:ec2/securityGroup:SecurityGroup")
    assert groups
    assert all(not g.inputs.get("ingress") for g in groups)
    rules = run.by_type("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")
    assert rules
    assert all(r.inputs.get("referencedSecurityGroupId") for r in rules)
    assert not any(key in r.inputs for r in rules for key in ("cidrIpv4", "cidrIpv6", "prefixListId"))


def test_atlas_accepts_only_the_nat_addresses(run: StackRun) -> None:
    nat_ips = {f"{e.outputs['publicIp']}/32" for e in run.by_type("aws:ec2/eip:Eip")}
    entries = {
        e.inputs["cidrBlock"]
        for e in run.by_type("mongodbatlas:index/projectIpAccessList:ProjectIpAccessList")
    }
    assert entries == nat_ips
    assert "0.0.0.0/0" not in entries


def test_no_subnet_hands_out_public_addresses(run: StackRun) -> None:
    subnets = run.by_type("aws:ec2/subnet:Subnet")
    assert len(subnets) == 6
    assert all(s.inputs.get("mapPublicIpOnLaunch", False) is False for s in subnets)


def test_the_network_spans_three_zones(run: StackRun) -> None:
    zones = {s.inputs["availabilityZone"] for s in run.by_type("aws:ec2/subnet:Subnet")}
    assert len(zones) == 3
