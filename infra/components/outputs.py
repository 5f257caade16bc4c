"""Typed wrappers around pulumi.Output."""

from __future__ import annotations

from typing import TypeVar

import pulumi

T = TypeVar("T")


def secret_output(value: pulumi.Output[T]) -> pulumi.Output[T]:
    """`value`, marked secret, with its type kept (mypy infers Never from a bare Output.secret call)."""
    result: pulumi.Output[T] = pulumi.Output.secret(value)
    return result
