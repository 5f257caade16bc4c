"""The stack config schema, checked without the Pulumi runtime."""

from __future__ import annotations

from infra.config.loader import parse_stack_config
from tests.infra.config.stack_values import FILE, admin_cluster, error, minimal, prod


def test_a_minimal_stack_gets_safe_defaults() -> None:
    config = parse_stack_config(minimal(), set(), FILE)
    assert config.cache.num_nodes == 1
    assert config.database.instance_size == "M10"
    assert [r.electable_nodes for r in config.database.regions] == [3]
    assert config.network.availability_zones == 3


def test_booleans_and_numbers_arrive_as_text_and_are_typed() -> None:
    config = parse_stack_config(minimal(protectDataStores="true"), set(), FILE)
    assert config.protect_data_stores is True


def test_false_and_zero_are_kept_not_replaced_by_defaults() -> None:
    config = parse_stack_config(minimal(cache={"snapshotRetentionDays": 0}), set(), FILE)
    assert config.cache.snapshot_retention_days == 0


def test_snake_case_keys_are_unknown_keys() -> None:
    message = error(minimal(cache={"num_nodes": 2}))
    assert f"{FILE}: primetradeai:cache.num_nodes: unknown key" in message


def test_autoscaling_bounds_must_be_ordered() -> None:
    message = error(
        minimal(
            app={
                "image": {"tag": "1"},
                "host": "a.example.com",
                "autoscaling": {"minReplicas": 5, "maxReplicas": 2},
            }
        )
    )
    assert f"{FILE}: primetradeai:app.autoscaling.minReplicas: must not exceed maxReplicas" in message


def test_point_in_time_restore_needs_backups() -> None:
    database = {"orgId": "5f0c0ffee0c0ffee0c0ffee0", "backup": {"enabled": False, "pointInTimeRestore": True}}
    message = error(minimal(database=database))
    assert "primetradeai:database.backup.pointInTimeRestore: needs backup.enabled" in message


def test_region_priorities_must_descend_from_seven() -> None:
    regions = [
        {"name": "US_EAST_1", "electableNodes": 1, "priority": 7},
        {"name": "US_EAST_2", "electableNodes": 1, "priority": 5},
        {"name": "US_WEST_2", "electableNodes": 1, "priority": 4},
    ]
    message = error(minimal(database={"orgId": "5f0c0ffee0c0ffee0c0ffee0", "regions": regions}))
    assert "primetradeai:database.regions: priorities must be 7, 6, 5" in message


def test_three_regions_with_one_member_each_make_a_replica_set() -> None:
    regions = [
        {"name": "US_EAST_1", "electableNodes": 1, "priority": 7},
        {"name": "US_EAST_2", "electableNodes": 1, "priority": 6},
        {"name": "US_WEST_2", "electableNodes": 1, "priority": 5},
    ]
    config = parse_stack_config(
        minimal(database={"orgId": "5f0c0ffee0c0ffee0c0ffee0", "regions": regions}), set(), FILE
    )
    assert [r.priority for r in config.database.regions] == [7, 6, 5]


def test_an_existing_vpc_needs_egress_addresses_or_a_private_endpoint() -> None:
    network = {"mode": "existing", "vpcId": "vpc-1", "privateSubnetIds": ["a", "b"]}
    message = error(minimal(network=network))
    assert "primetradeai:network.egressCidrs: the Atlas access list needs" in message


def test_a_plain_config_key_set_as_a_secret_is_refused() -> None:
    message = error(minimal(), secret={"environment"})
    assert f"{FILE}: primetradeai:environment: is not a secret" in message


def test_a_secret_whose_switch_is_off_is_refused() -> None:
    values = minimal()
    values["sentryDsn"] = "placeholder"
    message = error(values, secret={"sentryDsn"})
    assert "primetradeai:sentryDsn: is set but its switch is off" in message


def test_an_existing_cluster_needs_a_kubeconfig() -> None:
    cluster = {"mode": "existing", "name": "shared", "nodeSecurityGroupId": "sg-1"}
    message = error(minimal(cluster=cluster))
    assert "primetradeai:kubeconfig: is required by this stack's settings" in message


def test_the_error_never_repeats_a_rejected_value() -> None:
    message = error(minimal(app={"image": {"tag": "has space-s3cr3t"}, "host": "api.example.com"}))
    assert "s3cr3t" not in message
    assert "primetradeai:app.image.tag" in message


def test_policy_suppressions_are_part_of_the_schema_and_need_a_reason() -> None:
    waiver = {"policy": "required-aws-tags", "resource": "prod-redis", "reason": "tagged by the module"}
    config = parse_stack_config(minimal(policySuppressions=[waiver]), set(), FILE)

    assert [(s.policy, s.resource, s.reason) for s in config.policy_suppressions] == [
        ("required-aws-tags", "prod-redis", "tagged by the module")
    ]
    assert "primetradeai:policySuppressions.0.reason: Field required" in error(
        minimal(policySuppressions=[{"policy": "required-aws-tags", "resource": "prod-redis"}])
    )


def test_the_customer_managed_atlas_key_is_on_by_default_in_prod_only() -> None:
    limited = admin_cluster(endpointPublicAccessCidrs=["192.0.2.0/24"])
    assert parse_stack_config(prod(cluster=limited), set(), FILE).database.customer_managed_key is True
    assert parse_stack_config(minimal(), set(), FILE).database.customer_managed_key is False
    chosen = {"orgId": "5f0c0ffee0c0ffee0c0ffee0", "customerManagedKey": True}
    assert parse_stack_config(minimal(database=chosen), set(), FILE).database.customer_managed_key is True


def test_prod_cannot_turn_the_customer_managed_atlas_key_off() -> None:
    database = {"orgId": "5f0c0ffee0c0ffee0c0ffee0", "customerManagedKey": False}
    message = error(
        prod(cluster=admin_cluster(endpointPublicAccessCidrs=["192.0.2.0/24"]), database=database)
    )
    assert message == f"{FILE}: primetradeai:database.customerManagedKey: must be true in prod: " + (
        "the data stays encrypted under the stack's own KMS key"
    )


def test_the_customer_managed_atlas_key_is_a_boolean() -> None:
    database = {"orgId": "5f0c0ffee0c0ffee0c0ffee0", "customerManagedKey": "sometimes"}
    message = error(minimal(database=database))
    assert "primetradeai:database.customerManagedKey: Input should be a valid boolean" in message
