"""Monthly totals are computed from the price table; unpriced resources are listed, never zero."""

from __future__ import annotations

from decimal import Decimal

import pytest

from infra.toolkit.cost import CostLine, estimate
from infra.toolkit.cost.table import load_price_table
from tests.infra.toolkit.cost.cost_plans import guide_like_stack, make_plan, resource

TABLE = load_price_table()
HOURS = Decimal(730)


def _line(report_lines: tuple[CostLine, ...], name: str, type_: str | None = None) -> Decimal:
    """The monthly figure of the resource called `name` (of type `type_`, when two share the name)."""
    return next(line.monthly_usd for line in report_lines if line.name == name and type_ in (None, line.type))


def test_each_line_is_price_times_quantity_times_hours() -> None:
    report = estimate(make_plan(*guide_like_stack()))
    lines = report.lines
    assert _line(lines, "prod-eks") == Decimal("0.10") * HOURS == Decimal("73.00")
    assert _line(lines, "prod-nodes") == 2 * Decimal("0.0416") * HOURS + 2 * 20 * Decimal("0.08")
    assert _line(lines, "prod-nat-a", "aws:ec2/natGateway:NatGateway") == Decimal("0.045") * HOURS
    assert _line(lines, "prod-nat-a", "aws:ec2/eip:Eip") == Decimal("0.005") * HOURS
    assert _line(lines, "prod-redis") == 2 * Decimal("0.032") * HOURS
    assert _line(lines, "prod-db") == Decimal("0.08") * HOURS
    assert _line(lines, "prod-app-env") == Decimal("0.40")
    assert _line(lines, "prod-secrets") == Decimal("1.00")
    assert _line(lines, "zone-plan") == Decimal("20")


def test_the_total_is_the_sum_of_the_lines() -> None:
    report = estimate(make_plan(*guide_like_stack()))
    expected = (
        Decimal("73.00")  # EKS control plane
        + Decimal("60.736")
        + Decimal("3.20")  # 2 x t3.medium + 2 x 20 GiB gp3
        + Decimal("32.85")
        + Decimal("3.65")  # NAT gateway + its public IPv4
        + Decimal("46.72")  # 2 x cache.t4g.small
        + Decimal("58.40")  # Atlas M10
        + Decimal("0.40")
        + Decimal("1.00")  # secret + KMS key
        + Decimal("20")  # Cloudflare Pro, yearly
    )
    assert report.total_usd == expected == Decimal("299.956")


def test_components_providers_and_the_stack_are_left_out_and_free_types_are_explained() -> None:
    report = estimate(make_plan(*guide_like_stack()))
    seen = (
        {line.type for line in report.lines}
        | {f.type for f in report.free}
        | {u.type for u in report.unpriced}
    )
    assert not {"pulumi:pulumi:Stack", "pulumi:providers:aws", "primetradeai:cluster:Cluster"} & seen
    free = {f.type: f.reason for f in report.free}
    assert free["aws:ec2/subnet:Subnet"] == "subnets are free"
    assert "random:index/randomPassword:RandomPassword" in free
    assert "kubernetes:apps/v1:Deployment" in free
    assert report.unpriced == ()


@pytest.mark.parametrize(
    ("extra", "reason", "category"),
    [
        (
            resource("aws:ec2/instance:Instance", "bastion", {"instanceType": "t3.micro"}),
            "no price rule for this type",
            None,
        ),
        (
            resource(
                "aws:eks/nodeGroup:NodeGroup",
                "big",
                {"instanceTypes": ["x9.huge"], "scalingConfig": {"desiredSize": 3}},
            ),
            "no price for instance type x9.huge in the table",
            "backend",
        ),
        (
            resource("aws:elasticache/replicationGroup:ReplicationGroup", "r", {"nodeType": "[unknown]"}),
            "nodeType is unknown until apply",
            "cache",
        ),
        (
            resource(
                "aws:eks/nodeGroup:NodeGroup",
                "spot",
                {"capacityType": "SPOT", "instanceTypes": ["t3.medium"]},
            ),
            "spot capacity has no fixed price",
            "backend",
        ),
    ],
)
def test_unpriced_resources_are_listed_with_a_reason_and_their_guide_category_and_not_added(
    extra: dict[str, object], reason: str, category: str | None
) -> None:
    base = estimate(make_plan(*guide_like_stack()))
    report = estimate(make_plan(*guide_like_stack(), extra))
    assert [(u.name, u.reason, u.category) for u in report.unpriced] == [(extra["name"], reason, category)]
    assert report.total_usd == base.total_usd


def test_atlas_scales_with_members_beyond_the_three_the_price_covers() -> None:
    five = resource(
        "mongodbatlas:index/advancedCluster:AdvancedCluster",
        "db",
        {
            "replicationSpecs": [
                {
                    "regionConfigs": [
                        {"electableSpecs": {"instanceSize": "M30", "nodeCount": 3}},
                        {"electableSpecs": {"instanceSize": "M30", "nodeCount": 2}},
                    ]
                }
            ]
        },
    )
    (line,) = estimate(make_plan(five)).lines
    assert line.monthly_usd == Decimal("0.54") * 5 * HOURS / 3 == Decimal(657)
    assert "5/3 members" in line.basis


def test_load_balancer_services_cost_an_nlb_and_cluster_ip_services_are_free() -> None:
    lb = resource(
        "kubernetes:core/v1:Service", "ingress-nginx/controller", {"spec": {"type": "LoadBalancer"}}
    )
    internal = resource("kubernetes:core/v1:Service", "taskapi/taskapi", {"spec": {"type": "ClusterIP"}})
    report = estimate(make_plan(lb, internal))
    assert [(line.name, line.monthly_usd) for line in report.lines] == [
        ("ingress-nginx/controller", Decimal("0.0225") * HOURS)
    ]
    assert [f.name for f in report.free] == ["taskapi/taskapi"]


def test_guide_comparison_puts_each_category_beside_the_guide_line() -> None:
    rows = {row.category: row for row in estimate(make_plan(*guide_like_stack())).guide_comparison()}
    assert TABLE.guide.total == Decimal(227)
    assert rows["database"].guide_usd == Decimal(57)
    assert rows["database"].stack_usd == Decimal("58.40")
    assert rows["cache"].stack_usd == Decimal("46.72")
    assert rows["monitoring"].stack_usd is None
    assert rows["frontend"].stack_usd is None
    assert rows["security"].guide_usd is None
    assert rows["security"].stack_usd == Decimal("1.40")


def test_an_ingress_nginx_release_costs_its_network_load_balancer_and_datadog_is_listed_unpriced() -> None:
    nginx = resource(
        "kubernetes:helm.sh/v3:Release",
        "prod-ingress-nginx",
        {
            "chart": "ingress-nginx",
            "values": {
                "controller": {
                    "service": {"annotations": {"service.beta.kubernetes.io/aws-load-balancer-type": "nlb"}}
                }
            },
        },
    )
    internal = resource(
        "kubernetes:helm.sh/v3:Release",
        "internal",
        {"chart": "ingress-nginx", "values": {"controller": {"service": {"type": "ClusterIP"}}}},
    )
    app = resource("kubernetes:helm.sh/v3:Release", "prod-release", {"chart": "charts/taskapi"})
    datadog = resource("kubernetes:helm.sh/v3:Release", "prod-datadog", {"chart": "datadog"})
    report = estimate(make_plan(nginx, internal, app, datadog))
    assert [(line.name, line.monthly_usd) for line in report.lines] == [
        ("prod-ingress-nginx", Decimal("16.425"))
    ]
    assert sorted(f.name for f in report.free) == ["internal", "prod-release"]
    assert [(u.name, u.category) for u in report.unpriced] == [("prod-datadog", "monitoring")]
    monitoring = next(row for row in report.guide_comparison() if row.category == "monitoring")
    assert (monitoring.stack_usd, monitoring.unpriced) == (None, 1)
