"""URNs in the real engine's form, rebuilt from the parent chain the mock runtime flattens.

The mock monitor builds a child's URN from its parent's *last* type only and keeps the stack in the
chain (`pulumi:pulumi:Stack$...`); the engine uses the parent's whole type chain, without the stack.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

STACK_TYPE: Final = "pulumi:pulumi:Stack"
_STACK_PREFIX: Final = STACK_TYPE + "$"


def stack_urn(stack: str, project: str) -> str:
    """The URN of the stack resource itself."""
    return f"urn:pulumi:{stack}::{project}::{STACK_TYPE}::{project}-{stack}"


def make_urn(stack: str, project: str, type_chain: str, name: str) -> str:
    """A URN from its parts; `type_chain` is `Parent$Child$Type` without the stack."""
    return f"urn:pulumi:{stack}::{project}::{type_chain}::{name}"


def type_chain(urn: str) -> str:
    """The `A$B$Type` part of a URN."""
    return urn.split("::", 3)[2]


def child_urn(parent: str, resource_type: str, name: str) -> str:
    """The URN of a resource whose parent is `parent` (not the stack)."""
    stack_and_project = "::".join(parent.split("::", 2)[:2])
    return f"{stack_and_project}::{type_chain(parent)}${resource_type}::{name}"


def strip_stack_prefix(urn: str) -> str:
    """A mock URN with the stack removed from its type chain (for URNs whose parent is not known)."""
    head, sep, rest = urn.partition("::" + _STACK_PREFIX)
    return f"{head}::{rest}" if sep else urn


def default_provider_urn(stack: str, project: str, resource_type: str) -> str:
    """The URN the engine gives the default provider of a resource type's package."""
    package = resource_type.split(":", 1)[0]
    return make_urn(stack, project, f"pulumi:providers:{package}", "default")


def provider_urn(reference: str) -> str:
    """The URN part of a provider reference `<urn>::<id>`."""
    # A URN has four `::`-separated parts (`urn:pulumi:<stack>`, project, type chain, name); an id follows.
    parts = reference.split("::")
    return "::".join(parts[:4]) if len(parts) > 4 else reference


class RealUrns:
    """Mock URNs to real ones, filled in registration order (a parent registers before its children)."""

    def __init__(self, stack: str, project: str) -> None:
        self.stack_urn = stack_urn(stack, project)
        self._stack = stack
        self._project = project
        self._real: dict[str, str] = {}

    def add(self, resource_type: str, name: str, parent: str | None, mock_urn: str) -> str:
        """Record one registration (its parent by mock URN) and return its real URN."""
        if resource_type == STACK_TYPE:
            real = self.stack_urn
        else:
            parent_urn = self(parent) if parent else self.stack_urn
            chain = (
                resource_type if parent_urn == self.stack_urn else f"{type_chain(parent_urn)}${resource_type}"
            )
            real = make_urn(self._stack, self._project, chain, name)
        self._real[mock_urn] = real
        return real

    def __call__(self, mock_urn: str) -> str:
        return self._real.get(mock_urn) or strip_stack_prefix(mock_urn)

    def all(self, urns: Iterable[str]) -> tuple[str, ...]:
        """Each URN made real, in order."""
        return tuple(self(urn) for urn in urns)

    def sorted(self, urns: Iterable[str]) -> tuple[str, ...]:
        """Each URN made real, sorted and unique (the SDK gathers dependencies in sets)."""
        return tuple(sorted(set(self.all(urns))))
