"""Tags and labels: AWS resources carry the cost tags, Kubernetes objects the app.kubernetes.io pair."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pulumi_policy import (
    EnforcementLevel,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
)

from infra.policy.aws_taggable import TAGGABLE_AWS_TYPES
from infra.policy.kube import kind_of, labels
from infra.policy.props import dig

# The keys infra/components/tagging.py puts on every AWS resource (a test keeps the two in step).
REQUIRED_TAGS = ("project", "environment", "managed-by")
REQUIRED_LABELS = ("app.kubernetes.io/name", "app.kubernetes.io/instance")


def takes_tags(resource_type: str) -> bool:
    """Whether an AWS type accepts `tags` (its pulumi-aws `<Type>Args` has them; see aws_taggable.py)."""
    return resource_type in TAGGABLE_AWS_TYPES


def _as_tags(value: Any) -> dict[str, Any]:
    return {str(k): value[k] for k in value} if isinstance(value, Mapping) else {}


def _aws_tagged(args: ResourceValidationArgs, report: ReportViolation) -> None:
    if not args.resource_type.startswith("aws:") or not takes_tags(args.resource_type):
        return
    # The provider's defaultTags land on every resource it creates.
    inherited = _as_tags(dig(args.provider.props, "defaultTags", "tags")) if args.provider else {}
    tags = inherited | _as_tags(args.props.get("tags"))
    missing = [key for key in REQUIRED_TAGS if not tags.get(key)]
    if missing:
        report(
            f"missing tag(s) {', '.join(missing)} (set them on the resource or the provider's defaultTags)",
            None,
        )


def _kubernetes_labelled(args: ResourceValidationArgs, report: ReportViolation) -> None:
    if kind_of(args.resource_type) is None:
        return
    present = labels(args.props, "metadata", "labels")
    missing = [key for key in REQUIRED_LABELS if not present.get(key)]
    if missing:
        report(f"missing label(s) {', '.join(missing)}", None)


REQUIRED_AWS_TAGS = ResourceValidationPolicy(
    name="required-aws-tags",
    description="Taggable AWS resources carry the project, environment and managed-by tags.",
    enforcement_level=EnforcementLevel.ADVISORY,
    validate=_aws_tagged,
)
REQUIRED_KUBERNETES_LABELS = ResourceValidationPolicy(
    name="required-kubernetes-labels",
    description="Kubernetes objects carry app.kubernetes.io/name and app.kubernetes.io/instance.",
    enforcement_level=EnforcementLevel.ADVISORY,
    validate=_kubernetes_labelled,
)

POLICIES = [REQUIRED_AWS_TAGS, REQUIRED_KUBERNETES_LABELS]
