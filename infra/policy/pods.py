"""Hardened pods: non-root, read-only root, no capabilities or escalation, seccomp, limits, pinned images."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from pulumi_policy import (
    EnforcementLevel,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
)

from infra.policy.kube import containers, kind_of, pod_spec
from infra.policy.props import as_list, dig

_SECCOMP_OK = frozenset({"RuntimeDefault", "Localhost"})


def image_problem(image: object) -> str | None:
    """Why an image reference is not pinned, or None when it names a tag other than latest, or a digest."""
    if not isinstance(image, str) or not image:
        return "has no image"
    if "@sha256:" in image:
        return None
    last = image.rsplit("/", 1)[-1]
    if ":" not in last:
        return f"image {image} has no tag (means latest)"
    if last.rsplit(":", 1)[1] == "latest":
        return f"image {image} uses the latest tag"
    return None


def container_problems(container: Mapping[str, Any], pod: Mapping[str, Any]) -> Iterator[str]:
    """Each way one container falls short of the hardened baseline."""
    context = container.get("securityContext")
    pod_context = pod.get("securityContext")
    if dig(context, "runAsNonRoot") is not True and not (
        dig(pod_context, "runAsNonRoot") is True and dig(context, "runAsNonRoot") is None
    ):
        yield "runAsNonRoot is not true"
    if dig(context, "readOnlyRootFilesystem") is not True:
        yield "readOnlyRootFilesystem is not true"
    if "ALL" not in as_list(dig(context, "capabilities", "drop")):
        yield "capabilities.drop does not include ALL"
    if dig(context, "allowPrivilegeEscalation") is not False:
        yield "allowPrivilegeEscalation is not false"
    if dig(context, "privileged") is True:
        yield "runs privileged"
    seccomp = dig(context, "seccompProfile", "type") or dig(pod_context, "seccompProfile", "type")
    if seccomp not in _SECCOMP_OK:
        yield "seccompProfile.type is not RuntimeDefault"
    limits = dig(container, "resources", "limits")
    missing = [key for key in ("cpu", "memory") if dig(limits, key) in (None, "")]
    if missing:
        yield f"no resource limit for {' and '.join(missing)}"
    problem = image_problem(container.get("image"))
    if problem:
        yield problem


def _pods_hardened(args: ResourceValidationArgs, report: ReportViolation) -> None:
    kind = kind_of(args.resource_type)
    spec = pod_spec(kind, args.props) if kind else None
    if spec is None:
        return
    if dig(spec, "hostNetwork") is True or dig(spec, "hostPID") is True:
        report("pod shares the node's network or process namespace", None)
    for container in containers(spec):
        for problem in container_problems(container, spec):
            report(f"container {container.get('name', '?')}: {problem}", None)


HARDENED_PODS = ResourceValidationPolicy(
    name="hardened-pods",
    description="Workload containers run as non-root on a read-only root filesystem with no capabilities, "
    "no privilege escalation, RuntimeDefault seccomp, resource limits and a pinned image.",
    enforcement_level=EnforcementLevel.MANDATORY,
    validate=_pods_hardened,
)

POLICIES = [HARDENED_PODS]
