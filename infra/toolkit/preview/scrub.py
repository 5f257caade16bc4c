"""A last line of defence: any plan string that contains a known secret's text becomes "[secret]".

Secret markers already turn secret values into "[secret]"; this catches a secret's text that reached a
plain value on another path (interpolated into a string by `apply`, copied into chart values).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pydantic import JsonValue

from infra.pulumi_wire import SECRET_SIG, SIG_KEY
from infra.toolkit.plan import SECRET, Resource

if TYPE_CHECKING:  # the harness package imports pulumi (0.5 s), which reading state does not need
    from infra.harness.records import StackRun

# Shorter texts ("true", "6379") are too common to treat as a secret's fingerprint.
_MIN_SECRET_LENGTH = 6


def _secret_texts(value: Any, inside_secret: bool = False) -> Iterator[str]:
    if isinstance(value, Mapping):
        is_secret = inside_secret or value.get(SIG_KEY) == SECRET_SIG
        for item in value.values():
            yield from _secret_texts(item, is_secret)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _secret_texts(item, inside_secret)
    elif inside_secret and isinstance(value, str) and value != SECRET_SIG:
        yield value


@dataclass(frozen=True)
class SecretScrubber:
    """Knows the text of every secret in a run and replaces any string containing one."""

    secrets: frozenset[str]

    @classmethod
    def from_run(cls, run: StackRun) -> SecretScrubber:
        found: set[str] = set()
        for key in run.secret_config_keys:
            found.update(_secret_texts(run.config.get(key), inside_secret=True))
        found.update(_secret_texts(run.config))
        found.update(_secret_texts(run.outputs))
        for resource in run.resources:
            found.update(_secret_texts(resource.inputs))
            # The engine marks a whole output property secret when any part of its input was (a chart's
            # `values` with one secret in it): the input's own markers say which parts, so only
            # properties the program did not give are taken from the outputs.
            found.update(
                _secret_texts({k: v for k, v in resource.outputs.items() if k not in resource.inputs})
            )
            for name in resource.options.additional_secret_outputs:
                for where in (resource.inputs, resource.outputs):
                    found.update(_secret_texts(where.get(name), inside_secret=True))
        return cls(frozenset(text for text in found if len(text) >= _MIN_SECRET_LENGTH))

    def value(self, value: JsonValue) -> JsonValue:
        """`value` with every string that contains a secret's text replaced by "[secret]"."""
        if isinstance(value, str):
            return SECRET if any(secret in value for secret in self.secrets) else value
        if isinstance(value, dict):
            return {key: self.value(item) for key, item in value.items()}
        if isinstance(value, list):
            return [self.value(item) for item in value]
        return value

    def mapping(self, values: dict[str, JsonValue]) -> dict[str, JsonValue]:
        """A mapping's values scrubbed."""
        return {key: self.value(item) for key, item in values.items()}

    def resource(self, resource: Resource) -> Resource:
        """A resource whose inputs are scrubbed."""
        if not self.secrets:
            return resource
        return resource.model_copy(update={"inputs": self.mapping(resource.inputs)})
