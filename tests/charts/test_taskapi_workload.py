"""The Deployment probes the app's own paths, reserves the guide's resources and rolls out safely."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from tests.charts.taskapi_chart import ENVIRONMENTS, merged, minimal_values, only, render, stack_values

INTERFACES = Path(__file__).resolve().parents[2] / "docs" / "interfaces.md"


def api_container(values: dict[str, Any]) -> dict[str, Any]:
    container: dict[str, Any] = only(render(values), "Deployment")["spec"]["template"]["spec"]["containers"][
        0
    ]
    return container


def documented_variables(section: str) -> set[str]:
    """The `NAME` variables in the table under a heading line of docs/interfaces.md."""
    text = INTERFACES.read_text()
    start = text.index(section)
    table = text[start:].split("\n\n", 2)[1]
    return set(re.findall(r"^\| `([A-Z_]+)` \|", table, flags=re.MULTILINE))


@pytest.mark.parametrize("environment", ENVIRONMENTS)
def test_probes_call_health_for_liveness_and_startup_and_ready_for_readiness(environment: str) -> None:
    container = api_container(stack_values(environment))

    assert container["livenessProbe"]["httpGet"] == {"path": "/health", "port": "http"}
    assert container["startupProbe"]["httpGet"] == {"path": "/health", "port": "http"}
    assert container["readinessProbe"]["httpGet"] == {"path": "/ready", "port": "http"}
    assert container["ports"] == [
        {"name": "http", "containerPort": 8000, "protocol": "TCP"},
        {"name": "metrics", "containerPort": 9464, "protocol": "TCP"},
    ]


@pytest.mark.parametrize("environment", ENVIRONMENTS)
def test_pods_request_256mi_and_250m_and_are_limited_to_512mi_and_500m(environment: str) -> None:
    assert api_container(stack_values(environment))["resources"] == {
        "requests": {"cpu": "250m", "memory": "256Mi"},
        "limits": {"cpu": "500m", "memory": "512Mi"},
    }


def test_resources_follow_the_values_the_stack_sets() -> None:
    values = merged(
        minimal_values(),
        {"resources": {"requests": {"cpu": "1", "memory": "1Gi"}, "limits": {"cpu": 2, "memory": "2Gi"}}},
    )

    assert api_container(values)["resources"] == {
        "requests": {"cpu": "1", "memory": "1Gi"},
        "limits": {"cpu": 2, "memory": "2Gi"},
    }


def test_a_rollout_never_takes_a_serving_pod_away_first() -> None:
    strategy = only(render(minimal_values()), "Deployment")["spec"]["strategy"]

    assert strategy["type"] == "RollingUpdate"
    assert strategy["rollingUpdate"]["maxUnavailable"] == 0


def test_the_grace_period_covers_the_pre_stop_pause_and_the_drain() -> None:
    values = merged(minimal_values(), {"shutdown": {"preStopSleepSeconds": 15, "drainSeconds": 25}})
    spec = only(render(values), "Deployment")["spec"]["template"]["spec"]

    assert spec["containers"][0]["lifecycle"]["preStop"] == {"sleep": {"seconds": 15}}
    assert spec["terminationGracePeriodSeconds"] == 40


def test_pods_spread_over_zones_and_nodes_counting_only_their_own_rollout() -> None:
    deployment = only(render(minimal_values()), "Deployment")
    spread = deployment["spec"]["template"]["spec"]["topologySpreadConstraints"]

    assert [constraint["topologyKey"] for constraint in spread] == [
        "topology.kubernetes.io/zone",
        "kubernetes.io/hostname",
    ]
    for constraint in spread:
        assert constraint["labelSelector"]["matchLabels"] == deployment["spec"]["selector"]["matchLabels"]
        assert constraint["matchLabelKeys"] == ["pod-template-hash"]


def test_changing_a_setting_rolls_the_pods_and_changing_nothing_does_not() -> None:
    def checksum(values: dict[str, Any]) -> str:
        annotations = only(render(values), "Deployment")["spec"]["template"]["metadata"]["annotations"]
        value: str = annotations["checksum/config"]
        return value

    before = checksum(minimal_values())
    after = checksum(merged(minimal_values(), {"config": {"logLevel": "debug"}}))

    assert before != after
    assert checksum(minimal_values()) == before


def test_with_autoscaling_the_deployment_leaves_the_replica_count_to_the_autoscaler() -> None:
    objects = render(stack_values("prod"))
    autoscaler = only(objects, "HorizontalPodAutoscaler")

    assert "replicas" not in only(objects, "Deployment")["spec"]
    assert autoscaler["spec"]["scaleTargetRef"] == {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "name": only(objects, "Deployment")["metadata"]["name"],
    }
    assert {metric["resource"]["name"] for metric in autoscaler["spec"]["metrics"]} == {"cpu", "memory"}


def test_the_config_map_holds_exactly_the_documented_non_secret_variables() -> None:
    config_map = only(render(minimal_values()), "ConfigMap")

    assert set(config_map["data"]) == documented_variables("Non-secret (from the chart's ConfigMap)")
    assert all(isinstance(value, str) for value in config_map["data"].values())


def test_settings_reach_the_environment_under_their_documented_names() -> None:
    values = merged(
        minimal_values(),
        {
            "config": {
                "corsOrigins": ["https://app.example.com", "https://admin.example.com"],
                "rateLimitMax": 50,
            }
        },
    )
    data = only(render(values), "ConfigMap")["data"]

    assert data["CORS_ORIGINS"] == "https://app.example.com,https://admin.example.com"
    assert data["RATE_LIMIT_MAX"] == "50"
    assert data["PORT"] == "8000"
    assert data["HOST"] == "0.0.0.0"  # the API alone binds loopback only


def test_sentry_traces_nothing_unless_a_sample_rate_is_given() -> None:
    assert only(render(minimal_values()), "ConfigMap")["data"]["SENTRY_TRACES_SAMPLE_RATE"] == "0"
    traced = merged(minimal_values(), {"sentryEnabled": True, "config": {"sentryTracesSampleRate": 0.05}})
    assert only(render(traced), "ConfigMap")["data"]["SENTRY_TRACES_SAMPLE_RATE"] == "0.05"


def test_sentry_names_the_release_after_the_image_tag_so_sessions_are_sent() -> None:
    values = merged(minimal_values(), {"image": {"tag": "1.4.2"}})
    assert only(render(values), "ConfigMap")["data"]["SENTRY_RELEASE"] == "taskapi@1.4.2"


def test_pods_read_the_configmap_and_each_documented_secret_from_a_file_of_the_existing_secret() -> None:
    spec = only(render(merged(minimal_values(), {"sentryEnabled": True})), "Deployment")["spec"]["template"]
    container = spec["spec"]["containers"][0]
    (volume,) = [volume["secret"] for volume in spec["spec"]["volumes"] if "secret" in volume]
    (mount,) = [mount for mount in container["volumeMounts"] if mount["name"] == "secrets"]
    paths = {variable["name"]: variable["value"] for variable in container["env"]}

    names = documented_variables("Secret (from the Kubernetes Secret")
    assert paths == {f"{name}_FILE": f"{mount['mountPath']}/{name}" for name in names}
    assert volume["secretName"] == "taskapi-secrets"
    assert sorted(item["key"] for item in volume["items"]) == sorted(names)
    assert all(item["path"] == item["key"] for item in volume["items"])
    assert container["envFrom"] == [{"configMapRef": {"name": "taskapi"}}]


def test_without_sentry_its_key_is_neither_mounted_nor_named() -> None:
    spec = only(render(minimal_values()), "Deployment")["spec"]["template"]["spec"]
    (volume,) = [volume["secret"] for volume in spec["volumes"] if "secret" in volume]

    assert "SENTRY_DSN" not in {item["key"] for item in volume["items"]}
    assert "SENTRY_DSN_FILE" not in {variable["name"] for variable in spec["containers"][0]["env"]}


def test_whole_numbers_given_as_floats_render_as_integers() -> None:
    # Pulumi's runtime hands numbers from stack config to the chart as floats.
    objects = render(
        merged(minimal_values(), {"replicaCount": 3.0, "podDisruptionBudget": {"minAvailable": 2.0}})
    )

    assert only(objects, "Deployment")["spec"]["replicas"] == 3
    assert only(objects, "PodDisruptionBudget")["spec"]["minAvailable"] == 2
