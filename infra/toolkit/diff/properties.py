"""Property-level differences between two input maps, as property paths the engine would print."""

from __future__ import annotations

import re
from collections.abc import Mapping

from pydantic import JsonValue

from infra.toolkit.diff.model import PropertyChange

_PLAIN_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def join_path(path: str, key: str) -> str:
    """`path.key`, or `path["key"]` for keys that are not identifiers (Kubernetes labels)."""
    if _PLAIN_KEY.match(key):
        return f"{path}.{key}" if path else key
    return f'{path}["{key}"]'


def top_key(path: str) -> str:
    """The top-level property of a path: `tags` for `tags.Environment`, `ports` for `ports[0]`."""
    if path.startswith('["'):
        return path[2 : path.index('"]')]
    return re.split(r"[.\[]", path, maxsplit=1)[0]


def is_ignored(path: str, ignore_changes: tuple[str, ...]) -> bool:
    """Whether `ignoreChanges` covers this path (the path itself or anything under it)."""
    return any(
        path == ignored or path.startswith((f"{ignored}.", f"{ignored}[")) for ignored in ignore_changes
    )


def diff_inputs(old: Mapping[str, JsonValue], new: Mapping[str, JsonValue]) -> list[PropertyChange]:
    """Every changed path, in key order; lists compare item by item."""
    changes: list[PropertyChange] = []
    _diff_mapping(old, new, "", changes)
    return changes


def _diff_mapping(
    old: Mapping[str, JsonValue], new: Mapping[str, JsonValue], path: str, out: list[PropertyChange]
) -> None:
    for key in sorted(set(old) | set(new)):
        sub = join_path(path, key)
        if key not in old:
            out.append(PropertyChange(sub, "add", None, new[key]))
        elif key not in new:
            out.append(PropertyChange(sub, "delete", old[key], None))
        else:
            _diff_value(old[key], new[key], sub, out)


def _diff_value(old: JsonValue, new: JsonValue, path: str, out: list[PropertyChange]) -> None:
    if old == new:
        return
    if isinstance(old, dict) and isinstance(new, dict):
        _diff_mapping(old, new, path, out)
    elif isinstance(old, list) and isinstance(new, list):
        for index in range(max(len(old), len(new))):
            sub = f"{path}[{index}]"
            if index >= len(old):
                out.append(PropertyChange(sub, "add", None, new[index]))
            elif index >= len(new):
                out.append(PropertyChange(sub, "delete", old[index], None))
            else:
                _diff_value(old[index], new[index], sub, out)
    else:
        out.append(PropertyChange(path, "update", old, new))


def value_at(inputs: Mapping[str, JsonValue] | None, path: str) -> tuple[bool, JsonValue]:
    """(found, value) of an engine property path such as `tags.Environment` or `ports[0].port`."""
    if inputs is None:
        return False, None
    current: JsonValue = dict(inputs)
    for token in re.findall(r'\["([^"]*)"\]|\[(\d+)\]|([^.\[\]]+)', path):
        quoted, index, plain = token
        if index:
            if not isinstance(current, list) or int(index) >= len(current):
                return False, None
            current = current[int(index)]
        else:
            key = quoted or plain
            if not isinstance(current, dict) or key not in current:
                return False, None
            current = current[key]
    return True, current
