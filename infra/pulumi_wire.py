"""The wire signatures Pulumi uses for secrets, unknowns, assets and resource references in property values
(sdk/python/lib/pulumi/runtime/rpc.py), in one place for the mock runtime, the plan builder and the state
reader. Imports nothing of the SDK, so the review commands can use it without loading Pulumi.
"""

from __future__ import annotations

from typing import Any, Final

SIG_KEY: Final = "4dabf18193072939515e22adb298388d"
"""The key under which a wire object names what it is."""
SECRET_SIG: Final = "1b47061264138c4ac30d75fd1eb44270"
"""`{SIG_KEY: SECRET_SIG, "value": ...}` is a secret value (state holds `ciphertext` or `plaintext`)."""
RESOURCE_SIG: Final = "5cf8f73096256a8f31e491e813e4eb8e"
"""`{SIG_KEY: RESOURCE_SIG, "urn": ..., "id": ...}` is a reference to another resource."""
ASSET_SIG: Final = "c44067f5952c0a294b673a41bacd8c17"
ARCHIVE_SIG: Final = "0def7320c3a5731c473e5ecbe6d01bc7"
OUTPUT_VALUE_SIG: Final = "d0e6a833031e9bbcd3f4e8bde6ca49a4"
"""`{SIG_KEY: OUTPUT_VALUE_SIG, ...}` is an output value (only when the monitor asks for them)."""
UNKNOWN: Final = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
"""The engine's text for a value not known until apply (in mocks and in `pulumi preview --json`)."""


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
