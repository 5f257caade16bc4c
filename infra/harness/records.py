"""What one run of the stack program registered: plain data, free of Pulumi runtime objects."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class RegisteredOptions:
    """The resource options that change what the engine does with a resource."""

    protect: bool = False
    delete_before_replace: bool = False
    retain_on_delete: bool = False
    ignore_changes: tuple[str, ...] = ()
    replace_on_changes: tuple[str, ...] = ()
    additional_secret_outputs: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    """Alias URNs, in the mock runtime's URN form."""


@dataclass(frozen=True)
class RegisteredResource:
    """One `RegisterResource` call as the mock monitor received it."""

    type: str
    name: str
    urn: str
    """As the mock runtime makes it (it contains `pulumi:pulumi:Stack$` for children of the stack)."""
    custom: bool
    parent: str | None
    """The parent's URN; None only for the stack itself."""
    provider: str | None
    """An explicit provider reference `<provider urn>::<id>`, or None for the default provider."""
    dependencies: tuple[str, ...]
    property_dependencies: dict[str, tuple[str, ...]]
    options: RegisteredOptions
    inputs: dict[str, Any]
    """Raw wire values: secrets keep Pulumi's secret marker, unknowns the unknown sentinel."""
    id: str | None = None
    """The id the mocks gave a custom resource."""
    outputs: dict[str, Any] = field(default_factory=dict)
    """What the mocks returned as the resource's state (component outputs for components)."""
    read: bool = False
    """True for an existing resource the program only reads (`Resource.get`): the engine never
    creates, changes or deletes it."""


@dataclass(frozen=True)
class StackRun:
    """Everything one run of the program did."""

    project: str
    stack: str
    program_dir: Path
    """The program's directory (`main` in Pulumi.yaml), where its relative paths (a chart's) resolve."""
    config: dict[str, Any]
    """Namespaced key -> value as the stack file sets it; `secure:` values are secret-marked placeholders."""
    secret_config_keys: tuple[str, ...]
    resources: list[RegisteredResource]
    """In registration order; the first is the `pulumi:pulumi:Stack` itself."""
    outputs: dict[str, Any]
    """The stack's exports, raw (secrets keep Pulumi's secret marker)."""

    def by_type(self, type_token: str) -> list[RegisteredResource]:
        """The resources of one type token, in registration order."""
        return [r for r in self.resources if r.type == type_token]

    def one(self, type_token: str) -> RegisteredResource:
        """The single resource of a type; raises LookupError if there is not exactly one."""
        found = self.by_type(type_token)
        if len(found) != 1:
            raise LookupError(f"expected one {type_token}, found {len(found)}")
        return found[0]
