"""Reading Kubernetes objects from resource inputs (a manifest, as rendered by Helm or written by Pulumi)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from infra.policy.props import as_list, dig

# Where each workload kind keeps its pod spec.
_POD_SPEC_PATHS: dict[str, tuple[str, ...]] = {
    "Deployment": ("spec", "template", "spec"),
    "StatefulSet": ("spec", "template", "spec"),
    "DaemonSet": ("spec", "template", "spec"),
    "ReplicaSet": ("spec", "template", "spec"),
    "Job": ("spec", "template", "spec"),
    "CronJob": ("spec", "jobTemplate", "spec", "template", "spec"),
    "Pod": ("spec",),
}


def kind_of(resource_type: str) -> str | None:
    """`Deployment` for `kubernetes:apps/v1:Deployment`; None for anything that is not a Kubernetes object."""
    if not resource_type.startswith("kubernetes:"):
        return None
    module, _, kind = resource_type.removeprefix("kubernetes:").rpartition(":")
    group = module.split("/", 1)[0]
    # helm.sh Chart/Release, yaml ConfigGroup, kustomize Directory are Pulumi components, not objects.
    if group in {"helm.sh", "yaml", "kustomize"}:
        return None
    return kind


def pod_spec(kind: str, manifest: Mapping[str, Any]) -> Mapping[str, Any] | None:
    """The pod spec of a workload, or None when the kind runs no pods."""
    path = _POD_SPEC_PATHS.get(kind)
    spec = dig(manifest, *path) if path else None
    return spec if isinstance(spec, Mapping) else None


def containers(spec: Mapping[str, Any]) -> Iterator[Mapping[str, Any]]:
    """Every container and init container of a pod spec."""
    for key in ("initContainers", "containers"):
        for container in as_list(spec.get(key)):
            if isinstance(container, Mapping):
                yield container


def namespace_and_name(manifest: Mapping[str, Any], resource_name: str) -> tuple[str, str]:
    """An object's namespace and name; rendered objects are named `<namespace>/<name>` in a plan."""
    namespace = dig(manifest, "metadata", "namespace")
    name = dig(manifest, "metadata", "name")
    if "/" in resource_name:
        fallback_ns, fallback_name = resource_name.split("/", 1)
    else:
        fallback_ns, fallback_name = "default", resource_name
    return (str(namespace) if namespace else fallback_ns, str(name) if name else fallback_name)


def labels(manifest: Mapping[str, Any], *path: str) -> dict[str, Any]:
    """The labels (or matchLabels) at `path`, as a plain dict."""
    found = dig(manifest, *path)
    return {str(k): found[k] for k in found} if isinstance(found, Mapping) else {}
