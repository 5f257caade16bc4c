"""A mock resource monitor that records every registration with its options, in order."""

from __future__ import annotations

from typing import Any

from google.protobuf import json_format, struct_pb2  # type: ignore[import-untyped]
from pulumi import get_project, get_stack
from pulumi.runtime import Mocks

from infra.harness.records import RegisteredOptions, RegisteredResource
from infra.pulumi_internals import MockMonitor, resource_pb2
from infra.pulumi_wire import is_secret, secret

STACK_TYPE = "pulumi:pulumi:Stack"


def struct_to_dict(struct: struct_pb2.Struct) -> dict[str, Any]:
    """A protobuf Struct as plain JSON values, wire markers left in place."""
    result: dict[str, Any] = json_format.MessageToDict(struct)
    return result


def _mark_secret_outputs(response: Any, names: Any) -> Any:
    # The engine, not the SDK, turns `additionalSecretOutputs` (e.g. RandomPassword.result) into
    # secrets; the base MockMonitor skips that, which would leak generated passwords as plain values.
    if not names or not response.object:
        return response
    state = struct_to_dict(response.object)
    for name in names:
        if name in state and not is_secret(state[name]):
            state[name] = secret(state[name])
    wrapped = struct_pb2.Struct()
    json_format.ParseDict(state, wrapped)
    return resource_pb2.RegisterResourceResponse(urn=response.urn, id=response.id, object=wrapped)


class RecordingMonitor(MockMonitor):
    """Sees what the base MockMonitor drops: parent, provider, dependencies and options."""

    def __init__(self, mocks: Mocks) -> None:
        super().__init__(mocks)
        self.registrations: list[RegisteredResource] = []
        self.outputs_by_urn: dict[str, dict[str, Any]] = {}

    def _alias_urn(self, alias: Any, request: Any) -> str:
        # The SDK sends alias specs (name/type/parent) rather than URNs when the monitor allows it.
        if alias.urn:
            return str(alias.urn)
        spec = alias.spec
        parent = "" if spec.noParent else (spec.parentUrn or request.parent)
        probe = MockMonitor.make_urn(self, parent, spec.type or request.type, spec.name or request.name)
        if spec.stack or spec.project:
            head = f"urn:pulumi:{get_stack()}::{get_project()}::"
            probe = probe.replace(
                head, f"urn:pulumi:{spec.stack or get_stack()}::{spec.project or get_project()}::", 1
            )
        return probe

    def RegisterResource(self, request: Any) -> Any:  # noqa: N802 (gRPC method name)
        base = super().RegisterResource(request)  # type: ignore[no-untyped-call]
        response = _mark_secret_outputs(base, request.additionalSecretOutputs)
        urn = str(response.urn)
        registered = self.resources.get(urn)
        self.registrations.append(
            RegisteredResource(
                type=request.type,
                name=request.name,
                urn=urn,
                custom=bool(request.custom),
                parent=request.parent or None,
                provider=request.provider or None,
                dependencies=tuple(request.dependencies),
                property_dependencies={
                    key: tuple(deps.urns) for key, deps in request.propertyDependencies.items()
                },
                options=RegisteredOptions(
                    protect=bool(request.protect),
                    delete_before_replace=bool(request.deleteBeforeReplace),
                    retain_on_delete=bool(request.retainOnDelete),
                    ignore_changes=tuple(request.ignoreChanges),
                    replace_on_changes=tuple(request.replaceOnChanges),
                    additional_secret_outputs=tuple(request.additionalSecretOutputs),
                    aliases=tuple(
                        [str(u) for u in request.aliasURNs]
                        + [self._alias_urn(a, request) for a in request.aliases]
                    ),
                ),
                inputs=struct_to_dict(request.object),
                id=(registered.id or None) if registered is not None and request.custom else None,
                outputs=struct_to_dict(response.object),
            )
        )
        return response

    def ReadResource(self, request: Any) -> Any:  # noqa: N802 (gRPC method name)
        response = super().ReadResource(request)  # type: ignore[no-untyped-call]
        self.registrations.append(
            RegisteredResource(
                type=request.type,
                name=request.name,
                urn=str(response.urn),
                custom=True,
                parent=request.parent or None,
                provider=request.provider or None,
                dependencies=tuple(request.dependencies),
                property_dependencies={},
                options=RegisteredOptions(additional_secret_outputs=tuple(request.additionalSecretOutputs)),
                inputs=struct_to_dict(request.properties),
                id=str(request.id) or None,
                outputs=struct_to_dict(response.properties),
                read=True,
            )
        )
        return response

    def RegisterResourceOutputs(self, request: Any) -> Any:  # noqa: N802 (gRPC method name)
        self.outputs_by_urn[str(request.urn)] = struct_to_dict(request.outputs)
        return super().RegisterResourceOutputs(request)  # type: ignore[no-untyped-call]

    def stack_urn(self) -> str | None:
        """The URN of the stack resource, once it has registered."""
        return next((r.urn for r in self.registrations if r.type == STACK_TYPE), None)
