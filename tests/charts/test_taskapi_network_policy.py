"""Traffic reaches the API only through the ingress controller, and leaves only for DNS, MongoDB, Redis."""

from __future__ import annotations

from typing import Any

import pytest

from tests.charts.taskapi_chart import ENVIRONMENTS, merged, minimal_values, only, render, stack_values


def policy(values: dict[str, Any]) -> dict[str, Any]:
    spec: dict[str, Any] = only(render(values), "NetworkPolicy")["spec"]
    return spec


def egress_ports(spec: dict[str, Any]) -> set[tuple[str, int, int]]:
    return {
        (port["protocol"], port["port"], port.get("endPort", port["port"]))
        for rule in spec["egress"]
        for port in rule["ports"]
    }


def sources(spec: dict[str, Any]) -> list[dict[str, Any]]:
    return [peer for rule in spec["ingress"] for peer in rule["from"]]


@pytest.mark.parametrize("environment", ENVIRONMENTS)
def test_the_policy_governs_both_directions_of_the_api_pods(environment: str) -> None:
    objects = render(stack_values(environment))
    spec = only(objects, "NetworkPolicy")["spec"]

    assert spec["policyTypes"] == ["Ingress", "Egress"]
    assert spec["podSelector"] == only(objects, "Deployment")["spec"]["selector"]


def test_only_the_ingress_controller_namespace_and_the_release_test_pod_reach_the_api() -> None:
    spec = policy(minimal_values())

    assert sources(spec) == [
        {"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "ingress-nginx"}}},
        {
            "podSelector": {
                "matchLabels": {
                    "app.kubernetes.io/instance": "taskapi",
                    "app.kubernetes.io/component": "helm-test",
                }
            }
        },
    ]
    assert all(rule["ports"] == [{"port": "http", "protocol": "TCP"}] for rule in spec["ingress"])


def test_the_monitoring_namespace_may_scrape_only_when_the_service_monitor_is_enabled() -> None:
    monitoring = {"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "monitoring"}}}

    assert monitoring not in sources(policy(minimal_values()))
    assert monitoring in sources(policy(merged(minimal_values(), {"serviceMonitor": {"enabled": True}})))


def test_pods_may_only_resolve_names_and_reach_mongodb_and_redis() -> None:
    assert egress_ports(policy(minimal_values())) == {
        ("UDP", 53, 53),
        ("TCP", 53, 53),
        ("TCP", 27015, 27017),
        ("TCP", 6379, 6379),
    }


def test_https_egress_for_sentry_is_opt_in() -> None:
    with_https = egress_ports(policy(merged(minimal_values(), {"networkPolicy": {"allowHttpsEgress": True}})))

    assert ("TCP", 443, 443) in with_https
    assert ("TCP", 443, 443) not in egress_ports(policy(minimal_values()))


def test_a_single_mongodb_port_needs_no_range() -> None:
    values = merged(minimal_values(), {"networkPolicy": {"mongodbPorts": {"from": 27017, "to": 27017}}})
    ports = [port for rule in policy(values)["egress"] for port in rule["ports"]]

    assert {"port": 27017, "protocol": "TCP"} in ports
    assert all("endPort" not in port for port in ports)
