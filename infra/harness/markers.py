"""The wire signatures Pulumi uses for secrets, unknowns and resource references in property values.

Raw inputs and outputs keep these so a reader can tell a secret or an unknown value from a plain one.
"""

from __future__ import annotations

from typing import Any

SIG_KEY = "4dabf18193072939515e22adb298388d"
"""The key under which a wire object names what it is."""
SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270"
"""`{SIG_KEY: SECRET_SIG, "value": ...}` is a secret value."""
RESOURCE_SIG = "5cf8f73096256a8f31e491e813e4eb8e"
"""`{SIG_KEY: RESOURCE_SIG, "urn": ..., "id": ...}` is a reference to another resource."""
OUTPUT_SIG = "d0e6a833031e9bbcd3f4e8bde6ca49a4"
"""`{SIG_KEY: OUTPUT_SIG, ...}` is an output value (only when the monitor asks for them)."""
UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
"""A value that will only be known after the resource is created."""


def secret(value: Any) -> dict[str, Any]:
    """Wrap `value` the way Pulumi marks a secret on the wire."""
    return {SIG_KEY: SECRET_SIG, "value": value}


def is_secret(value: Any) -> bool:
    """Whether `value` is a wire secret."""
    return isinstance(value, dict) and value.get(SIG_KEY) == SECRET_SIG


def contains_secret(value: Any) -> bool:
    """Whether a wire secret appears anywhere inside `value`."""
    if is_secret(value):
        return True
    if isinstance(value, dict):
        return any(contains_secret(v) for v in value.values())
    if isinstance(value, list):
        return any(contains_secret(v) for v in value)
    return False


def reveal(value: Any) -> Any:
    """`value` with every secret marker replaced by what it wraps (for assertions, never for display)."""
    if is_secret(value):
        return reveal(value["value"])
    if isinstance(value, dict):
        return {k: reveal(v) for k, v in value.items()}
    if isinstance(value, list):
        return [reveal(v) for v in value]
    return value
