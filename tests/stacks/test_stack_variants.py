"""Config switches change the stack as documented: sharding, private endpoint, existing VPC and cluster."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from infra.harness import StackRun, run_stack
from infra.harness.mocks import EXISTING_VPC_CIDR
from infra.pulumi_wire import is_secret, reveal
from tests.stacks.variants import scratch_project


def _sharded(config: dict[str, Any]) -> None:
    config["primetradeai:database"].update({"topology": "sharded", "shards": 2, "instanceSize": "M30"})


def _private_endpoint(config: dict[str, Any]) -> None:
    config["primetradeai:database"]["privateEndpoint"] = True


def _existing(config: dict[str, Any]) -> None:
    config["primetradeai:network"] = {
        "mode": "existing",
        "vpcId": "vpc-0abc",
        "privateSubnetIds": ["subnet-a", "subnet-b", "subnet-c"],
        "publicSubnetIds": ["subnet-d", "subnet-e", "subnet-f"],
        "egressCidrs": ["198.51.100.7/32"],
    }
    config["primetradeai:cluster"] = {
        "mode": "existing",
        "name": "shared",
        "nodeSecurityGroupId": "sg-0nodes",
    }
    config["primetradeai:kubeconfig"] = {"secure": "v1:placeholder"}


ORIGIN = "k8s-shared-ingress-0123456789.elb.us-east-1.amazonaws.com"


def _own_ingress_controller(config: dict[str, Any]) -> None:
    config["primetradeai:cluster"]["ingressController"] = False
    config["primetradeai:edge"]["originHostname"] = ORIGIN


@pytest.fixture(scope="module")
def sharded(tmp_path_factory: pytest.TempPathFactory) -> StackRun:
    return run_stack(
        "sharded", project_dir=scratch_project(tmp_path_factory.mktemp("s"), "sharded", _sharded)
    )


@pytest.fixture(scope="module")
def private(tmp_path_factory: pytest.TempPathFactory) -> StackRun:
    return run_stack(
        "private", project_dir=scratch_project(tmp_path_factory.mktemp("p"), "private", _private_endpoint)
    )


@pytest.fixture(scope="module")
def existing(tmp_path_factory: pytest.TempPathFactory) -> StackRun:
    return run_stack(
        "existing", project_dir=scratch_project(tmp_path_factory.mktemp("e"), "existing", _existing)
    )


@pytest.fixture(scope="module")
def own_ingress(tmp_path_factory: pytest.TempPathFactory) -> StackRun:
    return run_stack(
        "own-ingress",
        project_dir=scratch_project(tmp_path_factory.mktemp("i"), "own-ingress", _own_ingress_controller),
    )


def test_a_cluster_with_its_own_ingress_controller_gets_dns_for_the_configured_origin(
    own_ingress: StackRun,
) -> None:
    assert own_ingress.by_type("kubernetes:core/v1:Service") == []
    releases = [r.inputs["name"] for r in own_ingress.by_type("kubernetes:helm.sh/v3:Release")]
    assert "ingress-nginx" not in releases
    record = own_ingress.one("cloudflare:index/dnsRecord:DnsRecord").inputs
    assert record["content"] == ORIGIN
    assert record["proxied"] is True


def test_the_sharded_switch_makes_one_replica_set_per_shard(sharded: StackRun) -> None:
    cluster = sharded.one("mongodbatlas:index/advancedCluster:AdvancedCluster").inputs
    assert cluster["clusterType"] == "SHARDED"
    assert len(cluster["replicationSpecs"]) == 2


def test_the_sharded_switch_shards_tasks_on_a_hashed_user_id_once_the_cluster_exists(
    sharded: StackRun,
) -> None:
    shard_key = sharded.one("pulumi-python:dynamic:Resource")
    cluster = sharded.one("mongodbatlas:index/advancedCluster:AdvancedCluster")
    user = next(
        r
        for r in sharded.by_type("mongodbatlas:index/databaseUser:DatabaseUser")
        if r.inputs["username"] == "taskapi-sharding"
    )

    assert {cluster.urn, user.urn} <= set(shard_key.dependencies)
    assert shard_key.parent == sharded.one("primetradeai:database:AtlasDatabase").urn
    assert (shard_key.inputs["database"], shard_key.inputs["collection"]) == ("taskmanager", "tasks")
    assert shard_key.inputs["key"] == {"userId": "hashed"}
    assert sharded.outputs["shardedCollection"] == "taskmanager.tasks"
    assert "postDeploy" not in sharded.outputs


def test_the_shard_key_connects_as_its_own_user_through_a_secret(sharded: StackRun) -> None:
    shard_key = sharded.one("pulumi-python:dynamic:Resource")
    uri = shard_key.inputs["connectionString"]

    assert is_secret(uri)
    assert reveal(uri).startswith("mongodb+srv://taskapi-sharding:")
    assert is_secret(shard_key.inputs["__provider"])


def test_a_private_endpoint_replaces_the_ip_access_list(private: StackRun) -> None:
    assert private.by_type("mongodbatlas:index/projectIpAccessList:ProjectIpAccessList") == []
    endpoint = private.one("aws:ec2/vpcEndpoint:VpcEndpoint").inputs
    assert endpoint["vpcEndpointType"] == "Interface"
    service = private.one("mongodbatlas:index/privateLinkEndpointService:PrivateLinkEndpointService")
    assert service.inputs["providerName"] == "AWS"


def test_an_existing_vpc_and_cluster_create_no_network_or_eks(existing: StackRun) -> None:
    created = {r.type for r in existing.resources}
    assert not any(
        t.startswith(("aws:ec2/", "aws:eks/")) for t in created if t != "aws:ec2/securityGroup:SecurityGroup"
    )
    assert existing.outputs["clusterName"] == "shared"


def test_an_existing_cluster_is_reached_through_the_secret_kubeconfig(existing: StackRun) -> None:
    provider = existing.one("pulumi:providers:kubernetes").inputs
    assert is_secret(provider["kubeconfig"])
    assert reveal(provider["kubeconfig"]).startswith("offline-placeholder-for-")


def test_an_existing_vpc_allows_atlas_only_from_its_declared_egress(existing: StackRun) -> None:
    entries = existing.by_type("mongodbatlas:index/projectIpAccessList:ProjectIpAccessList")
    assert [e.inputs["cidrBlock"] for e in entries] == ["198.51.100.7/32"]
    rule = existing.one("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").inputs
    assert rule["referencedSecurityGroupId"] == "sg-0nodes"


def test_an_existing_vpc_bounds_the_data_stores_by_its_looked_up_cidr(existing: StackRun) -> None:
    (release,) = [
        r for r in existing.by_type("kubernetes:helm.sh/v3:Release") if r.inputs["name"] == "taskapi"
    ]
    values = release.inputs["values"]
    assert values["networkPolicy"]["dataStoreCidrs"] == [EXISTING_VPC_CIDR]


def test_a_private_endpoint_keeps_mongodb_inside_the_vpc(private: StackRun) -> None:
    (release,) = [
        r for r in private.by_type("kubernetes:helm.sh/v3:Release") if r.inputs["name"] == "taskapi"
    ]
    vpc = private.one("aws:ec2/vpc:Vpc").inputs["cidrBlock"]
    assert release.inputs["values"]["networkPolicy"]["mongodbOverInternet"] is False
    assert release.inputs["values"]["networkPolicy"]["dataStoreCidrs"] == [vpc]


def _customer_key(config: dict[str, Any]) -> None:
    config["primetradeai:database"]["customerManagedKey"] = True


def _private_api(config: dict[str, Any]) -> None:
    cluster = config["primetradeai:cluster"]
    del cluster["endpointPublicAccessCidrs"]
    cluster["endpointPublicAccess"] = False


def test_dev_can_choose_the_customer_key_and_can_still_tear_it_down(tmp_path: Path) -> None:
    run = run_stack("keyed", project_dir=scratch_project(tmp_path, "keyed", _customer_key))
    cluster = run.one("mongodbatlas:index/advancedCluster:AdvancedCluster")
    encryption = run.one("mongodbatlas:index/encryptionAtRest:EncryptionAtRest")
    assert cluster.inputs["encryptionAtRestProvider"] == "AWS"
    assert encryption.urn in cluster.dependencies
    assert not any(r.options.protect for r in run.resources)


def test_prod_can_close_the_public_kubernetes_endpoint_entirely(tmp_path: Path) -> None:
    run = run_stack("prod", project_dir=scratch_project(tmp_path, "prod", _private_api, base="prod"))
    vpc = run.one("aws:eks/cluster:Cluster").inputs["vpcConfig"]
    assert (vpc["endpointPrivateAccess"], vpc["endpointPublicAccess"]) == (True, False)
    assert "publicAccessCidrs" not in vpc
