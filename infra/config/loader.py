"""Turn the stack's config, as Pulumi hands it to the program, into a validated StackConfig.

`parse_stack_config` is a plain function (tests call it directly); `load_stack_config` reads the running
program's config and secrets. Either raises InvalidStackConfigError naming the stack file and the key.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Set
from dataclasses import dataclass
from typing import Any

import pulumi
from pulumi.runtime import get_config_env, get_config_secret_keys_env, is_config_secret
from pydantic import ValidationError

from infra.config.conflict import ConfigConflictError
from infra.config.errors import InvalidStackConfigError
from infra.config.schema import StackConfig
from infra.pulumi_internals import CONFIG

NAMESPACE = "primetradeai"
SECRET_KEYS = frozenset({"kubeconfig", "sentryDsn", "datadogApiKey"})
"""Keys that must be set with `pulumi config set --secret`; everything else must be plain."""


@dataclass(frozen=True)
class StackSecrets:
    """Secret config values, kept as secret Outputs end to end."""

    kubeconfig: pulumi.Output[str] | None
    sentry_dsn: pulumi.Output[str] | None
    datadog_api_key: pulumi.Output[str] | None


def _decode(raw: str) -> Any:
    # Pulumi passes objects, lists, numbers and booleans as JSON text and strings as they are.
    try:
        return json.loads(raw)
    except ValueError:
        return raw


def _describe(error: Mapping[str, Any]) -> tuple[str, str]:
    loc = [str(part) for part in error["loc"]]
    cause = (error.get("ctx") or {}).get("error")
    if isinstance(cause, ConfigConflictError):
        return ".".join([*loc[:1], cause.key] if "." in cause.key else [*loc, cause.key]), cause.message
    message = str(error["msg"]).removeprefix("Value error, ")
    if error["type"] == "extra_forbidden":
        message = "unknown key"
    return ".".join(loc), message


def format_validation_error(exc: ValidationError, stack_file: str) -> str:
    """One line per problem: `<stack file>: primetradeai:<key path>: <what is wrong>`."""
    lines = []
    for error in exc.errors():
        key, message = _describe(error)
        lines.append(f"{stack_file}: {NAMESPACE}:{key}: {message}")
    return "\n".join(lines)


def parse_stack_config(values: Mapping[str, str], secret_keys: Set[str], stack_file: str) -> StackConfig:
    """Validate `values` (un-namespaced key -> Pulumi's string form) and return the stack's config.

    `secret_keys` are the keys set as secrets. Secrets are checked for presence and secrecy here but
    never parsed into the model: they stay Outputs.
    """
    problems = []
    for key in sorted(values):
        if key in SECRET_KEYS and key not in secret_keys:
            problems.append(f"{stack_file}: {NAMESPACE}:{key}: must be set with `pulumi config set --secret`")
        elif key not in SECRET_KEYS and key in secret_keys:
            problems.append(f"{stack_file}: {NAMESPACE}:{key}: is not a secret; set it in plain config")
    if problems:
        raise InvalidStackConfigError("\n".join(problems))

    data = {key: _decode(raw) for key, raw in values.items() if key not in SECRET_KEYS}
    try:
        config = StackConfig.model_validate(data)
    except ValidationError as exc:
        raise InvalidStackConfigError(format_validation_error(exc, stack_file)) from None

    needs = {
        "kubeconfig": config.cluster.mode == "existing",
        "datadogApiKey": config.observability.datadog.enabled,
        "sentryDsn": config.observability.sentry.enabled,
    }
    for key, needed in needs.items():
        if needed and key not in values:
            problems.append(f"{stack_file}: {NAMESPACE}:{key}: is required by this stack's settings")
        elif not needed and key in values:
            problems.append(f"{stack_file}: {NAMESPACE}:{key}: is set but its switch is off")
    if problems:
        raise InvalidStackConfigError("\n".join(problems))
    return config


def _namespace_values() -> tuple[dict[str, str], set[str]]:
    # pulumi.Config reads one key at a time; rejecting unknown keys needs the whole map. The language
    # host passes it in PULUMI_CONFIG; the mock runtime and tests set it with set_all_config.
    merged = {**get_config_env(), **CONFIG.get()}
    prefix = f"{NAMESPACE}:"
    values = {key.removeprefix(prefix): str(value) for key, value in merged.items() if key.startswith(prefix)}
    secret = {key.removeprefix(prefix) for key in values if is_config_secret(prefix + key)}
    secret |= {k.removeprefix(prefix) for k in get_config_secret_keys_env() if k.startswith(prefix)}
    return values, secret


def stack_file_name() -> str:
    """The stack file of the running stack, as users see it."""
    return f"Pulumi.{pulumi.get_stack()}.yaml"


def aws_region() -> str:
    """The stack's AWS region (`aws:region`, which the AWS provider reads too)."""
    region = pulumi.Config("aws").get("region")
    if not region:
        raise InvalidStackConfigError(f"{stack_file_name()}: aws:region: is required")
    return region


def load_stack_config() -> tuple[StackConfig, StackSecrets]:
    """Read and validate the running stack's config, before any resource is registered."""
    values, secret = _namespace_values()
    config = parse_stack_config(values, secret, stack_file_name())
    settings = pulumi.Config(NAMESPACE)
    return config, StackSecrets(
        kubeconfig=settings.get_secret("kubeconfig"),
        sentry_dsn=settings.get_secret("sentryDsn"),
        datadog_api_key=settings.get_secret("datadogApiKey"),
    )
