"""No plaintext secrets: inputs whose names say secret, and Kubernetes Secret data, must be Pulumi secrets.

The engine decrypts secrets before policies see them, so under `pulumi preview --policy-pack` this policy
cannot tell a secret from plaintext and reports itself not applicable. The offline preview keeps the
marker (`[secret]`), and the in-process run says so through the policy's `secretsRedacted` setting.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from functools import lru_cache
from typing import Any

from pulumi_policy import (
    EnforcementLevel,
    PolicyConfigSchema,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
)

from infra.policy import tokens
from infra.policy.props import SECRET_MARKER, is_list
from infra.pulumi_policy_internals import UnknownValueError

_SECRET_NAME = re.compile(
    r"(password|passwd|passphrase|authtoken|secret|secretstring|secretbinary|token|privatekey|apikey)$"
)
# Keys whose values name a secret rather than hold one (`existingSecret`, Datadog's `apiKeyExistingSecret`).
_REFERENCE_KEYS = frozenset({"existingsecret"})
# Settings whose names end like a secret's but hold a flag: every pod spec and ServiceAccount has this one.
_SETTING_KEYS = frozenset({"automountserviceaccounttoken"})
_PLACEHOLDERS = frozenset({SECRET_MARKER, "[unknown]", ""})


# Plans repeat the same few hundred input names across thousands of resources.
@lru_cache(maxsize=4096)
def is_secret_name(key: str) -> bool:
    """Whether an input's name says its value is a secret (`authToken`, `db_password`, `privateKey`...)."""
    normalized = re.sub(r"[^a-z0-9]", "", key.lower())
    if normalized in _SETTING_KEYS or any(ref in normalized for ref in _REFERENCE_KEYS):
        return False
    return _SECRET_NAME.search(normalized) is not None


def plaintext_paths(value: Any, path: str = "") -> Iterator[str]:
    """Paths of string values under secret-looking keys that are not redacted. Never yields the value."""
    if isinstance(value, Mapping):
        for key in value:
            try:
                child = value[key]
            except UnknownValueError:  # unknown until apply: not plaintext now
                continue
            if isinstance(child, str):
                if child not in _PLACEHOLDERS and is_secret_name(str(key)):
                    yield f"{path}.{key}" if path else str(key)
            elif _is_container(child):  # scalars hold no paths: no generator for each of them
                yield from plaintext_paths(child, f"{path}.{key}" if path else str(key))
    elif is_list(value):
        for index in range(len(value)):
            try:
                child = value[index]
            except UnknownValueError:
                continue
            if _is_container(child):
                yield from plaintext_paths(child, f"{path}[{index}]")


def _is_container(value: Any) -> bool:
    return isinstance(value, Mapping) or is_list(value)


def _kubernetes_secret_plaintext(props: Mapping[str, Any]) -> Iterator[str]:
    for field in ("data", "stringData"):
        data = props.get(field)
        if isinstance(data, Mapping):
            yield from (f"{field}.{key}" for key in data if _stored(data, key) != SECRET_MARKER)
        elif isinstance(data, str) and data != SECRET_MARKER:
            yield field


def _stored(data: Mapping[str, Any], key: str) -> Any:
    try:
        return data[key]
    except UnknownValueError:
        return SECRET_MARKER  # computed at apply time, so not written in plaintext here


def _no_plaintext_secrets(args: ResourceValidationArgs, report: ReportViolation) -> None:
    if not args.get_config().get("secretsRedacted"):
        args.not_applicable("the engine decrypts secrets before policies run; checked on offline plans")
    paths = list(plaintext_paths(args.props))
    if args.resource_type == tokens.K8S_SECRET:
        paths += [p for p in _kubernetes_secret_plaintext(args.props) if p not in paths]
    for path in paths:
        report(f"{path} is plaintext: pass it as a Pulumi secret (config --secret or Output.secret)", None)


NO_PLAINTEXT_SECRETS = ResourceValidationPolicy(
    name="no-plaintext-secrets",
    description="Passwords, tokens, keys and Kubernetes Secret data reach resources only as Pulumi secrets.",
    enforcement_level=EnforcementLevel.MANDATORY,
    validate=_no_plaintext_secrets,
    config_schema=PolicyConfigSchema(
        properties={"secretsRedacted": {"type": "boolean", "default": False}},
    ),
)

POLICIES = [NO_PLAINTEXT_SECRETS]
