"""The optional ServiceMonitor scrapes /metrics of exactly the API's Service.

ServiceMonitor is a Prometheus Operator custom resource, absent from Kubernetes' OpenAPI schemas, so
kubernetes-validate cannot check it: these tests check its fields one by one instead.
"""

from __future__ import annotations

from infra.toolkit.preview.helm_render import is_test_hook
from tests.charts.taskapi_chart import merged, minimal_values, only, render


def test_no_service_monitor_is_rendered_unless_enabled() -> None:
    assert "ServiceMonitor" not in {obj["kind"] for obj in render(minimal_values())}


def test_the_service_monitor_scrapes_metrics_on_the_metrics_port_of_the_api_service() -> None:
    values = merged(
        minimal_values(),
        {"serviceMonitor": {"enabled": True, "interval": "15s", "labels": {"release": "kube-prometheus"}}},
    )
    objects = render(values)
    monitor = only(objects, "ServiceMonitor")
    service = only(objects, "Service")

    assert monitor["apiVersion"] == "monitoring.coreos.com/v1"
    assert monitor["metadata"]["labels"]["release"] == "kube-prometheus"
    assert set(monitor["spec"]) == {"selector", "namespaceSelector", "endpoints"}
    assert monitor["spec"]["selector"]["matchLabels"].items() <= service["metadata"]["labels"].items()
    assert monitor["spec"]["namespaceSelector"] == {"matchNames": ["apps"]}
    assert monitor["spec"]["endpoints"] == [
        {"port": "metrics", "path": "/metrics", "interval": "15s", "scrapeTimeout": "10s"}
    ]
    assert [port["name"] for port in service["spec"]["ports"]] == ["http", "metrics"]


def test_the_helm_test_pod_calls_health_through_the_service() -> None:
    objects = render(minimal_values())
    (test_pod,) = [obj for obj in objects if is_test_hook(obj)]
    command = "\n".join(test_pod["spec"]["containers"][0]["command"])

    assert test_pod["kind"] == "Pod"
    assert test_pod["spec"]["restartPolicy"] == "Never"
    assert "http://taskapi:80/health" in command
    assert (
        test_pod["metadata"]["annotations"]["helm.sh/hook-delete-policy"]
        == "before-hook-creation,hook-succeeded"
    )
