"""Tags every AWS resource carries, so cost and ownership can be read from the bill."""

from __future__ import annotations

from infra.config.schema import Environment


def standard_tags(environment: Environment) -> dict[str, str]:
    """The tags for one stack's AWS resources."""
    return {"project": "primetradeai", "environment": environment, "managed-by": "pulumi"}


def with_name(tags: dict[str, str], name: str) -> dict[str, str]:
    """`tags` plus the `Name` tag the AWS console shows."""
    return {**tags, "Name": name}
