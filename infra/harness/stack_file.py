"""Read `Pulumi.yaml` and `Pulumi.<stack>.yaml` the way the Pulumi CLI hands them to a program.

The CLI passes every config value to the program as a string (objects and lists as JSON) under a
namespaced key; `secure:` values are decrypted first. Offline nothing can be decrypted, so a secure value
becomes a placeholder string and its key is reported secret, as Pulumi would.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from infra.harness.errors import HarnessError, StackConfigError, UnknownStackError
from infra.pulumi_wire import secret

_STACK_NAME = re.compile(r"^[A-Za-z0-9_.-]+$")


@dataclass(frozen=True)
class ProjectFile:
    """What the harness needs from `Pulumi.yaml`."""

    name: str
    program_dir: Path


@dataclass(frozen=True)
class StackFile:
    """A stack file's config in the program's terms."""

    path: Path
    wire: dict[str, str]
    """Namespaced key -> the string the program receives (JSON for objects, lists, numbers, booleans)."""
    secret_keys: tuple[str, ...]
    """Keys whose value is `secure:` (their wire value is a placeholder)."""
    values: dict[str, Any]
    """Namespaced key -> the value as written, secure ones replaced by a secret-marked placeholder."""


def secure_placeholder(key: str) -> str:
    """The stand-in a program receives for a `secure:` value it cannot decrypt offline."""
    return f"offline-placeholder-for-{key.replace(':', '-')}"


def _read_yaml(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        line = exc.object[: exc.start].count(b"\n") + 1
        raise StackConfigError(
            f"{path.name}: not UTF-8 text (line {line}: byte 0x{exc.object[exc.start]:02x})"
        ) from None
    except OSError as exc:
        raise StackConfigError(f"{path.name}: cannot be read: {exc.strerror or exc}") from None
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark is not None else ""
        raise StackConfigError(f"{path.name}: not valid YAML{where}") from exc


def load_project(project_dir: Path) -> ProjectFile:
    """Read the project name and program directory from `Pulumi.yaml`."""
    path = project_dir / "Pulumi.yaml"
    if not path.is_file():
        raise HarnessError(f"{project_dir}: no Pulumi.yaml, not a Pulumi project")
    doc = _read_yaml(path)
    if not isinstance(doc, dict) or not isinstance(doc.get("name"), str):
        raise StackConfigError(f"{path.name}: name: a project name (string) is required")
    main = doc.get("main", ".")
    if not isinstance(main, str):
        raise StackConfigError(f"{path.name}: main: must be a path (string)")
    return ProjectFile(name=doc["name"], program_dir=(project_dir / main).resolve())


def _namespaced(project: str, key: Any, path: Path) -> str:
    if not isinstance(key, str) or not key:
        raise StackConfigError(f"{path.name}: config key {key!r} must be a non-empty string")
    return key if ":" in key else f"{project}:{key}"


def _is_secure(value: Any) -> bool:
    return isinstance(value, dict) and set(value) == {"secure"}


def _contains_secure(value: Any) -> bool:
    if _is_secure(value):
        return True
    if isinstance(value, dict):
        return any(_contains_secure(v) for v in value.values())
    if isinstance(value, list):
        return any(_contains_secure(v) for v in value)
    return False


def _to_wire(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, sort_keys=True)


def load_stack_file(project: str, project_dir: Path, stack: str) -> StackFile:
    """Read `Pulumi.<stack>.yaml`; raise UnknownStackError if it does not exist."""
    if not _STACK_NAME.fullmatch(stack):
        raise UnknownStackError(f"{stack!r} is not a stack name (letters, digits, '-', '_', '.')")
    path = project_dir / f"Pulumi.{stack}.yaml"
    if not path.is_file():
        known = sorted(p.name[len("Pulumi.") : -len(".yaml")] for p in project_dir.glob("Pulumi.*.yaml"))
        raise UnknownStackError(
            f"no stack {stack!r}: {path.name} does not exist (stacks here: {', '.join(known) or 'none'})"
        )
    doc = _read_yaml(path)
    if doc is None:
        doc = {}
    if not isinstance(doc, dict):
        raise StackConfigError(f"{path.name}: must be a mapping with a `config:` section")
    config = doc.get("config") or {}
    if not isinstance(config, dict):
        raise StackConfigError(f"{path.name}: config: must be a mapping of keys to values")

    wire: dict[str, str] = {}
    values: dict[str, Any] = {}
    secret_keys: list[str] = []
    for raw_key, value in config.items():
        key = _namespaced(project, raw_key, path)
        if _is_secure(value):
            secret_keys.append(key)
            wire[key] = secure_placeholder(key)
            values[key] = secret(wire[key])
        elif _contains_secure(value):
            # Secure values nested in objects work in Pulumi, but make the whole key secret; keeping
            # secrets as top-level keys keeps the schema's "secret or not" decision per key.
            raise StackConfigError(f"{path.name}: {key}: put secure values in their own top-level key")
        else:
            wire[key] = _to_wire(value)
            values[key] = value
    return StackFile(path=path, wire=wire, secret_keys=tuple(secret_keys), values=values)
