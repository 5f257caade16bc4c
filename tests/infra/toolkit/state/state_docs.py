"""Pulumi state documents for tests, in the shapes `pulumi stack export` and a DIY backend write.

Each builder returns plain JSON data; `write_*` put it where a backend would. Secrets are planted in
both of the forms state holds them, so tests can search every output for their text.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

from infra.pulumi_wire import SECRET_SIG, SIG_KEY

PROJECT = "primetradeai"
PLANTED_CIPHERTEXT = "v1:9Kq2planted/Ciphertext+aWQ0ZmE1ZTRiOGM="
PLANTED_PLAINTEXT = "planted-Plaintext-Password-7d1c40b2e6"
EXPORTS = Path(__file__).parent / "exports"


def urn(type_chain: str, name: str, stack: str = "prod", project: str = PROJECT) -> str:
    """A URN; `type_chain` is `Parent$Type` for a child of a component."""
    return f"urn:pulumi:{stack}::{project}::{type_chain}::{name}"


def stack_urn(stack: str = "prod", project: str = PROJECT) -> str:
    return urn("pulumi:pulumi:Stack", f"{project}-{stack}", stack, project)


def ciphertext(text: str = PLANTED_CIPHERTEXT) -> dict[str, str]:
    """A secret as an export without --show-secrets holds it."""
    return {SIG_KEY: SECRET_SIG, "ciphertext": text}


def plaintext(value: Any = PLANTED_PLAINTEXT) -> dict[str, str]:
    """A secret as an export made with --show-secrets holds it: its value as JSON text."""
    return {SIG_KEY: SECRET_SIG, "plaintext": json.dumps(value)}


def provider(package: str, version: str, stack: str = "prod") -> dict[str, Any]:
    """A default provider as the engine records it: named for its version."""
    name = f"default_{version.replace('.', '_')}"
    return {
        "urn": urn(f"pulumi:providers:{package}", name, stack),
        "custom": True,
        "id": f"{package}-{version}-provider-id",
        "type": f"pulumi:providers:{package}",
        "inputs": {"__internal": {}, "version": version, "region": "eu-west-1"},
        "outputs": {"version": version, "region": "eu-west-1"},
    }


def custom(
    type_chain: str,
    name: str,
    inputs: dict[str, Any],
    *,
    provider_urn: str,
    parent: str | None = None,
    stack: str = "prod",
    **extra: Any,
) -> dict[str, Any]:
    """A custom resource; `extra` adds any other ResourceV3 field (protect, aliases, ...)."""
    resource_urn = urn(type_chain, name, stack)
    return {
        "urn": resource_urn,
        "custom": True,
        "id": f"{name}-id-0f3e",
        "type": type_chain.rsplit("$", 1)[-1],
        "inputs": inputs,
        "outputs": {**inputs, "arn": f"arn:aws:service:eu-west-1:210987654321:{name}"},
        "parent": parent or stack_urn(stack),
        "provider": f"{provider_urn}::{provider_urn.rsplit('::', 1)[-1]}-uuid",
        **extra,
    }


def component(type_chain: str, name: str, parent: str | None = None, stack: str = "prod") -> dict[str, Any]:
    """A component resource (no id, no provider)."""
    return {
        "urn": urn(type_chain, name, stack),
        "custom": False,
        "type": type_chain.rsplit("$", 1)[-1],
        "parent": parent or stack_urn(stack),
    }


def stack_resource(outputs: dict[str, Any] | None = None, stack: str = "prod") -> dict[str, Any]:
    return {"urn": stack_urn(stack), "custom": False, "type": "pulumi:pulumi:Stack", "outputs": outputs or {}}


def cache_stack(
    *,
    secret: dict[str, str] | None = None,
    aws_version: str = "7.11.0",
    node_type: str = "cache.t4g.small",
    stack: str = "prod",
    extra: list[dict[str, Any]] | None = None,
) -> list[dict[str, Any]]:
    """A component tree: a cache component holding a KMS key and a Redis group whose token is secret."""
    aws = provider("aws", aws_version, stack)
    cache = component("primetradeai:cache:RedisCache", "prod", stack=stack)
    key = custom(
        "primetradeai:cache:RedisCache$aws:kms/key:Key",
        "prod-redis-key",
        {"__defaults": ["isEnabled"], "isEnabled": True, "enableKeyRotation": True, "tagsAll": {"a": "b"}},
        provider_urn=aws["urn"],
        parent=cache["urn"],
        stack=stack,
        protect=True,
    )
    group = custom(
        "primetradeai:cache:RedisCache$aws:elasticache/replicationGroup:ReplicationGroup",
        "prod-redis",
        {
            "authToken": secret or ciphertext(),
            "nodeType": node_type,
            "numCacheClusters": 2,
            "atRestEncryptionEnabled": True,
            "transitEncryptionEnabled": True,
            "kmsKeyId": key["outputs"]["arn"],
            "description": "task API cache",
        },
        provider_urn=aws["urn"],
        parent=cache["urn"],
        stack=stack,
        protect=True,
        additionalSecretOutputs=["authToken"],
        dependencies=[key["urn"]],
        propertyDependencies={"kmsKeyId": [key["urn"]], "authToken": []},
    )
    # A secret the program passes on without declaring a secret output: only its secret marker hides it.
    parameter = custom(
        "primetradeai:cache:RedisCache$aws:ssm/parameter:Parameter",
        "prod-redis-token",
        {"name": "/prod/redis-token", "type": "SecureString", "value": secret or ciphertext()},
        provider_urn=aws["urn"],
        parent=cache["urn"],
        stack=stack,
    )
    outputs = {"redisToken": secret or ciphertext(), "region": "eu-west-1"}
    return [stack_resource(outputs, stack), aws, cache, key, group, parameter, *(extra or [])]


def export(resources: list[dict[str, Any]], **deployment: Any) -> dict[str, Any]:
    """A `pulumi stack export` document."""
    manifest = {"time": "2026-11-30T10:00:00Z", "magic": "0" * 64, "version": "v3.210.0"}
    return {"version": 3, "deployment": {"manifest": manifest, "resources": resources, **deployment}}


def checkpoint(
    resources: list[dict[str, Any]] | None, stack: str = "prod", **deployment: Any
) -> dict[str, Any]:
    """A DIY backend checkpoint; None resources is a stack never deployed (no `latest`)."""
    latest = None if resources is None else export(resources, **deployment)["deployment"]
    body: dict[str, Any] = {"stack": f"organization/{PROJECT}/{stack}"}
    if latest is not None:
        body["latest"] = latest
    return {"version": 3, "checkpoint": body}


def write_json(path: Path, data: Any, *, gzipped: bool = False) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(data, indent=2).encode()
    path.write_bytes(gzip.compress(text) if gzipped else text)
    return path


def backend_path(root: Path, stack: str = "prod", project: str = PROJECT, gzipped: bool = False) -> Path:
    """Where a DIY backend rooted at `root` keeps a stack's checkpoint."""
    return root / ".pulumi" / "stacks" / project / f"{stack}.json{'.gz' if gzipped else ''}"
