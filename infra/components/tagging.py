"""Tags every AWS resource carries, so cost and ownership can be read from the bill."""

from __future__ import annotations

from infra.config.schema import Environment


def standard_tags(environment: Environment) -> dict[str, str]:
    """The tags for one stack's AWS resources."""
    return {"project": "primetradeai", "environment": environment, "managed-by": "pulumi"}


def with_name(tags: dict[str, str], name: str) -> dict[str, str]:
    """`tags` plus the `Name` tag the AWS console shows."""
    return {**tags, "Name": name}


def kubernetes_labels(name: str, instance: str) -> dict[str, str]:
    """The recommended `app.kubernetes.io/*` labels for an object the program (not a chart) creates."""
    return {
        "app.kubernetes.io/name": name,
        "app.kubernetes.io/instance": instance,
        "app.kubernetes.io/part-of": "primetradeai",
        "app.kubernetes.io/managed-by": "pulumi",
    }
