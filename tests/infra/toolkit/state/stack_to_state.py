"""Turn one run of the stack program into the state `pulumi up` would have left, as `pulumi stack export`.

The providers of a real deployment assign ids, ARNs and endpoints the mocks cannot know: this converter
fabricates others (another account, other ids), the same everywhere they appear, so a preview against
the state is only right if the program really reads them from the state.
"""

from __future__ import annotations

import base64
import hashlib
import json
from importlib import metadata
from typing import Any

from infra.harness.records import RegisteredResource, StackRun
from infra.pulumi_wire import SECRET_SIG, SIG_KEY
from infra.toolkit.urns import STACK_TYPE, RealUrns, make_urn, provider_urn
from tests.infra.toolkit.state.state_docs import export

MOCK_ACCOUNT = ":123456789012:"
DEPLOYED_ACCOUNT = ":210987654321:"
_ASSIGNED_KEYS = ("arn", "Arn", "Address", "endpoint", "Endpoint", "hostname", "clusterId", "keyId")


def _digest(text: str, length: int = 17) -> str:
    return hashlib.sha256(f"deployed/{text}".encode()).hexdigest()[:length]


def _strings(value: Any) -> set[str]:
    if isinstance(value, str):
        return {value}
    if isinstance(value, dict):
        return set().union(*map(_strings, value.values())) if value else set()
    if isinstance(value, list):
        return set().union(*map(_strings, value)) if value else set()
    return set()


def _assigned(resource: RegisteredResource) -> dict[str, str]:
    """Mock values the provider would have assigned -> the fabricated values the deployment has."""
    given = _strings(resource.inputs)
    found: dict[str, str] = {}
    if resource.id and resource.id not in given:
        prefix = resource.id.split("-", 1)[0] if "-" in resource.id else "id"
        found[resource.id] = f"{prefix}-0{_digest(resource.id)}"
    for key, value in resource.outputs.items():
        if not isinstance(value, str) or value in given or len(value) < 8:
            continue
        if value.startswith("arn:aws:") and MOCK_ACCOUNT in value:
            found[value] = value.replace(MOCK_ACCOUNT, DEPLOYED_ACCOUNT)
        elif key.endswith(_ASSIGNED_KEYS):
            found[value] = f"{_digest(value, 8)}-{value}"
    return found


class _Fabricate:
    def __init__(self, run: StackRun, secret_form: str) -> None:
        replacements: dict[str, str] = {}
        for resource in run.resources:
            replacements.update(_assigned(resource))
        self._pairs = sorted(replacements.items(), key=lambda pair: -len(pair[0]))
        self._secret_form = secret_form

    def text(self, text: str) -> str:
        for old, new in self._pairs:
            if old in text:
                text = text.replace(old, new)
        return text

    def value(self, value: Any) -> Any:
        if isinstance(value, dict) and value.get(SIG_KEY) == SECRET_SIG:
            inner = json.dumps(self.value(value.get("value")))
            if self._secret_form == "plaintext":
                return {SIG_KEY: SECRET_SIG, "plaintext": inner}
            sealed = base64.b64encode(hashlib.sha256(inner.encode()).digest()).decode()
            return {SIG_KEY: SECRET_SIG, "ciphertext": f"v1:{sealed}"}
        if isinstance(value, dict):
            return {key: self.value(item) for key, item in value.items()}
        if isinstance(value, list):
            return [self.value(item) for item in value]
        return self.text(value) if isinstance(value, str) else value


def _default_provider(run: StackRun, package: str) -> dict[str, Any]:
    try:
        version = metadata.version(f"pulumi-{package}")
    except metadata.PackageNotFoundError:
        version = "1.0.0"
    name = f"default_{version.replace('.', '_')}"
    return {
        "urn": make_urn(run.stack, run.project, f"pulumi:providers:{package}", name),
        "custom": True,
        "id": f"{_digest(package, 8)}-{_digest(version, 4)}-provider",
        "type": f"pulumi:providers:{package}",
        "inputs": {"__internal": {}, "version": version},
        "outputs": {"version": version},
    }


def stack_to_state(run: StackRun, *, secret_form: str = "ciphertext") -> dict[str, Any]:
    """The export of the stack that `run` would deploy, with fabricated provider-assigned values."""
    urns = RealUrns(run.stack, run.project)
    fabricate = _Fabricate(run, secret_form)
    ids = {r.urn: fabricate.text(r.id) for r in run.resources if r.id}
    providers: dict[str, dict[str, Any]] = {}
    resources: list[dict[str, Any]] = []
    for resource in run.resources:
        real = urns.add(resource.type, resource.name, resource.parent, resource.urn)
        if resource.type == STACK_TYPE:
            resources.append(
                {"urn": real, "custom": False, "type": STACK_TYPE, "outputs": fabricate.value(run.outputs)}
            )
            continue
        entry: dict[str, Any] = {
            "urn": real,
            "custom": resource.custom,
            "type": resource.type,
            "inputs": fabricate.value(resource.inputs),
            "outputs": fabricate.value(resource.outputs),
            "parent": urns(resource.parent) if resource.parent else urns.stack_urn,
            "dependencies": list(urns.sorted(resource.dependencies)),
            "propertyDependencies": {
                k: list(urns.sorted(v)) for k, v in resource.property_dependencies.items()
            },
        }
        options = resource.options
        entry.update(
            {
                "protect": options.protect,
                "retainOnDelete": options.retain_on_delete,
                "ignoreChanges": list(options.ignore_changes),
                "replaceOnChanges": list(options.replace_on_changes),
                "additionalSecretOutputs": list(options.additional_secret_outputs),
                "aliases": list(urns.all(options.aliases)),
            }
        )
        if resource.custom:
            entry["id"] = ids.get(resource.urn, f"{resource.name}-{_digest(real, 8)}")
            if resource.provider:
                provider_mock_urn = provider_urn(resource.provider)
                provider_id = ids.get(provider_mock_urn, "")
                entry["provider"] = f"{urns(provider_mock_urn)}::{provider_id}"
            elif not resource.type.startswith("pulumi:providers:"):
                package = resource.type.split(":", 1)[0]
                provider = providers.setdefault(package, _default_provider(run, package))
                entry["provider"] = f"{provider['urn']}::{provider['id']}"
        resources.append(entry)
    return export([resources[0], *providers.values(), *resources[1:]])
