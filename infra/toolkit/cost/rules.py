"""How each billable resource type turns its inputs and the price table into a monthly figure."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, NamedTuple

from infra.toolkit.cost.table import Category, Price, PriceTable
from infra.toolkit.plan import UNKNOWN, Resource

ATLAS_MEMBERS_PER_PRICE = 3  # Atlas quotes a tier's hourly price for a three-member replica set


@dataclass(frozen=True)
class Priced:
    """A resource's monthly cost and how it was worked out."""

    monthly: Decimal
    basis: str
    category: Category


class UnpriceableError(Exception):
    """The resource costs money but the table (or the plan) cannot say how much; the reason is shown."""

    def __init__(self, reason: str, category: Category | None = None) -> None:
        super().__init__(reason)
        self.category = category


Rule = Callable[[Resource, PriceTable], "Priced | None"]


class Billable(NamedTuple):
    """A billable type: the guide category it bills to (also when it cannot be priced) and its rule."""

    category: Category
    price: Rule


def _get(inputs: Mapping[str, Any], *path: str | int) -> Any:
    value: Any = inputs
    for step in path:
        if isinstance(step, int):
            value = value[step] if isinstance(value, list) and step < len(value) else None
        else:
            value = value.get(step) if isinstance(value, Mapping) else None
        if value == UNKNOWN:
            raise UnpriceableError(f"{'.'.join(str(s) for s in path)} is unknown until apply")
    return value


def _count(value: Any, default: int) -> int:
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise UnpriceableError(f"count {value!r} is not a number")
    return int(value)


def _lookup(prices: Mapping[str, Price], key: Any, what: str) -> Price:
    if not isinstance(key, str) or not key:
        raise UnpriceableError(f"no {what} in its inputs")
    if key not in prices:
        raise UnpriceableError(f"no price for {what} {key} in the table")
    return prices[key]


def _money(amount: Decimal) -> str:
    return f"${amount.normalize():f}"


def _hours(table: PriceTable) -> Decimal:
    return Decimal(table.assumptions.hours_per_month)


def _per_hour(price: Price, count: Decimal, label: str, table: PriceTable) -> Priced:
    hours = _hours(table)
    monthly = price.usd * count * hours
    return Priced(monthly, f"{count:f} x {label} {_money(price.usd)}/h x {hours} h", price.category)


def eks_cluster(resource: Resource, table: PriceTable) -> Priced:
    return _per_hour(table.services["eks-cluster"], Decimal(1), "control plane", table)


def node_group(resource: Resource, table: PriceTable) -> Priced:
    inputs = resource.inputs
    if _get(inputs, "capacityType") == "SPOT":
        raise UnpriceableError("spot capacity has no fixed price")
    types = _get(inputs, "instanceTypes")
    first = types[0] if isinstance(types, list) and types else None
    price = _lookup(table.ec2_instances, first, "instance type")
    nodes = _count(_get(inputs, "scalingConfig", "desiredSize"), 1)
    disk = _count(_get(inputs, "diskSize"), 20)  # the EKS API's default
    compute = _per_hour(price, Decimal(nodes), str(first), table)
    gp3 = table.services["ebs-gp3"]
    storage = gp3.usd * nodes * disk
    basis = f"{compute.basis} + {nodes} x {disk} GiB gp3 x {_money(gp3.usd)}/GB-month"
    return Priced(compute.monthly + storage, basis, price.category)


def nat_gateway(resource: Resource, table: PriceTable) -> Priced:
    return _per_hour(table.services["nat-gateway"], Decimal(1), "NAT gateway", table)


def elastic_ip(resource: Resource, table: PriceTable) -> Priced:
    return _per_hour(table.services["public-ipv4"], Decimal(1), "public IPv4", table)


def replication_group(resource: Resource, table: PriceTable) -> Priced:
    inputs = resource.inputs
    engine = _get(inputs, "engine") or "redis"
    if engine != "redis":
        raise UnpriceableError(f"the table prices Redis OSS nodes, not {engine}")
    price = _lookup(table.elasticache_nodes, _get(inputs, "nodeType"), "node type")
    groups = _get(inputs, "numNodeGroups")
    if groups is not None:
        nodes = _count(groups, 1) * (1 + _count(_get(inputs, "replicasPerNodeGroup"), 0))
    else:
        nodes = _count(_get(inputs, "numCacheClusters"), 1)
    return _per_hour(price, Decimal(nodes), str(inputs.get("nodeType")), table)


def cache_cluster(resource: Resource, table: PriceTable) -> Priced:
    price = _lookup(table.elasticache_nodes, _get(resource.inputs, "nodeType"), "node type")
    nodes = _count(_get(resource.inputs, "numCacheNodes"), 1)
    return _per_hour(price, Decimal(nodes), str(resource.inputs.get("nodeType")), table)


def secret(resource: Resource, table: PriceTable) -> Priced:
    price = table.services["secrets-manager-secret"]
    return Priced(price.usd, f"1 secret x {_money(price.usd)}/month", price.category)


def kms_key(resource: Resource, table: PriceTable) -> Priced:
    price = table.services["kms-key"]
    return Priced(price.usd, f"1 key x {_money(price.usd)}/month", price.category)


def atlas_advanced_cluster(resource: Resource, table: PriceTable) -> Priced:
    specs = _get(resource.inputs, "replicationSpecs")
    if not isinstance(specs, list) or not specs:
        raise UnpriceableError("no replicationSpecs")
    tier: Any = None
    members = 0
    for index, _ in enumerate(specs):
        regions = _get(resource.inputs, "replicationSpecs", index, "regionConfigs")
        for region_index, _ in enumerate(regions if isinstance(regions, list) else []):
            base = ("replicationSpecs", index, "regionConfigs", region_index)
            tier = tier or _get(resource.inputs, *base, "electableSpecs", "instanceSize")
            for kind in ("electableSpecs", "readOnlySpecs", "analyticsSpecs"):
                members += _count(_get(resource.inputs, *base, kind, "nodeCount"), 0)
    price = _lookup(table.atlas_tiers, tier, "Atlas tier")
    hours = _hours(table)
    basis = f"{tier} {_money(price.usd)}/h per 3-member replica set x {members}/3 members x {hours} h"
    # Divide last so whole-cent results stay exact.
    return Priced(price.usd * members * hours / ATLAS_MEMBERS_PER_PRICE, basis, price.category)


def atlas_cluster(resource: Resource, table: PriceTable) -> Priced:
    tier = _get(resource.inputs, "providerInstanceSizeName")
    price = _lookup(table.atlas_tiers, tier, "Atlas tier")
    return _per_hour(price, Decimal(1), f"{tier} replica set", table)


def zone_subscription(resource: Resource, table: PriceTable) -> Priced:
    plan = _get(resource.inputs, "ratePlan", "id")
    frequency = _get(resource.inputs, "frequency") or "monthly"
    price = _lookup(table.cloudflare_plans, f"{plan}-{frequency}", "Cloudflare plan")
    return Priced(
        price.usd, f"Cloudflare {plan} plan billed {frequency}: {_money(price.usd)}/month", price.category
    )


def kubernetes_service(resource: Resource, table: PriceTable) -> Priced | None:
    if _get(resource.inputs, "spec", "type") != "LoadBalancer":
        return None  # ClusterIP and NodePort services are free
    return _per_hour(table.services["network-load-balancer"], Decimal(1), "Network Load Balancer", table)


def helm_release(resource: Resource, table: PriceTable) -> Priced | None:
    chart = str(_get(resource.inputs, "chart") or "")
    if "datadog" in chart:
        raise UnpriceableError(
            "Datadog bills per monitored host; its price is not in the table", "monitoring"
        )
    if chart.rsplit("/", 1)[-1] == "ingress-nginx":
        service = _get(resource.inputs, "values", "controller", "service") or {}
        enabled = not isinstance(service, Mapping) or service.get("enabled", True) is not False
        kind = service.get("type", "LoadBalancer") if isinstance(service, Mapping) else "LoadBalancer"
        if enabled and kind == "LoadBalancer":  # the chart's default: a Service that AWS backs with an NLB
            priced = _per_hour(
                table.services["network-load-balancer"], Decimal(1), "NLB for ingress-nginx", table
            )
            return Priced(
                priced.monthly, f"{priced.basis} (its public IPv4 per zone not counted)", priced.category
            )
    return None  # what a release runs is priced through its objects, nodes and load balancers


RULES: dict[str, Billable] = {
    "aws:eks/cluster:Cluster": Billable("backend", eks_cluster),
    "aws:eks/nodeGroup:NodeGroup": Billable("backend", node_group),
    "aws:ec2/natGateway:NatGateway": Billable("backend", nat_gateway),
    "aws:ec2/eip:Eip": Billable("backend", elastic_ip),
    "aws:elasticache/replicationGroup:ReplicationGroup": Billable("cache", replication_group),
    "aws:elasticache/cluster:Cluster": Billable("cache", cache_cluster),
    "aws:secretsmanager/secret:Secret": Billable("security", secret),
    "aws:kms/key:Key": Billable("security", kms_key),
    "mongodbatlas:index/advancedCluster:AdvancedCluster": Billable("database", atlas_advanced_cluster),
    "mongodbatlas:index/cluster:Cluster": Billable("database", atlas_cluster),
    "cloudflare:index/zoneSubscription:ZoneSubscription": Billable("cdn", zone_subscription),
    "kubernetes:core/v1:Service": Billable("backend", kubernetes_service),
    "kubernetes:helm.sh/v3:Release": Billable("backend", helm_release),
}
"""Billable types. A rule returning None defers to the table's free list."""
