"""Bad values fail both `helm lint` and `helm template`, with a message that names the value."""

from __future__ import annotations

from typing import Any

import pytest

from infra.toolkit.preview.helm_render import ChartValuesError, lint_chart
from tests.charts.taskapi_chart import (
    CHART_DIR,
    KUBERNETES_VERSION,
    NAMESPACE,
    merged,
    minimal_values,
    render,
)


def without(values: dict[str, Any], key: str) -> dict[str, Any]:
    return {name: value for name, value in values.items() if name != key}


BAD_VALUES = [
    pytest.param(merged(minimal_values(), {"replicaCount": "three"}), "replicaCount", id="wrong-type"),
    pytest.param(
        merged(minimal_values(), {"autoscaling": {"enabled": "yes"}}), "autoscaling.enabled", id="not-a-bool"
    ),
    pytest.param(merged(minimal_values(), {"replicas": 3}), "'replicas' not allowed", id="unknown-key"),
    pytest.param(
        merged(minimal_values(), {"config": {"logLevl": "debug"}}),
        "'logLevl' not allowed",
        id="misspelt-setting",
    ),
    pytest.param(without(minimal_values(), "existingSecret"), "existingSecret", id="missing-existing-secret"),
    pytest.param(
        merged(minimal_values(), {"existingSecret": ""}), "existingSecret", id="empty-existing-secret"
    ),
    pytest.param({"existingSecret": "taskapi-secrets"}, "image.tag", id="missing-image-tag"),
    pytest.param(merged(minimal_values(), {"image": {"tag": "latest"}}), "image.tag", id="latest-tag"),
    pytest.param(
        merged(minimal_values(), {"image": {"tag": "Latest"}}), "image.tag", id="latest-tag-any-case"
    ),
    pytest.param(
        merged(minimal_values(), {"image": {"digest": "sha256:abc"}}), "image.digest", id="short-digest"
    ),
    pytest.param(
        merged(minimal_values(), {"replicaCount": 0}), "replicaCount", id="zero-replicas-with-a-budget"
    ),
    pytest.param(merged(minimal_values(), {"replicaCount": -1}), "replicaCount", id="negative-replicas"),
    pytest.param(
        merged(minimal_values(), {"config": {"appEnv": "prod"}}), "config.appEnv", id="unknown-environment"
    ),
    pytest.param(
        merged(minimal_values(), {"resources": {"limits": {"memory": "lots"}}}),
        "resources.limits.memory",
        id="bad-quantity",
    ),
    pytest.param(
        merged(minimal_values(), {"config": {"sentryTracesSampleRate": 1.5}}),
        "config.sentryTracesSampleRate",
        id="sample-rate-above-one",
    ),
    pytest.param(
        merged(minimal_values(), {"config": {"sentryTracesSampleRate": -0.1}}),
        "config.sentryTracesSampleRate",
        id="negative-sample-rate",
    ),
    pytest.param(
        merged(minimal_values(), {"config": {"sentryTracesSampleRate": "all"}}),
        "config.sentryTracesSampleRate",
        id="sample-rate-not-a-number",
    ),
    pytest.param(
        merged(minimal_values(), {"ingress": {"enabled": True}}), "ingress.host", id="ingress-without-host"
    ),
    pytest.param(
        merged(minimal_values(), {"topologySpread": {"zoneWhenUnsatisfiable": "Never"}}),
        "topologySpread.zoneWhenUnsatisfiable",
        id="bad-enum",
    ),
    pytest.param(
        merged(minimal_values(), {"podLabels": {"app.kubernetes.io/component": "worker"}}),
        "at 'podLabels': 'not' failed",
        id="pod-label-replacing-a-selector-label",
    ),
    pytest.param(
        merged(minimal_values(), {"podAnnotations": {"checksum/config": "0"}}),
        "at 'podAnnotations': 'not' failed",
        id="pod-annotation-replacing-the-config-checksum",
    ),
    pytest.param(
        merged(minimal_values(), {"podLabels": {"team": "platform engineering"}}),
        "podLabels.team",
        id="invalid-label-value",
    ),
    pytest.param(
        merged(minimal_values(), {"nodeSelector": {"bad key!": "x"}}),
        "'bad key!' not allowed",
        id="invalid-label-key",
    ),
    pytest.param(
        merged(minimal_values(), {"priorityClassName": "High Priority"}),
        "priorityClassName",
        id="invalid-priority-class-name",
    ),
    pytest.param(
        merged(minimal_values(), {"serviceAccount": {"annotations": {"eks.amazonaws.com/role-arn": 42}}}),
        "serviceAccount.annotations.eks.amazonaws.com/role-arn",
        id="non-string-annotation",
    ),
]


@pytest.mark.parametrize(("values", "named"), BAD_VALUES)
def test_bad_values_fail_to_render_naming_the_value(values: dict[str, Any], named: str) -> None:
    with pytest.raises(ChartValuesError, match=named.replace(".", r"\.")):
        render(values)


@pytest.mark.parametrize(("values", "named"), BAD_VALUES)
def test_bad_values_fail_lint_naming_the_value(values: dict[str, Any], named: str) -> None:
    findings = lint_chart(CHART_DIR, values, namespace=NAMESPACE, kube_version=f"v{KUBERNETES_VERSION}")

    assert findings
    assert any(named in finding for finding in findings), findings


def test_a_refusal_is_a_value_error_that_lists_every_bad_value_at_once() -> None:
    values = merged(minimal_values(), {"replicaCount": "three", "service": {"port": 0}})

    with pytest.raises(ValueError, match="replicaCount") as refused:
        render(values)

    assert "service.port" in str(refused.value)


def test_the_chart_alone_fails_lint_until_the_required_values_are_given() -> None:
    findings = lint_chart(CHART_DIR, {}, namespace=NAMESPACE, kube_version=f"v{KUBERNETES_VERSION}")

    assert any("existingSecret" in finding for finding in findings)
    assert any("image.tag" in finding for finding in findings)


def test_the_latest_tag_is_refused_with_the_reason() -> None:
    with pytest.raises(ChartValuesError, match=r"image\.tag.*never \"latest\""):
        render(merged(minimal_values(), {"image": {"tag": "latest"}}))
