"""The disruption budget always leaves room to evict a pod, whatever owns the replica count."""

from __future__ import annotations

import pytest

from infra.toolkit.preview.helm_render import ChartValuesError
from tests.charts.taskapi_chart import ENVIRONMENTS, merged, minimal_values, only, render, stack_values


@pytest.mark.parametrize("environment", ENVIRONMENTS)
def test_min_available_stays_below_the_fewest_pods_in_every_environment(environment: str) -> None:
    objects = render(stack_values(environment))
    budgets = [obj for obj in objects if obj["kind"] == "PodDisruptionBudget"]
    autoscalers = [obj for obj in objects if obj["kind"] == "HorizontalPodAutoscaler"]
    fewest = (
        autoscalers[0]["spec"]["minReplicas"]
        if autoscalers
        else only(objects, "Deployment")["spec"]["replicas"]
    )

    for budget in budgets:
        assert budget["spec"]["minAvailable"] < fewest


def test_the_budget_selects_exactly_the_api_pods() -> None:
    objects = render(minimal_values())

    assert (
        only(objects, "PodDisruptionBudget")["spec"]["selector"]
        == only(objects, "Deployment")["spec"]["selector"]
    )


@pytest.mark.parametrize(
    ("override", "named"),
    [
        ({"replicaCount": 0}, "replicaCount"),
        ({"replicaCount": 1}, "replicaCount"),
        ({"autoscaling": {"enabled": True, "minReplicas": 1}}, "autoscaling.minReplicas"),
        ({"replicaCount": 3, "podDisruptionBudget": {"minAvailable": 3}}, "podDisruptionBudget.minAvailable"),
        (
            {"autoscaling": {"enabled": True, "minReplicas": 3}, "podDisruptionBudget": {"minAvailable": 4}},
            "podDisruptionBudget.minAvailable",
        ),
    ],
)
def test_a_budget_the_replicas_cannot_satisfy_is_refused_naming_the_value(
    override: dict[str, object], named: str
) -> None:
    with pytest.raises(ChartValuesError, match=named):
        render(merged(minimal_values(), override))


def test_zero_replicas_render_when_the_budget_is_disabled() -> None:
    values = merged(minimal_values(), {"replicaCount": 0, "podDisruptionBudget": {"enabled": False}})

    assert only(render(values), "Deployment")["spec"]["replicas"] == 0


def test_an_autoscaler_whose_minimum_exceeds_its_maximum_is_refused() -> None:
    values = merged(minimal_values(), {"autoscaling": {"enabled": True, "minReplicas": 5, "maxReplicas": 3}})

    with pytest.raises(ChartValuesError, match=r"autoscaling\.minReplicas \(5\) must not exceed"):
        render(values)
