"""Comparing two plans: what would be created, updated, replaced or deleted, and why."""

from __future__ import annotations

import random

from infra.toolkit.diff.compare import compare
from infra.toolkit.diff.model import ChangeSet
from infra.toolkit.diff.sources import side_from_plan
from infra.toolkit.plan import Plan, Resource
from tests.infra.toolkit.plans import make_plan, resource, urn

REDIS = "aws:elasticache/replicationGroup:ReplicationGroup"
VPC = "aws:ec2/vpc:Vpc"
SUBNET = "aws:ec2/subnet:Subnet"
ASSOCIATION = "aws:ec2/routeTableAssociation:RouteTableAssociation"


def _compare(base: Plan, head: Plan) -> ChangeSet:
    return compare(side_from_plan(base, "base.json"), side_from_plan(head, "head.json"))


def _redis(**inputs: object) -> dict[str, object]:
    return {"nodeType": "cache.t4g.small", "port": 6379, "atRestEncryptionEnabled": True, **inputs}


def test_identical_plans_have_no_changes() -> None:
    plan = make_plan(resource(VPC, "main", {"cidrBlock": "10.0.0.0/16"}))

    change_set = _compare(plan, plan)

    assert change_set.changes == ()
    assert change_set.counts["same"] == 2


def test_a_changed_input_that_the_provider_updates_in_place_is_an_update() -> None:
    base = make_plan(resource(REDIS, "cache", _redis()))  # type: ignore[arg-type]
    head = make_plan(resource(REDIS, "cache", _redis(nodeType="cache.t4g.medium")))  # type: ignore[arg-type]

    (change,) = _compare(base, head).changes

    assert change.op == "update"
    assert [(p.path, p.old, p.new, p.forces_replacement) for p in change.properties] == [
        ("nodeType", "cache.t4g.small", "cache.t4g.medium", False)
    ]


def test_a_replace_on_change_property_makes_a_replacement_and_names_the_reason() -> None:
    base = make_plan(resource(REDIS, "cache", _redis(), protect=True))  # type: ignore[arg-type]
    head = make_plan(resource(REDIS, "cache", _redis(atRestEncryptionEnabled=False, port=6380), protect=True))  # type: ignore[arg-type]

    change_set = _compare(base, head)
    (change,) = change_set.changes

    assert change.op == "replace"
    assert change.replace_reasons == ("atRestEncryptionEnabled", "port")
    assert change_set.protected_touched == (change,)


def test_added_and_removed_resources_are_creates_and_deletes_with_risky_ones_first() -> None:
    base = make_plan(resource(VPC, "old", {"cidrBlock": "10.1.0.0/16"}), resource(VPC, "kept", {}))
    head = make_plan(
        resource(VPC, "new", {"cidrBlock": "10.2.0.0/16"}), resource(VPC, "kept", {"tags": {"a": "b"}})
    )

    change_set = _compare(base, head)

    assert [(c.op, c.name) for c in change_set.changes] == [
        ("delete", "old"),
        ("create", "new"),
        ("update", "kept"),
    ]
    assert change_set.counts == {"create": 1, "update": 1, "replace": 0, "delete": 1, "same": 1}


def test_nested_changes_are_reported_by_property_path() -> None:
    base = make_plan(resource(VPC, "main", {"tags": {"env": "prod"}, "list": [1, 2]}))
    head = make_plan(
        resource(VPC, "main", {"tags": {"env": "prod", "app.kubernetes.io/name": "x"}, "list": [1]})
    )

    (change,) = _compare(base, head).changes

    assert [(p.path, p.kind) for p in change.properties] == [
        ("list[1]", "delete"),
        ('tags["app.kubernetes.io/name"]', "add"),
    ]


def test_an_alias_turns_a_rename_into_an_update_rather_than_delete_and_create() -> None:
    old_urn = urn(VPC, "legacy")
    base = make_plan(resource(VPC, "legacy", {"cidrBlock": "10.0.0.0/16"}))
    head = make_plan(resource(VPC, "main", {"cidrBlock": "10.0.0.0/16"}, aliases=(old_urn,)))

    (change,) = _compare(base, head).changes

    assert change.op == "update"
    assert change.renamed_from == old_urn


def test_lifting_protection_is_an_option_change_on_a_protected_resource() -> None:
    base = make_plan(resource(REDIS, "cache", _redis(), protect=True))  # type: ignore[arg-type]
    head = make_plan(resource(REDIS, "cache", _redis(), protect=False))  # type: ignore[arg-type]

    (change,) = _compare(base, head).changes

    assert change.op == "update"
    assert change.protected
    assert [(p.path, p.old, p.new) for p in change.option_changes] == [("protect", True, False)]


def test_the_programs_replace_on_changes_option_forces_replacement() -> None:
    from infra.toolkit.plan import ResourceOptions

    def with_trigger(value: str) -> Plan:
        base_resource = resource("command:local:Command", "migrate", {"triggers": [value]})
        options = ResourceOptions(replace_on_changes=("triggers[*]",))
        return make_plan(base_resource.model_copy(update={"options": options}))

    (change,) = _compare(with_trigger("v1"), with_trigger("v2")).changes

    assert change.op == "replace"
    assert change.replace_reasons == ("triggers",)


def _depending(type_token: str, name: str, inputs: dict[str, object], **deps: str) -> Resource:
    built = resource(type_token, name, inputs)  # type: ignore[arg-type]
    return built.model_copy(update={"property_dependencies": {key: (urn,) for key, urn in deps.items()}})


def test_a_replacement_replaces_the_dependents_whose_replace_on_change_input_comes_from_it() -> None:
    def stack(cidr: str) -> Plan:
        vpc = resource(VPC, "main", {"cidrBlock": cidr})
        subnet = _depending(
            SUBNET, "private-a", {"vpcId": "vpc-1", "cidrBlock": "10.0.1.0/24"}, vpcId=vpc.urn
        )
        association = _depending(ASSOCIATION, "private-a", {"subnetId": "subnet-1"}, subnetId=subnet.urn)
        group = _depending(REDIS, "cache", {"securityGroupIds": ["sg-1"]}, securityGroupIds=subnet.urn)
        untouched = resource(VPC, "other", {"cidrBlock": "10.9.0.0/16"})
        return make_plan(vpc, subnet, association, group, untouched)

    change_set = _compare(stack("10.0.0.0/16"), stack("10.1.0.0/16"))
    by_type = {change.type: change for change in change_set.changes}

    assert by_type[SUBNET].op == "replace"
    assert by_type[SUBNET].replace_reasons == ("vpcId (from replaced main)",)
    assert by_type[ASSOCIATION].op == "replace"
    assert by_type[REDIS].op == "update"
    assert [(p.path, p.new) for p in by_type[REDIS].properties] == [("securityGroupIds", "[unknown]")]
    assert change_set.counts["same"] == 2


NAT = "aws:ec2/natGateway:NatGateway"
ROUTE_TABLE = "aws:ec2/routeTable:RouteTable"
ZONES = ("a", "b", "c")


def _network(cidr: str, order_seed: int | None = None) -> Plan:
    """A VPC, a public subnet and NAT gateway per zone, and a private route table through each NAT."""
    vpc = resource(VPC, "main", {"cidrBlock": cidr})
    built: list[Resource] = [vpc]
    for zone in ZONES:
        subnet = _depending(SUBNET, f"public-{zone}", {"vpcId": "vpc-1"}, vpcId=vpc.urn)
        nat = _depending(NAT, f"nat-{zone}", {"subnetId": "subnet-1"}, subnetId=subnet.urn)
        table = _depending(
            ROUTE_TABLE, f"private-{zone}", {"vpcId": "vpc-1", "routes": [{"natGatewayId": "nat-1"}]}
        )
        table = table.model_copy(
            update={"property_dependencies": {"vpcId": (vpc.urn,), "routes": (nat.urn,)}}
        )
        built += [subnet, nat, table]
    if order_seed is not None:
        random.Random(order_seed).shuffle(built)
    return make_plan(*built)


def test_a_cascade_reaches_every_dependent_through_every_replaced_input_whatever_the_order() -> None:
    # The VPC replaces each route table directly (vpcId) and, two hops later, replaces the NAT gateway
    # its routes point at: the routes must show as unknown on every table, not only on the first one.
    for seed in range(8):
        change_set = _compare(_network("10.0.0.0/16", seed), _network("10.1.0.0/16", seed + 100))
        tables = sorted((c for c in change_set.changes if c.type == ROUTE_TABLE), key=lambda c: c.name)

        assert [c.name for c in change_set.changes if c.type == NAT and c.op == "replace"] == [
            f"nat-{zone}" for zone in ZONES
        ]
        assert [(c.name, c.op) for c in tables] == [(f"private-{zone}", "replace") for zone in ZONES]
        for zone, table in zip(ZONES, tables, strict=True):
            assert [(p.path, p.new) for p in table.properties] == [
                ("routes", "[unknown]"),
                ("vpcId", "[unknown]"),
            ]
            assert table.replace_reasons == ("vpcId (from replaced main)",)
            assert f"nat-{zone}" not in table.replace_reasons[0]
        assert change_set.counts == {"create": 0, "update": 0, "replace": 10, "delete": 0, "same": 1}
