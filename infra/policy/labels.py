"""Tags and labels: AWS resources carry the cost tags, Kubernetes objects the app.kubernetes.io pair."""

from __future__ import annotations

import importlib
import warnings
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from pulumi_policy import (
    EnforcementLevel,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
)

from infra.policy.kube import kind_of, labels
from infra.policy.props import dig

# The keys infra/components/tagging.py puts on every AWS resource (a test keeps the two in step).
REQUIRED_TAGS = ("project", "environment", "managed-by")
REQUIRED_LABELS = ("app.kubernetes.io/name", "app.kubernetes.io/instance")


@lru_cache(maxsize=512)
def takes_tags(resource_type: str) -> bool:
    """Whether an AWS type accepts `tags`, asked of pulumi-aws itself (`aws:ec2/vpc:Vpc` -> VpcArgs)."""
    parts = resource_type.split(":")
    if len(parts) != 3 or parts[0] != "aws":
        return False
    module_name = parts[1].split("/", 1)[0]
    try:
        with warnings.catch_warnings():  # the SDK warns about its own deprecated resources on import
            warnings.simplefilter("ignore", DeprecationWarning)
            module = importlib.import_module(
                "pulumi_aws" if module_name == "index" else f"pulumi_aws.{module_name}"
            )
            args_class = getattr(module, f"{parts[2]}Args", None)
    except ImportError:
        return False
    return args_class is not None and hasattr(args_class, "tags")


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
