"""Where `primetradeai policy` finds suppressions: the pack's config file and the stack's config.

The pack config file is the one `pulumi preview --policy-pack-config FILE` reads
(`{"<policy>": {"suppressions": [{"resource": ..., "reason": ...}]}}`); the stack's
`primetradeai:policySuppressions` is a list of `{policy, resource, reason}`. Both are checked with
the config model, and a suppression of a policy the pack does not have is refused rather than ignored.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter, ValidationError

from infra.config.schema import PolicySuppression
from infra.policy.suppressions import SUPPRESSIONS_KEY
from infra.toolkit.errors import ToolkitError
from infra.toolkit.plan import PlanFormatError, first_problem, read_json

STACK_KEY = "primetradeai:policySuppressions"
_LIST = TypeAdapter(tuple[PolicySuppression, ...])


def _checked(suppressions: tuple[PolicySuppression, ...], known: Iterable[str], where: str) -> None:
    names = set(known)
    for index, suppression in enumerate(suppressions):
        if suppression.policy not in names:
            raise ToolkitError(f"{where}[{index}].policy: no policy named {suppression.policy!r} in the pack")


def from_stack_values(
    values: Mapping[str, Any], stack_file: str, known: Iterable[str]
) -> tuple[PolicySuppression, ...]:
    """The suppressions of a stack file's config (namespaced key -> value as written)."""
    raw = values.get(STACK_KEY)
    if raw is None:
        return ()
    where = f"{stack_file}: {STACK_KEY}"
    try:
        suppressions = _LIST.validate_python(raw)
    except ValidationError as error:
        raise ToolkitError(f"{where}{first_problem(error)}") from None
    _checked(suppressions, known, where)
    return suppressions


def from_pack_config(path: Path, known: Iterable[str]) -> tuple[PolicySuppression, ...]:
    """The suppressions of a `--policy-pack-config` file; other settings in it are left to the pack."""
    try:
        data = read_json(path)
    except PlanFormatError as error:
        raise ToolkitError(str(error)) from None
    if not isinstance(data, dict):
        raise ToolkitError(f"{path}: a policy pack config is an object of policy names")
    entries: list[dict[str, Any]] = []
    for policy, settings in data.items():
        if not isinstance(settings, dict) or SUPPRESSIONS_KEY not in settings:
            continue  # an enforcement level, or settings without suppressions
        if not isinstance(settings[SUPPRESSIONS_KEY], list):
            raise ToolkitError(f"{path}: {policy}.{SUPPRESSIONS_KEY}: must be a list")
        entries += [
            {**entry, "policy": policy} if isinstance(entry, dict) else entry
            for entry in settings[SUPPRESSIONS_KEY]
        ]
    try:
        suppressions = _LIST.validate_python(entries)
    except ValidationError as error:
        raise ToolkitError(f"{path}: suppressions{first_problem(error)}") from None
    _checked(suppressions, known, f"{path}: suppressions")
    return suppressions


def pack_config(suppressions: Iterable[PolicySuppression]) -> dict[str, Any]:
    """The `--policy-pack-config` document that makes the pack waive the same violations."""
    config: dict[str, Any] = {}
    for suppression in suppressions:
        entries = config.setdefault(suppression.policy, {SUPPRESSIONS_KEY: []})[SUPPRESSIONS_KEY]
        entries.append({"resource": suppression.resource, "reason": suppression.reason})
    return config


def dump_pack_config(suppressions: Iterable[PolicySuppression]) -> str:
    """Stable JSON text of `pack_config`."""
    return json.dumps(pack_config(suppressions), indent=2, sort_keys=True) + "\n"
