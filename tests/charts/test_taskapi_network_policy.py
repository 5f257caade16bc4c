"""Traffic reaches the API only through the ingress controller (metrics only from monitoring), and leaves
only for named destinations: the cluster DNS pods, the data stores' networks, and HTTPS to the internet."""

from __future__ import annotations

from typing import Any

import pytest

from infra.toolkit.preview.helm_render import ChartValuesError
from tests.charts.taskapi_chart import ENVIRONMENTS, merged, minimal_values, only, render, stack_values

CLUSTER_DNS = {
    "namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "kube-system"}},
    "podSelector": {"matchLabels": {"k8s-app": "kube-dns"}},
}
INTERNET = {
    "ipBlock": {
        "cidr": "0.0.0.0/0",
        "except": ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.169.254/32"],
    }
}
PRIVATE_RANGES = [{"ipBlock": {"cidr": cidr}} for cidr in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16")]


def api_policy(objects: list[dict[str, Any]]) -> dict[str, Any]:
    (policy,) = [
        obj
        for obj in objects
        if obj["kind"] == "NetworkPolicy"
        and obj["spec"]["podSelector"] == only(objects, "Deployment")["spec"]["selector"]
    ]
    spec: dict[str, Any] = policy["spec"]
    return spec


def policy(values: dict[str, Any]) -> dict[str, Any]:
    return api_policy(render(values))


def destinations(spec: dict[str, Any]) -> dict[tuple[str, int, int], list[dict[str, Any]]]:
    """Each egress port (protocol, first, last) with the peers it may reach."""
    return {
        (port["protocol"], port["port"], port.get("endPort", port["port"])): rule["to"]
        for rule in spec["egress"]
        for port in rule["ports"]
    }


def sources(spec: dict[str, Any]) -> list[tuple[dict[str, Any], list[Any]]]:
    return [
        (peer, [port["port"] for port in rule["ports"]]) for rule in spec["ingress"] for peer in rule["from"]
    ]


@pytest.mark.parametrize("environment", ENVIRONMENTS)
def test_the_policy_governs_both_directions_of_the_api_pods(environment: str) -> None:
    spec = policy(stack_values(environment))

    assert spec["policyTypes"] == ["Ingress", "Egress"]


@pytest.mark.parametrize("environment", ENVIRONMENTS)
def test_every_egress_rule_of_every_policy_names_its_destination(environment: str) -> None:
    policies = [obj for obj in render(stack_values(environment)) if obj["kind"] == "NetworkPolicy"]

    assert len(policies) == 2  # the API's and the `helm test` pod's
    for rule in (rule for obj in policies for rule in obj["spec"]["egress"]):
        assert rule.get("to"), rule


def test_only_the_ingress_controller_namespace_and_the_release_test_pod_reach_the_api_port() -> None:
    assert sources(policy(minimal_values())) == [
        ({"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "ingress-nginx"}}}, ["http"]),
        (
            {
                "podSelector": {
                    "matchLabels": {
                        "app.kubernetes.io/instance": "taskapi",
                        "app.kubernetes.io/component": "helm-test",
                    }
                }
            },
            ["http"],
        ),
    ]


def test_the_monitoring_namespace_reaches_only_the_metrics_port_and_only_with_the_service_monitor() -> None:
    monitoring = {"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "monitoring"}}}
    with_monitor = sources(policy(merged(minimal_values(), {"serviceMonitor": {"enabled": True}})))

    assert monitoring not in [peer for peer, _ in sources(policy(minimal_values()))]
    assert (monitoring, ["metrics"]) in with_monitor
    assert all(ports == ["http"] for peer, ports in with_monitor if peer != monitoring)


def test_names_resolve_only_at_the_cluster_dns_pods() -> None:
    reach = destinations(policy(minimal_values()))

    assert reach[("UDP", 53, 53)] == reach[("TCP", 53, 53)] == [CLUSTER_DNS]


def test_by_default_mongodb_and_redis_are_reached_only_in_the_private_ranges() -> None:
    reach = destinations(policy(minimal_values()))

    assert set(reach) == {("UDP", 53, 53), ("TCP", 53, 53), ("TCP", 27015, 27017), ("TCP", 6379, 6379)}
    assert reach[("TCP", 6379, 6379)] == reach[("TCP", 27015, 27017)] == PRIVATE_RANGES


def test_the_stack_narrows_the_data_stores_to_its_vpc() -> None:
    values = merged(minimal_values(), {"networkPolicy": {"dataStoreCidrs": ["10.40.0.0/16"]}})
    reach = destinations(policy(values))

    assert (
        reach[("TCP", 6379, 6379)] == reach[("TCP", 27015, 27017)] == [{"ipBlock": {"cidr": "10.40.0.0/16"}}]
    )


def test_atlas_without_a_private_endpoint_is_reached_on_the_internet_but_redis_stays_private() -> None:
    values = merged(
        minimal_values(),
        {"networkPolicy": {"dataStoreCidrs": ["10.40.0.0/16"], "mongodbOverInternet": True}},
    )
    reach = destinations(policy(values))

    assert reach[("TCP", 27015, 27017)] == [INTERNET]
    assert reach[("TCP", 6379, 6379)] == [{"ipBlock": {"cidr": "10.40.0.0/16"}}]


def test_https_egress_for_sentry_is_opt_in_and_never_reaches_private_networks_or_instance_metadata() -> None:
    with_https = destinations(policy(merged(minimal_values(), {"networkPolicy": {"allowHttpsEgress": True}})))

    assert with_https[("TCP", 443, 443)] == [INTERNET]
    assert ("TCP", 443, 443) not in destinations(policy(minimal_values()))


@pytest.mark.parametrize(
    "cidrs",
    [["10.40.0.0"], ["10.40.0.0/33"], ["300.1.0.0/16"], ["any"], [], ["10.0.0.0/8", "10.0.0.0/8"]],
    ids=["no-prefix", "prefix-too-long", "octet-too-big", "word", "empty", "repeated"],
)
def test_data_store_networks_must_be_ipv4_cidrs(cidrs: list[str]) -> None:
    with pytest.raises(ChartValuesError, match=r"networkPolicy\.dataStoreCidrs"):
        render(merged(minimal_values(), {"networkPolicy": {"dataStoreCidrs": cidrs}}))


def test_the_helm_test_pod_may_only_resolve_names_and_call_the_api_port() -> None:
    objects = render(minimal_values())
    (test_policy,) = [obj for obj in objects if obj["metadata"]["name"] == "taskapi-helm-test"]
    api_selector = only(objects, "Deployment")["spec"]["selector"]

    assert test_policy["spec"]["ingress"] == []
    assert destinations(test_policy["spec"]) == {
        ("UDP", 53, 53): [CLUSTER_DNS],
        ("TCP", 53, 53): [CLUSTER_DNS],
        ("TCP", 8000, 8000): [{"podSelector": api_selector}],
    }


def test_a_single_mongodb_port_needs_no_range() -> None:
    values = merged(minimal_values(), {"networkPolicy": {"mongodbPorts": {"from": 27017, "to": 27017}}})
    ports = [port for rule in policy(values)["egress"] for port in rule["ports"]]

    assert {"port": 27017, "protocol": "TCP"} in ports
    assert all("endPort" not in port for port in ports)
