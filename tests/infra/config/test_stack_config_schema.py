"""The stack config schema, checked without the Pulumi runtime."""

from __future__ import annotations

import json
from typing import Any

import pytest

from infra.config.errors import InvalidStackConfigError
from infra.config.loader import parse_stack_config

FILE = "Pulumi.test.yaml"


def _minimal(**overrides: Any) -> dict[str, str]:
    values: dict[str, Any] = {
        "environment": "staging",
        "protectDataStores": False,
        "cluster": {"adminRoleArns": ["arn:aws:iam::123456789012:role/deploy"]},
        "database": {"orgId": "5f0c0ffee0c0ffee0c0ffee0"},
        "app": {"image": {"tag": "1.2.3"}, "host": "api.example.com"},
        "edge": {"zoneId": "0123456789abcdef0123456789abcdef"},
    }
    values.update(overrides)
    # What the Pulumi CLI hands the program: strings as they are, everything else as JSON.
    return {k: v if isinstance(v, str) else json.dumps(v) for k, v in values.items()}


def _error(values: dict[str, str], secret: set[str] | None = None) -> str:
    with pytest.raises(InvalidStackConfigError) as caught:
        parse_stack_config(values, secret or set(), FILE)
    return str(caught.value)


def test_a_minimal_stack_gets_safe_defaults() -> None:
    config = parse_stack_config(_minimal(), set(), FILE)
    assert config.cache.num_nodes == 1
    assert config.database.instance_size == "M10"
    assert [r.electable_nodes for r in config.database.regions] == [3]
    assert config.network.availability_zones == 3


def test_booleans_and_numbers_arrive_as_text_and_are_typed() -> None:
    config = parse_stack_config(_minimal(protectDataStores="true"), set(), FILE)
    assert config.protect_data_stores is True


def test_false_and_zero_are_kept_not_replaced_by_defaults() -> None:
    config = parse_stack_config(_minimal(cache={"snapshotRetentionDays": 0}), set(), FILE)
    assert config.cache.snapshot_retention_days == 0


def test_snake_case_keys_are_unknown_keys() -> None:
    message = _error(_minimal(cache={"num_nodes": 2}))
    assert f"{FILE}: primetradeai:cache.num_nodes: unknown key" in message


def test_autoscaling_bounds_must_be_ordered() -> None:
    message = _error(
        _minimal(
            app={
                "image": {"tag": "1"},
                "host": "a.example.com",
                "autoscaling": {"minReplicas": 5, "maxReplicas": 2},
            }
        )
    )
    assert f"{FILE}: primetradeai:app.autoscaling.minReplicas: must not exceed maxReplicas" in message


def test_node_group_bounds_must_be_ordered() -> None:
    message = _error(_minimal(cluster={"nodeMin": 3, "nodeDesired": 2}))
    assert "primetradeai:cluster.nodeDesired: needs nodeMin <= nodeDesired <= nodeMax" in message


def test_a_new_cluster_needs_a_role_to_administer_it() -> None:
    message = _error(_minimal(cluster={"adminRoleArns": []}))
    assert f"{FILE}: primetradeai:cluster.adminRoleArns: needs the role that runs `pulumi up`" in message


def test_point_in_time_restore_needs_backups() -> None:
    database = {"orgId": "5f0c0ffee0c0ffee0c0ffee0", "backup": {"enabled": False, "pointInTimeRestore": True}}
    message = _error(_minimal(database=database))
    assert "primetradeai:database.backup.pointInTimeRestore: needs backup.enabled" in message


def test_region_priorities_must_descend_from_seven() -> None:
    regions = [
        {"name": "US_EAST_1", "electableNodes": 1, "priority": 7},
        {"name": "US_EAST_2", "electableNodes": 1, "priority": 5},
        {"name": "US_WEST_2", "electableNodes": 1, "priority": 4},
    ]
    message = _error(_minimal(database={"orgId": "5f0c0ffee0c0ffee0c0ffee0", "regions": regions}))
    assert "primetradeai:database.regions: priorities must be 7, 6, 5" in message


def test_three_regions_with_one_member_each_make_a_replica_set() -> None:
    regions = [
        {"name": "US_EAST_1", "electableNodes": 1, "priority": 7},
        {"name": "US_EAST_2", "electableNodes": 1, "priority": 6},
        {"name": "US_WEST_2", "electableNodes": 1, "priority": 5},
    ]
    config = parse_stack_config(
        _minimal(database={"orgId": "5f0c0ffee0c0ffee0c0ffee0", "regions": regions}), set(), FILE
    )
    assert [r.priority for r in config.database.regions] == [7, 6, 5]


def test_an_existing_vpc_needs_egress_addresses_or_a_private_endpoint() -> None:
    network = {"mode": "existing", "vpcId": "vpc-1", "privateSubnetIds": ["a", "b"]}
    message = _error(_minimal(network=network))
    assert "primetradeai:network.egressCidrs: the Atlas access list needs" in message


def test_a_plain_config_key_set_as_a_secret_is_refused() -> None:
    message = _error(_minimal(), secret={"environment"})
    assert f"{FILE}: primetradeai:environment: is not a secret" in message


def test_a_secret_whose_switch_is_off_is_refused() -> None:
    values = _minimal()
    values["sentryDsn"] = "placeholder"
    message = _error(values, secret={"sentryDsn"})
    assert "primetradeai:sentryDsn: is set but its switch is off" in message


def test_an_existing_cluster_needs_a_kubeconfig() -> None:
    cluster = {"mode": "existing", "name": "shared", "nodeSecurityGroupId": "sg-1"}
    message = _error(_minimal(cluster=cluster))
    assert "primetradeai:kubeconfig: is required by this stack's settings" in message


def test_the_error_never_repeats_a_rejected_value() -> None:
    message = _error(_minimal(app={"image": {"tag": "has space-s3cr3t"}, "host": "api.example.com"}))
    assert "s3cr3t" not in message
    assert "primetradeai:app.image.tag" in message


def test_policy_suppressions_are_part_of_the_schema_and_need_a_reason() -> None:
    waiver = {"policy": "required-aws-tags", "resource": "prod-redis", "reason": "tagged by the module"}
    config = parse_stack_config(_minimal(policySuppressions=[waiver]), set(), FILE)

    assert [(s.policy, s.resource, s.reason) for s in config.policy_suppressions] == [
        ("required-aws-tags", "prod-redis", "tagged by the module")
    ]
    assert "primetradeai:policySuppressions.0.reason: Field required" in _error(
        _minimal(policySuppressions=[{"policy": "required-aws-tags", "resource": "prod-redis"}])
    )


ADMIN = ["arn:aws:iam::123456789012:role/deploy"]


def _cluster(**settings: Any) -> dict[str, Any]:
    return {"adminRoleArns": ADMIN, **settings}


def _prod(**overrides: Any) -> dict[str, str]:
    return _minimal(environment="prod", protectDataStores=True, **overrides)


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
    message = _error(_minimal(cluster=_cluster(endpointPublicAccessCidrs=["198.51.100.0/24", cidr])))
    assert message.startswith(f"{FILE}: primetradeai:cluster.endpointPublicAccessCidrs: {problem}")
    assert len(message.splitlines()) == 1


@pytest.mark.parametrize("world", ["0.0.0.0/0", "::/0", "0.0.0.0/00"])
def test_prod_refuses_a_kubernetes_api_open_to_the_internet(world: str) -> None:
    message = _error(_prod(cluster=_cluster(endpointPublicAccessCidrs=["192.0.2.0/24", world])))
    assert message.startswith(
        f"{FILE}: primetradeai:cluster.endpointPublicAccessCidrs: {world} opens prod's Kubernetes API"
    )
    assert len(message.splitlines()) == 1


def test_prod_refuses_the_default_which_is_the_whole_internet() -> None:
    message = _error(_prod(cluster=_cluster()))
    assert "primetradeai:cluster.endpointPublicAccessCidrs: 0.0.0.0/0 (the default) opens prod's" in message


def test_prod_accepts_a_private_api_or_a_public_one_limited_to_named_blocks() -> None:
    private = parse_stack_config(_prod(cluster=_cluster(endpointPublicAccess=False)), set(), FILE)
    assert private.cluster.endpoint_public_access is False
    limited = parse_stack_config(
        _prod(cluster=_cluster(endpointPublicAccessCidrs=["192.0.2.0/24", "2001:db8::/32"])), set(), FILE
    )
    assert limited.cluster.endpoint_public_access_cidrs == ("192.0.2.0/24", "2001:db8::/32")


def test_outside_prod_the_default_public_endpoint_is_accepted() -> None:
    config = parse_stack_config(_minimal(cluster=_cluster()), set(), FILE)
    assert config.cluster.endpoint_public_access_cidrs == ("0.0.0.0/0",)


def test_an_empty_block_list_with_a_public_endpoint_is_refused_because_eks_reads_it_as_everyone() -> None:
    message = _error(_minimal(cluster=_cluster(endpointPublicAccessCidrs=[])))
    assert "primetradeai:cluster.endpointPublicAccessCidrs: needs at least one CIDR block" in message


def test_blocks_without_a_public_endpoint_are_refused_as_a_contradiction() -> None:
    cluster = _cluster(endpointPublicAccess=False, endpointPublicAccessCidrs=["192.0.2.0/24"])
    message = _error(_minimal(cluster=cluster))
    assert (
        "primetradeai:cluster.endpointPublicAccessCidrs: is set but endpointPublicAccess is false" in message
    )


def test_more_public_blocks_than_eks_accepts_are_refused() -> None:
    cidrs = [f"192.0.{n}.0/24" for n in range(41)]
    message = _error(_minimal(cluster=_cluster(endpointPublicAccessCidrs=cidrs)))
    assert (
        "primetradeai:cluster.endpointPublicAccessCidrs: EKS accepts at most 40 CIDR blocks (got 41)"
        in message
    )


def test_the_customer_managed_atlas_key_is_on_by_default_in_prod_only() -> None:
    limited = _cluster(endpointPublicAccessCidrs=["192.0.2.0/24"])
    assert parse_stack_config(_prod(cluster=limited), set(), FILE).database.customer_managed_key is True
    assert parse_stack_config(_minimal(), set(), FILE).database.customer_managed_key is False
    chosen = {"orgId": "5f0c0ffee0c0ffee0c0ffee0", "customerManagedKey": True}
    assert parse_stack_config(_minimal(database=chosen), set(), FILE).database.customer_managed_key is True


def test_prod_cannot_turn_the_customer_managed_atlas_key_off() -> None:
    database = {"orgId": "5f0c0ffee0c0ffee0c0ffee0", "customerManagedKey": False}
    message = _error(_prod(cluster=_cluster(endpointPublicAccessCidrs=["192.0.2.0/24"]), database=database))
    assert message == f"{FILE}: primetradeai:database.customerManagedKey: must be true in prod: " + (
        "the data stays encrypted under the stack's own KMS key"
    )


def test_the_customer_managed_atlas_key_is_a_boolean() -> None:
    database = {"orgId": "5f0c0ffee0c0ffee0c0ffee0", "customerManagedKey": "sometimes"}
    message = _error(_minimal(database=database))
    assert "primetradeai:database.customerManagedKey: Input should be a valid boolean" in message
