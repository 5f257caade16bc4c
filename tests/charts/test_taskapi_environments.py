"""Each environment's release lints clean, renders, and validates against Kubernetes 1.34's schemas."""

from __future__ import annotations

import kubernetes_validate
import pytest

from infra.toolkit.preview.helm_render import is_test_hook, lint_chart
from tests.charts.taskapi_chart import (
    CHART_DIR,
    ENVIRONMENTS,
    KUBERNETES_VERSION,
    NAMESPACE,
    kinds,
    only,
    render,
    stack_values,
)

# Custom resources have no schema in Kubernetes' OpenAPI document; they are checked field by field in
# test_taskapi_monitoring.py instead.
CUSTOM_RESOURCE_GROUPS = ("monitoring.coreos.com/",)


@pytest.mark.parametrize("environment", ENVIRONMENTS)
def test_each_environment_lints_clean_in_strict_mode(environment: str) -> None:
    findings = lint_chart(
        CHART_DIR, stack_values(environment), namespace=NAMESPACE, kube_version=f"v{KUBERNETES_VERSION}"
    )

    assert findings == []


@pytest.mark.parametrize("environment", ENVIRONMENTS)
def test_every_object_of_each_environment_is_valid_kubernetes_1_34(environment: str) -> None:
    values = stack_values(environment)
    values["serviceMonitor"] = {"enabled": True}
    skipped = []
    for obj in render(values):
        if obj["apiVersion"].startswith(CUSTOM_RESOURCE_GROUPS):
            skipped.append(obj["kind"])
            continue
        kubernetes_validate.validate(obj, KUBERNETES_VERSION, strict=True)

    assert skipped == ["ServiceMonitor"]


def test_prod_runs_three_pods_scaled_between_three_and_ten_with_two_kept_through_drains() -> None:
    objects = render(stack_values("prod"))
    autoscaler = only(objects, "HorizontalPodAutoscaler")

    assert (autoscaler["spec"]["minReplicas"], autoscaler["spec"]["maxReplicas"]) == (3, 10)
    assert only(objects, "PodDisruptionBudget")["spec"]["minAvailable"] == 2
    assert only(objects, "ConfigMap")["data"]["APP_ENV"] == "production"


def test_prod_refuses_to_put_two_pods_in_one_zone() -> None:
    spread = only(render(stack_values("prod")), "Deployment")["spec"]["template"]["spec"][
        "topologySpreadConstraints"
    ]
    by_key = {constraint["topologyKey"]: constraint for constraint in spread}

    assert by_key["topology.kubernetes.io/zone"]["whenUnsatisfiable"] == "DoNotSchedule"
    assert by_key["topology.kubernetes.io/zone"]["maxSkew"] == 1


def test_dev_runs_one_pod_without_autoscaler_or_disruption_budget() -> None:
    objects = render(stack_values("dev"))

    assert only(objects, "Deployment")["spec"]["replicas"] == 1
    assert "HorizontalPodAutoscaler" not in kinds(objects)
    assert "PodDisruptionBudget" not in kinds(objects)
    assert only(objects, "ConfigMap")["data"]["APP_ENV"] == "development"


def test_staging_autoscales_with_a_disruption_budget() -> None:
    objects = render(stack_values("staging"))

    assert {"HorizontalPodAutoscaler", "PodDisruptionBudget"} <= kinds(objects)
    assert only(objects, "ConfigMap")["data"]["APP_ENV"] == "staging"


@pytest.mark.parametrize("environment", ENVIRONMENTS)
def test_each_environment_deploys_the_api_behind_its_ingress(environment: str) -> None:
    objects = render(stack_values(environment))

    assert {
        "ConfigMap",
        "Deployment",
        "Service",
        "ServiceAccount",
        "Ingress",
        "NetworkPolicy",
    } <= kinds(objects)
    assert [obj["kind"] for obj in objects if is_test_hook(obj)] == ["Pod"]
