"""Render and lint a Helm chart offline with the embedded Helm SDK, returning Kubernetes objects.

The chart's values.schema.json and its template checks run exactly as in `helm template`; a refusal
becomes a `ChartValuesError` whose message names each offending value by its dotted path
(``image.tag``), and never repeats the value itself, since it might be a secret put in the wrong place.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import helm_python as helm
import yaml

__all__ = [
    "ChartRenderError",
    "ChartValuesError",
    "is_test_hook",
    "lint_chart",
    "render_chart",
]

# Helm lint severities: 0 unknown, 1 info, 2 warning, 3 error.
_WARNING = 2

_SCHEMA_PREAMBLE = re.compile(
    r"values don't meet the specifications of the schema\(s\) in the following chart\(s\):\s*"
)
_SCHEMA_LOCATION = re.compile(r"at '(/[^']*)?'")
# The schema validator quotes the rejected value in pattern errors; the value may be a secret.
_QUOTED_VALUE = re.compile(r"'(?:[^'\\]|\\.)*' does not match pattern")
_TEMPLATE_FAILURE = re.compile(r"execution error at \(([^)]*)\):\s*")
_NOT_FAILED = re.compile(r"at '(?P<path>[^']+)': 'not' failed")
_CHART_HEADER = re.compile(r"^(?:[\w./-]+: )?(?:[a-z0-9][a-z0-9-]*:\n)?")
# `helm lint` renders with this release name too.
_LINT_RELEASE = "release-name"


class ChartRenderError(Exception):
    """The chart could not be loaded or rendered."""


class ChartValuesError(ChartRenderError, ValueError):
    """The chart refused the values: its schema or one of its template checks failed."""


def _dotted(match: re.Match[str]) -> str:
    pointer = match.group(1) or ""
    path = ".".join(part.replace("~1", "/").replace("~0", "~") for part in pointer.strip("/").split("/"))
    return f"at '{path or '(top level)'}'"


def _description(schema: Mapping[str, Any] | None, dotted: str) -> str | None:
    node: Any = schema
    for key in dotted.split("."):
        if not isinstance(node, Mapping):
            return None
        node = (node.get("properties") or {}).get(key)
    description = node.get("description") if isinstance(node, Mapping) else None
    return description if isinstance(description, str) else None


def _explain(error: helm.HelmError, schema: Mapping[str, Any] | None = None) -> str:
    """Helm's message, with JSON pointers as dotted value paths and rejected values left out.

    A failed `not` says nothing of what was excluded, so the value's schema description is added.
    """
    text = _SCHEMA_PREAMBLE.sub("", str(error)).strip()
    text = _QUOTED_VALUE.sub("value does not match pattern", text)
    text = _SCHEMA_LOCATION.sub(_dotted, text)

    def described(match: re.Match[str]) -> str:
        description = _description(schema, match["path"])
        return f"{match[0]} ({description})" if description else match[0]

    text = _NOT_FAILED.sub(described, text)
    return _TEMPLATE_FAILURE.sub(r"\1: ", text)


def _plain(value: Any) -> Any:
    """A deep, JSON-ready copy, so callers may pass any mapping or sequence and keep theirs untouched."""
    if isinstance(value, Mapping):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return copy.copy(value)


def _load(chart_dir: Path) -> helm.Chart:
    try:
        return helm.Chart.load(chart_dir)
    except helm.HelmError as error:
        raise ChartRenderError(f"cannot load the chart at {chart_dir}: {error}") from error


def render_chart(
    chart_dir: Path,
    values: Mapping[str, Any],
    *,
    release_name: str,
    namespace: str,
) -> list[dict[str, Any]]:
    """Render the chart as `helm template` would and return its objects, in template order.

    Hooks (such as the `helm test` Pod) are included; filter them with `is_test_hook`.

    Raises:
        ChartValuesError: the values break the chart's schema or a template check.
        ChartRenderError: the chart cannot be loaded, or the release name is not valid.
    """
    try:
        helm.validate_release_name(release_name)
    except helm.HelmError as error:
        raise ChartRenderError(f"release name {release_name!r} is not valid: {error}") from error
    with _load(chart_dir) as chart:
        try:
            manifests = chart.render(_plain(values), name=release_name, namespace=namespace, is_install=True)
        except (helm.HelmValuesError, helm.HelmRenderError) as error:
            raise ChartValuesError(
                f"chart {chart_dir.name} refused the values:\n{_explain(error, chart.schema)}"
            ) from error
        except helm.HelmError as error:
            raise ChartRenderError(f"chart {chart_dir.name} failed to render: {_explain(error)}") from error
    objects: list[dict[str, Any]] = []
    for template in sorted(manifests):
        if not template.endswith((".yaml", ".yml")):
            continue  # NOTES.txt and other text output.
        objects.extend(doc for doc in yaml.safe_load_all(manifests[template]) if doc)
    return objects


def lint_chart(
    chart_dir: Path,
    values: Mapping[str, Any],
    *,
    namespace: str,
    kube_version: str,
) -> list[str]:
    """Lint the chart strictly (warnings count) for a Kubernetes version such as "v1.34.0".

    Helm lints templates in a mode where `fail` only logs, so the chart is also rendered and a template
    check's refusal is reported as a finding too. Returns one line per distinct finding; an empty list
    means the chart is lint clean.
    """
    report = helm.lint(chart_dir, _plain(values), strict=True, namespace=namespace, kube_version=kube_version)
    raw = [
        str(message.get("error", ""))
        for message in report.get("messages", [])
        if int(message.get("severity", 0)) >= _WARNING
    ]
    raw.extend(str(error) for error in report.get("errors", []) or [])
    with _load(chart_dir) as chart:
        schema = chart.schema
    findings = [_CHART_HEADER.sub("", _explain(helm.HelmError(text), schema)).strip() for text in raw]
    if not findings:
        try:
            render_chart(chart_dir, values, release_name=_LINT_RELEASE, namespace=namespace)
        except ChartValuesError as error:
            findings.append(_CHART_HEADER.sub("", str(error).split("\n", 1)[-1]).strip())
    # Helm reports one schema failure once per lint stage.
    return list(dict.fromkeys(findings))


def is_test_hook(obj: Mapping[str, Any]) -> bool:
    """Whether a rendered object is a `helm test` hook rather than part of the release."""
    annotations = obj.get("metadata", {}).get("annotations") or {}
    hooks = str(annotations.get("helm.sh/hook", "")).split(",")
    return "test" in (hook.strip() for hook in hooks)
