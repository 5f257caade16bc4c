"""What changes when a side of the diff is deployed state rather than a plan.

A state holds what the engine keeps: a Helm release, not the objects rendered from its chart; the
default providers the engine created (`pulumi:providers:aws::default_7_11_0`), which a program's plan
only names (`...::default`). Those are set aside so they do not read as creations or deletions.
Secrets are compared by digest only (see infra/toolkit/state/secrets.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import replace
from typing import Any, Final

from pydantic import JsonValue

from infra.toolkit.diff.model import Change, PropertyChange, Side, State
from infra.toolkit.diff.properties import join_path, value_at
from infra.toolkit.plan import SECRET
from infra.toolkit.state.secrets import CIPHERTEXT

_DEFAULT_PROVIDER: Final = re.compile(
    r"^(?P<head>.*::pulumi:providers:[^:]+::default)(?:_[0-9][0-9A-Za-z_]*)?$"
)
CIPHERTEXT_PREFIX: Final = f"{CIPHERTEXT}:"


def default_provider_key(urn: str | None) -> str | None:
    """`...::pulumi:providers:aws::default` for any default provider URN, versioned or not; else None."""
    match = _DEFAULT_PROVIDER.match(urn or "")
    return match["head"] if match else None


def provider_of(state: State, versioned: bool) -> str | None:
    """The provider a state names, default providers without their version unless both sides have one."""
    if versioned:
        return state.provider
    return default_provider_key(state.provider) or state.provider


def _is_default_provider(state: State) -> bool:
    return state.type.startswith("pulumi:providers:") and default_provider_key(state.urn) is not None


def comparable(base: Side, head: Side) -> tuple[dict[str, State], dict[str, State], bool, tuple[str, ...]]:
    """Both sides' resources as the comparison should see them, whether provider versions compare, notes."""
    old, new = dict(base.resources), dict(head.resources)
    if "state" not in (base.kind, head.kind):
        return old, new, True, ()
    notes: list[str] = []
    rendered = [urn for side in (old, new) for urn, state in side.items() if state.rendered]
    if rendered:
        notes.append(
            "Objects rendered from Helm charts are left out: a state holds a release, not the objects of"
            " its chart, so a release's changes show in its own values."
        )
    old = {urn: state for urn, state in old.items() if not state.rendered}
    new = {urn: state for urn, state in new.items() if not state.rendered}
    versioned = any(map(_is_default_provider, old.values())) and any(map(_is_default_provider, new.values()))
    if not versioned:
        old = {urn: state for urn, state in old.items() if not _is_default_provider(state)}
        new = {urn: state for urn, state in new.items() if not _is_default_provider(state)}
    return old, new, versioned, tuple(notes)


def _secret_paths(inputs: Mapping[str, JsonValue], path: str = "") -> Iterator[str]:
    for key, value in inputs.items():
        yield from _value_paths(value, join_path(path, key))


def _value_paths(value: JsonValue, path: str) -> Iterator[str]:
    if value == SECRET:
        yield path
    elif isinstance(value, dict):
        yield from _secret_paths(value, path)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _value_paths(item, f"{path}[{index}]")


def _digest(tree: Mapping[str, Any] | None, path: str) -> str | None:
    found, value = value_at(tree, path) if tree is not None else (False, None)
    return value if found and isinstance(value, str) else None


def compare_secrets(
    change: Change, old: State, new: State, base: Side, head: Side
) -> tuple[Change, tuple[str, ...]]:
    """`change` with secrets known to differ added, and the paths of secrets that may change."""
    changed_paths = {p.path for p in change.properties}
    both = [
        path
        for path in dict.fromkeys(_secret_paths(new.inputs))
        if path not in changed_paths and value_at(old.inputs, path) == (True, SECRET)
    ]
    may_change: list[str] = []
    changed: list[PropertyChange] = []
    for path in both:
        before, after = _digest(base.secrets.get(old.urn), path), _digest(head.secrets.get(new.urn), path)
        if before is not None and before == after:
            continue  # the same ciphertext, or the same plaintext: unchanged
        if before and after and not (before + after).count(CIPHERTEXT_PREFIX):
            changed.append(PropertyChange(path, "update", SECRET, SECRET))  # two plaintexts that differ
        else:
            may_change.append(path)  # salted encryption: equal values may have different ciphertexts
    if not changed:
        return change, tuple(may_change)
    properties = tuple(sorted((*change.properties, *changed), key=lambda p: p.path))
    op = "update" if change.op == "same" else change.op
    return replace(change, properties=properties, op=op), tuple(may_change)
