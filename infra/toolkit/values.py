"""Turn values from the mock runtime or a real preview into plan values: no secret survives.

Pulumi marks special values inside property maps with a signature key (sdk/python/lib/pulumi/runtime/
rpc.py): secrets, resource references, assets, archives and output values. A plan shows a secret as
"[secret]" and a value unknown until apply as "[unknown]", whole floats as integers.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping

from pydantic import JsonValue

from infra.pulumi_wire import ARCHIVE_SIG, ASSET_SIG, OUTPUT_VALUE_SIG, RESOURCE_SIG, SECRET_SIG, SIG_KEY
from infra.pulumi_wire import UNKNOWN as UNKNOWN_SENTINEL
from infra.toolkit.plan import SECRET, UNKNOWN


def _same_urn(urn: str) -> str:
    return urn


def plan_value(value: object, rename_urn: Callable[[str], str] = _same_urn) -> JsonValue:
    """The plan form of one value; `rename_urn` maps a referenced resource's URN to the plan's URN."""
    if value is None or isinstance(value, bool | int):
        return value
    if isinstance(value, float):
        if math.isfinite(value) and value.is_integer():
            return int(value)
        return value
    if isinstance(value, str):
        return UNKNOWN if value == UNKNOWN_SENTINEL else value
    if isinstance(value, Mapping):
        return _mapping_value(value, rename_urn)
    if isinstance(value, list | tuple):
        return [plan_value(item, rename_urn) for item in value]
    # Anything else (an SDK object the harness did not serialise) is shown by type, never by content.
    return f"[{type(value).__name__}]"


def _mapping_value(value: Mapping[object, object], rename_urn: Callable[[str], str]) -> JsonValue:
    signature = value.get(SIG_KEY)
    if signature == SECRET_SIG:
        return SECRET
    if signature == RESOURCE_SIG:
        urn = value.get("urn")
        return rename_urn(urn) if isinstance(urn, str) else UNKNOWN
    if signature == OUTPUT_VALUE_SIG:
        if value.get("secret"):
            return SECRET
        return plan_value(value["value"], rename_urn) if "value" in value else UNKNOWN
    if signature in (ASSET_SIG, ARCHIVE_SIG):
        kind = "asset" if signature == ASSET_SIG else "archive"
        where = value.get("path") or value.get("uri") or value.get("hash")
        return f"[{kind} {where}]" if isinstance(where, str) else f"[{kind}]"
    return {str(key): plan_value(item, rename_urn) for key, item in value.items()}


def redact_named(inputs: dict[str, JsonValue], secret_names: tuple[str, ...]) -> dict[str, JsonValue]:
    """Inputs with the properties the program declared secret outputs shown as "[secret]" as well."""
    if not secret_names:
        return inputs
    return {key: (SECRET if key in secret_names else value) for key, value in inputs.items()}
