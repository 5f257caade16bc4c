"""The objects a Helm chart resource deploys, rendered offline and listed as the resource's children.

Under the mock runtime a `helm.sh/v4:Chart` registers no children and a `helm.sh/v3:Release` is one
opaque resource; rendering the chart with the release's own (already redacted) values shows what the
cluster would receive.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from pydantic import JsonValue

from infra.toolkit.errors import ToolkitError
from infra.toolkit.plan import SECRET, Resource
from infra.toolkit.urns import child_urn, default_provider_urn
from infra.toolkit.values import plan_value

# Kinds that live outside any namespace (the rest take the release's namespace).
_CLUSTER_SCOPED = frozenset(
    {
        "Namespace",
        "ClusterRole",
        "ClusterRoleBinding",
        "CustomResourceDefinition",
        "PriorityClass",
        "StorageClass",
        "PersistentVolume",
        "IngressClass",
        "ValidatingWebhookConfiguration",
        "MutatingWebhookConfiguration",
        "APIService",
    }
)


@dataclass(frozen=True)
class RenderedChart:
    """The children rendered for one chart resource."""

    RELEASE_TYPES: ClassVar[frozenset[str]] = frozenset(
        {"kubernetes:helm.sh/v4:Chart", "kubernetes:helm.sh/v3:Release"}
    )
    children: list[Resource] = field(default_factory=list)


def kubernetes_type(api_version: str, kind: str) -> str:
    """The Pulumi type token of a Kubernetes object (`v1` is the `core` group)."""
    group_version = api_version if "/" in api_version else f"core/{api_version}"
    return f"kubernetes:{group_version}:{kind}"


def _chart_dir(chart: JsonValue, search_dirs: tuple[Path, ...]) -> Path | None:
    if not isinstance(chart, str) or not chart or chart.startswith(("oci://", "http://", "https://")):
        return None
    for base in search_dirs:
        candidate = (base / chart).resolve()
        if (candidate / "Chart.yaml").is_file():
            return candidate
    return None


def _redact_secret_object(manifest: dict[str, JsonValue]) -> dict[str, JsonValue]:
    if manifest.get("kind") != "Secret":
        return manifest
    redacted = dict(manifest)
    for key in ("data", "stringData"):
        block = manifest.get(key)
        if isinstance(block, dict):
            redacted[key] = dict.fromkeys(block, SECRET)
    return redacted


def _stack_and_project(urn: str) -> tuple[str, str]:
    stack, project = urn.removeprefix("urn:pulumi:").split("::", 2)[:2]
    return stack, project


def _child(release: Resource, manifest: Mapping[str, Any], namespace: str) -> Resource | None:
    api_version, kind = manifest.get("apiVersion"), manifest.get("kind")
    metadata = manifest.get("metadata") or {}
    name = metadata.get("name") if isinstance(metadata, Mapping) else None
    if not (isinstance(api_version, str) and isinstance(kind, str) and isinstance(name, str)):
        return None
    object_namespace = metadata.get("namespace") or (None if kind in _CLUSTER_SCOPED else namespace)
    child_name = f"{object_namespace}/{name}" if object_namespace else name
    child_type = kubernetes_type(api_version, kind)
    inputs = plan_value(dict(manifest))
    assert isinstance(inputs, dict)  # a mapping stays a mapping
    rendered_metadata = inputs.get("metadata")
    if object_namespace and isinstance(rendered_metadata, dict):
        # Pulumi sets the release namespace on each namespaced object it deploys from the chart.
        inputs["metadata"] = {**rendered_metadata, "namespace": object_namespace}
    return Resource(
        urn=child_urn(release.urn, child_type, child_name),
        type=child_type,
        name=child_name,
        custom=True,
        parent=release.urn,
        provider=release.provider or default_provider_urn(*_stack_and_project(release.urn), child_type),
        inputs=_redact_secret_object(inputs),
        rendered=True,
    )


def render_release_children(release: Resource, search_dirs: tuple[Path, ...]) -> RenderedChart:
    """Render the release's local chart with its values; a chart from a repository is left unrendered.

    `search_dirs` are where a relative chart path may start: the program's directory (Pulumi runs the
    program from there), then the project's.
    """
    from infra.toolkit.preview.helm_render import ChartRenderError, is_test_hook, render_chart

    chart_dir = _chart_dir(release.inputs.get("chart"), search_dirs)
    if chart_dir is None:
        return RenderedChart()
    values = release.inputs.get("values")
    namespace = release.inputs.get("namespace")
    release_name = release.inputs.get("name")
    namespace = namespace if isinstance(namespace, str) and namespace else "default"
    release_name = release_name if isinstance(release_name, str) and release_name else release.name
    try:
        manifests = render_chart(
            chart_dir,
            values if isinstance(values, dict) else {},
            release_name=release_name,
            namespace=namespace,
        )
    except ChartRenderError as error:
        reason = " ".join(str(error).split())
        raise ToolkitError(f"{release.name}: the chart at {chart_dir} cannot be rendered: {reason}") from None
    children = [_child(release, manifest, namespace) for manifest in manifests if not is_test_hook(manifest)]
    return RenderedChart([child for child in children if child is not None])
