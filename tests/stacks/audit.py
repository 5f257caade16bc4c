"""Reading a stack run the way an auditor does."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from infra.harness import RegisteredResource, StackRun
from infra.pulumi_wire import is_secret, reveal
from infra.toolkit.preview.helm_render import render_chart

CHART = Path(__file__).resolve().parents[2] / "charts" / "taskapi"

# The resource types more than one theme of the audit reads.
REDIS = "aws:elasticache/replicationGroup:ReplicationGroup"
ATLAS_CLUSTER = "mongodbatlas:index/advancedCluster:AdvancedCluster"
ATLAS_ENCRYPTION = "mongodbatlas:index/encryptionAtRest:EncryptionAtRest"
ATLAS_ACCESS_SETUP = "mongodbatlas:index/cloudProviderAccessSetup:CloudProviderAccessSetup"
ATLAS_ACCESS_AUTHORIZATION = (
    "mongodbatlas:index/cloudProviderAccessAuthorization:CloudProviderAccessAuthorization"
)


def plain_strings(value: Any) -> Iterator[str]:
    """Every string in `value` that is NOT inside a secret marker."""
    if is_secret(value):
        return
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from plain_strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from plain_strings(item)


def secret_strings(value: Any) -> Iterator[str]:
    """Every string inside a secret marker in `value`."""
    if is_secret(value):
        inner = reveal(value)
        if isinstance(inner, str):
            yield inner
        elif isinstance(inner, dict | list):
            yield from plain_strings(inner)
    elif isinstance(value, dict):
        for item in value.values():
            yield from secret_strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from secret_strings(item)


def component_of(run: StackRun, resource: RegisteredResource) -> RegisteredResource | None:
    """The resource's parent, when that parent is a resource of the run."""
    return next((r for r in run.resources if r.urn == resource.parent), None)


def managed(run: StackRun, type_token: str) -> list[RegisteredResource]:
    """Resources of a type the engine manages (not merely reads)."""
    return [r for r in run.by_type(type_token) if not r.read]


def rotating_customer_key(run: StackRun, key_arn: str) -> RegisteredResource:
    """The program's own KMS key behind `key_arn`; fails unless it exists and rotates yearly."""
    keys = {k.outputs["arn"]: k for k in run.by_type("aws:kms/key:Key")}
    assert key_arn in keys, f"{key_arn} is not a key this stack manages"
    assert keys[key_arn].inputs["enableKeyRotation"] is True
    return keys[key_arn]


def app_release(run: StackRun) -> RegisteredResource:
    """The task API's Helm release (not ingress-nginx's or Datadog's)."""
    return next(r for r in run.by_type("kubernetes:helm.sh/v3:Release") if r.name.endswith("-release"))


def app_secret(run: StackRun) -> RegisteredResource:
    """The Kubernetes Secret the chart's `existingSecret` names."""
    return next(
        s
        for s in run.by_type("kubernetes:core/v1:Secret")
        if s.inputs["metadata"]["name"] == "taskapi-secrets"
    )


def whole_numbers(value: Any) -> Any:
    # The mock runtime returns every number as a float; Helm's schema wants integers back.
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {k: whole_numbers(v) for k, v in value.items()}
    if isinstance(value, list):
        return [whole_numbers(v) for v in value]
    return value


def rendered_release(release: RegisteredResource) -> list[dict[str, Any]]:
    """The objects the real chart renders from a Helm release's values, as the cluster would get them."""
    return render_chart(
        CHART,
        whole_numbers(release.inputs["values"]),
        release_name=release.inputs["name"],
        namespace=release.inputs["namespace"],
    )
