"""The cluster section: node group bounds, who administers a new cluster, what an existing one needs,
and who may reach the Kubernetes API's public endpoint (never the whole internet in prod)."""

from __future__ import annotations

import pytest

from infra.config.loader import parse_stack_config
from tests.infra.config.stack_values import FILE, admin_cluster, error, minimal, prod


def test_node_group_bounds_must_be_ordered() -> None:
    message = error(minimal(cluster={"nodeMin": 3, "nodeDesired": 2}))
    assert "primetradeai:cluster.nodeDesired: needs nodeMin <= nodeDesired <= nodeMax" in message


def test_a_new_cluster_needs_a_role_to_administer_it() -> None:
    message = error(minimal(cluster={"adminRoleArns": []}))
    assert f"{FILE}: primetradeai:cluster.adminRoleArns: needs the role that runs `pulumi up`" in message


@pytest.mark.parametrize(
    ("cidr", "problem"),
    [
        ("10.0.0.300/24", "'10.0.0.300/24' is not a CIDR block"),
        ("192.0.2.7", "'192.0.2.7' is not a CIDR block (address/prefix"),
        ("192.0.2.7/24", "'192.0.2.7/24' has host bits set; the block is 192.0.2.0/24"),
        ("office", "'office' is not a CIDR block"),
    ],
)
def test_a_public_access_block_that_is_not_a_cidr_is_refused_in_any_stack(cidr: str, problem: str) -> None:
    message = error(minimal(cluster=admin_cluster(endpointPublicAccessCidrs=["198.51.100.0/24", cidr])))
    assert message.startswith(f"{FILE}: primetradeai:cluster.endpointPublicAccessCidrs: {problem}")
    assert len(message.splitlines()) == 1


@pytest.mark.parametrize("world", ["0.0.0.0/0", "::/0", "0.0.0.0/00"])
def test_prod_refuses_a_kubernetes_api_open_to_the_internet(world: str) -> None:
    message = error(prod(cluster=admin_cluster(endpointPublicAccessCidrs=["192.0.2.0/24", world])))
    assert message.startswith(
        f"{FILE}: primetradeai:cluster.endpointPublicAccessCidrs: {world} opens prod's Kubernetes API"
    )
    assert len(message.splitlines()) == 1


def test_prod_refuses_the_default_which_is_the_whole_internet() -> None:
    message = error(prod(cluster=admin_cluster()))
    assert "primetradeai:cluster.endpointPublicAccessCidrs: 0.0.0.0/0 (the default) opens prod's" in message


def test_prod_accepts_a_private_api_or_a_public_one_limited_to_named_blocks() -> None:
    private = parse_stack_config(prod(cluster=admin_cluster(endpointPublicAccess=False)), set(), FILE)
    assert private.cluster.endpoint_public_access is False
    limited = parse_stack_config(
        prod(cluster=admin_cluster(endpointPublicAccessCidrs=["192.0.2.0/24", "2001:db8::/32"])), set(), FILE
    )
    assert limited.cluster.endpoint_public_access_cidrs == ("192.0.2.0/24", "2001:db8::/32")


def test_outside_prod_the_default_public_endpoint_is_accepted() -> None:
    config = parse_stack_config(minimal(cluster=admin_cluster()), set(), FILE)
    assert config.cluster.endpoint_public_access_cidrs == ("0.0.0.0/0",)


def test_an_empty_block_list_with_a_public_endpoint_is_refused_because_eks_reads_it_as_everyone() -> None:
    message = error(minimal(cluster=admin_cluster(endpointPublicAccessCidrs=[])))
    assert "primetradeai:cluster.endpointPublicAccessCidrs: needs at least one CIDR block" in message


def test_blocks_without_a_public_endpoint_are_refused_as_a_contradiction() -> None:
    cluster = admin_cluster(endpointPublicAccess=False, endpointPublicAccessCidrs=["192.0.2.0/24"])
    message = error(minimal(cluster=cluster))
    assert (
        "primetradeai:cluster.endpointPublicAccessCidrs: is set but endpointPublicAccess is false" in message
    )


def test_more_public_blocks_than_eks_accepts_are_refused() -> None:
    cidrs = [f"192.0.{n}.0/24" for n in range(41)]
    message = error(minimal(cluster=admin_cluster(endpointPublicAccessCidrs=cidrs)))
    assert (
        "primetradeai:cluster.endpointPublicAccessCidrs: EKS accepts at most 40 CIDR blocks (got 41)"
        in message
    )


@pytest.mark.parametrize(
    ("missing", "cluster"),
    [
        ("name", {"mode": "existing", "nodeSecurityGroupId": "sg-1"}),
        ("nodeSecurityGroupId", {"mode": "existing", "name": "shared"}),
    ],
)
def test_an_existing_cluster_is_named_with_its_node_security_group(
    missing: str, cluster: dict[str, str]
) -> None:
    message = error(minimal(cluster=cluster), secret={"kubeconfig"})

    assert f"{FILE}: primetradeai:cluster.{missing}: is required when mode is existing" in message


def test_an_existing_cluster_in_prod_is_not_held_to_the_public_endpoint_rule() -> None:
    existing = {"mode": "existing", "name": "shared", "nodeSecurityGroupId": "sg-1"}
    values = {**prod(cluster=existing), "kubeconfig": "apiVersion: v1"}

    config = parse_stack_config(values, {"kubeconfig"}, FILE)

    assert (config.cluster.mode, config.cluster.endpoint_public_access_cidrs) == ("existing", ("0.0.0.0/0",))
