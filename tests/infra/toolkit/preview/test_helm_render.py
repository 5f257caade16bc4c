"""render_chart and lint_chart run real Helm on a chart directory and explain refusals by value name."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from infra.toolkit.preview.helm_render import (
    ChartRenderError,
    ChartValuesError,
    is_test_hook,
    lint_chart,
    render_chart,
)

SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "required": ["greeting"],
    "properties": {
        "greeting": {"type": "string", "minLength": 1, "pattern": "^[a-z ]+$"},
        "replicas": {"type": "integer", "minimum": 0},
        "limits": {
            "type": "object",
            "additionalProperties": False,
            "properties": {"max": {"type": "integer"}},
        },
    },
}
CONFIG_MAP = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ .Release.Name }}-greeting
  namespace: {{ .Release.Namespace }}
data:
  greeting: {{ .Values.greeting | quote }}
{{- if gt (int .Values.replicas) 5 }}
{{- fail "replicas must be at most 5" }}
{{- end }}
---
# An empty document, as templates with a false condition produce.
"""
TEST_POD = """\
apiVersion: v1
kind: Pod
metadata:
  name: {{ .Release.Name }}-test
  annotations:
    helm.sh/hook: test
spec:
  containers:
    - name: test
      image: busybox:1.37
"""


@pytest.fixture
def chart(tmp_path: Path) -> Path:
    chart = tmp_path / "greeter"
    (chart / "templates" / "tests").mkdir(parents=True)
    (chart / "Chart.yaml").write_text("apiVersion: v2\nname: greeter\nversion: 0.1.0\n")
    (chart / "values.yaml").write_text(
        "# greeting is what the ConfigMap says.\ngreeting: hello\nreplicas: 1\n"
    )
    (chart / "values.schema.json").write_text(json.dumps(SCHEMA))
    (chart / "templates" / "configmap.yaml").write_text(CONFIG_MAP)
    (chart / "templates" / "tests" / "pod.yaml").write_text(TEST_POD)
    (chart / "templates" / "NOTES.txt").write_text("Installed {{ .Release.Name }}.\n")
    return chart


def test_rendering_returns_the_objects_with_release_name_namespace_and_values_applied(chart: Path) -> None:
    objects = render_chart(chart, {"greeting": "good day"}, release_name="demo", namespace="apps")

    assert [(obj["kind"], obj["metadata"]["name"]) for obj in objects] == [
        ("ConfigMap", "demo-greeting"),
        ("Pod", "demo-test"),
    ]
    assert objects[0]["metadata"]["namespace"] == "apps"
    assert objects[0]["data"] == {"greeting": "good day"}


def test_test_hooks_are_told_apart_from_the_release(chart: Path) -> None:
    objects = render_chart(chart, {}, release_name="demo", namespace="apps")

    assert [is_test_hook(obj) for obj in objects] == [False, True]


def test_the_callers_values_are_left_untouched(chart: Path) -> None:
    values = {"greeting": "hi", "limits": {"max": 3}}

    render_chart(chart, values, release_name="demo", namespace="apps")

    assert values == {"greeting": "hi", "limits": {"max": 3}}


def test_a_schema_refusal_names_each_value_by_its_dotted_path(chart: Path) -> None:
    with pytest.raises(ChartValuesError) as refused:
        render_chart(
            chart, {"replicas": "two", "limits": {"max": "x"}}, release_name="demo", namespace="apps"
        )

    assert "at 'replicas': got string, want integer" in str(refused.value)
    assert "at 'limits.max': got string, want integer" in str(refused.value)


def test_an_unknown_key_is_named(chart: Path) -> None:
    with pytest.raises(ChartValuesError, match="additional properties 'replica' not allowed"):
        render_chart(chart, {"replica": 2}, release_name="demo", namespace="apps")


def test_a_rejected_value_is_never_repeated_in_the_message(chart: Path) -> None:
    with pytest.raises(ChartValuesError) as refused:
        render_chart(chart, {"greeting": "hunter2-Secret"}, release_name="demo", namespace="apps")

    assert "at 'greeting': value does not match pattern" in str(refused.value)
    assert "hunter2" not in str(refused.value)


def test_a_template_check_is_reported_with_its_template(chart: Path) -> None:
    with pytest.raises(
        ChartValuesError, match=r"greeter/templates/configmap\.yaml.*replicas must be at most 5"
    ):
        render_chart(chart, {"replicas": 9}, release_name="demo", namespace="apps")


def test_a_missing_chart_and_a_bad_release_name_are_render_errors(tmp_path: Path, chart: Path) -> None:
    with pytest.raises(ChartRenderError, match="cannot load the chart"):
        render_chart(tmp_path / "nowhere", {}, release_name="demo", namespace="apps")
    with pytest.raises(ChartRenderError, match="release name 'Not_Valid'"):
        render_chart(chart, {}, release_name="Not_Valid", namespace="apps")


def test_a_clean_chart_lints_clean(chart: Path) -> None:
    assert lint_chart(chart, {}, namespace="apps", kube_version="v1.34.0") == []


def test_lint_reports_schema_refusals_once_by_value_name(chart: Path) -> None:
    findings = lint_chart(chart, {"replicas": "two"}, namespace="apps", kube_version="v1.34.0")

    assert len(findings) == 1
    assert "at 'replicas': got string, want integer" in findings[0]


def test_lint_also_reports_template_checks_that_helm_lint_only_logs(chart: Path) -> None:
    findings = lint_chart(chart, {"replicas": 9}, namespace="apps", kube_version="v1.34.0")

    assert len(findings) == 1
    assert findings[0].startswith("greeter/templates/configmap.yaml:")
    assert findings[0].endswith(": replicas must be at most 5")
