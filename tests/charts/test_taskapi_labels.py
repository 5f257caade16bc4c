"""Every object carries the app.kubernetes.io labels, and selectors pick exactly the API pods."""

from __future__ import annotations

import pytest

from infra.toolkit.preview.helm_render import is_test_hook
from tests.charts.taskapi_chart import ENVIRONMENTS, merged, minimal_values, only, render, stack_values

RECOMMENDED = {
    "app.kubernetes.io/name",
    "app.kubernetes.io/instance",
    "app.kubernetes.io/version",
    "app.kubernetes.io/component",
    "app.kubernetes.io/part-of",
    "app.kubernetes.io/managed-by",
    "helm.sh/chart",
}


@pytest.mark.parametrize("environment", ENVIRONMENTS)
def test_every_object_carries_the_recommended_labels(environment: str) -> None:
    for obj in render(stack_values(environment)):
        labels = obj["metadata"]["labels"]
        assert labels.keys() >= RECOMMENDED, obj["kind"]
        assert labels["app.kubernetes.io/instance"] == "taskapi"
        assert labels["app.kubernetes.io/version"] == "1.4.2"


def test_the_deployment_selector_matches_its_pods_and_the_service_selects_the_same_pods() -> None:
    objects = render(minimal_values())
    deployment = only(objects, "Deployment")
    selector = deployment["spec"]["selector"]["matchLabels"]
    pod_labels = deployment["spec"]["template"]["metadata"]["labels"]

    assert selector.items() <= pod_labels.items()
    assert only(objects, "Service")["spec"]["selector"] == selector
    assert selector == {
        "app.kubernetes.io/name": "taskapi",
        "app.kubernetes.io/instance": "taskapi",
        "app.kubernetes.io/component": "api",
    }


def test_selectors_do_not_change_when_the_version_or_pod_labels_change() -> None:
    # A Deployment's selector is immutable: a change would make every upgrade fail.
    before = only(render(minimal_values()), "Deployment")["spec"]["selector"]
    upgraded = merged(minimal_values(), {"image": {"tag": "2.0.0"}, "podLabels": {"team": "platform"}})
    after = only(render(upgraded), "Deployment")["spec"]["selector"]

    assert after == before


def test_the_test_pod_is_outside_every_selector_of_the_api() -> None:
    objects = render(minimal_values())
    selector = only(objects, "Deployment")["spec"]["selector"]["matchLabels"]
    test_pods = [obj for obj in objects if is_test_hook(obj)]

    assert test_pods
    for pod in test_pods:
        assert not selector.items() <= pod["metadata"]["labels"].items()


def test_the_service_forwards_its_ports_to_the_named_container_ports() -> None:
    service = only(render(minimal_values()), "Service")

    assert service["spec"]["type"] == "ClusterIP"
    assert service["spec"]["ports"] == [
        {"name": "http", "port": 80, "targetPort": "http", "protocol": "TCP"},
        {"name": "metrics", "port": 9464, "targetPort": "metrics", "protocol": "TCP"},
    ]


def test_the_ingress_routes_its_host_to_the_service_with_tls_and_passes_annotations_through() -> None:
    values = merged(
        stack_values("prod"),
        {"ingress": {"annotations": {"nginx.ingress.kubernetes.io/proxy-body-size": "1m"}}},
    )
    objects = render(values)
    ingress = only(objects, "Ingress")
    backend = ingress["spec"]["rules"][0]["http"]["paths"][0]["backend"]["service"]

    assert ingress["spec"]["ingressClassName"] == "nginx"
    assert ingress["spec"]["tls"] == [
        {"hosts": ["api.prod.primetradeai.example"], "secretName": "taskapi-origin-tls"}
    ]
    assert ingress["spec"]["rules"][0]["host"] == "api.prod.primetradeai.example"
    assert backend == {"name": only(objects, "Service")["metadata"]["name"], "port": {"name": "http"}}
    assert ingress["metadata"]["annotations"] == {"nginx.ingress.kubernetes.io/proxy-body-size": "1m"}


def test_names_follow_the_release_and_the_overrides() -> None:
    assert only(render(minimal_values()), "Deployment")["metadata"]["name"] == "taskapi"
    renamed = merged(minimal_values(), {"fullnameOverride": "tasks"})
    assert {obj["metadata"]["name"] for obj in render(renamed) if not is_test_hook(obj)} == {
        "tasks",
        "tasks-helm-test",  # the NetworkPolicy of the `helm test` pod
    }
