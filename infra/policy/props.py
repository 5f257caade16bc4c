"""Reading resource inputs the way both the policy engine and the plan present them.

Inputs arrive as pulumi_policy's unknown-checking proxies (Mappings and Sequences, not dicts and lists),
so every helper here goes through the abstract types.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal

Environment = Literal["prod", "staging", "dev"]

SECRET_MARKER = "[secret]"
"""How a secret value reads in a plan (and in a real `pulumi preview`)."""

_PROD_STACKS = frozenset({"prod", "production"})
_STAGING_STACKS = frozenset({"staging", "stage"})


def stack_of(urn: str) -> str:
    """The stack name in a URN (`urn:pulumi:<stack>::<project>::...`), in a plan as in the engine."""
    return urn.removeprefix("urn:pulumi:").split("::", 1)[0]


def environment_of(urn: str) -> Environment:
    """Which rules apply: prod, staging, or anything else (dev, personal stacks)."""
    stack = stack_of(urn).lower()
    if stack in _PROD_STACKS:
        return "prod"
    if stack in _STAGING_STACKS:
        return "staging"
    return "dev"


def dig(value: Any, *path: str | int) -> Any:
    """The value at `path` inside nested inputs, or None when any step is missing."""
    for step in path:
        if isinstance(step, int):
            if not is_list(value) or step >= len(value):
                return None
            value = value[step]
        else:
            if not isinstance(value, Mapping) or step not in value:
                return None
            value = value[step]
    return value


def is_list(value: Any) -> bool:
    """A JSON array (a Sequence that is not a string)."""
    return isinstance(value, Sequence) and not isinstance(value, str | bytes)


def as_list(value: Any) -> list[Any]:
    """A JSON array as a list; anything else as an empty list."""
    return list(value) if is_list(value) else []


def as_number(value: Any) -> float | None:
    """A JSON number (integers may arrive as floats); None for anything else, booleans included."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)
