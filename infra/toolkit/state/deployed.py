"""Recognise a Pulumi state document by its shape and check it is whole and of one stack.

Two shapes are read (see shapes.py): a `pulumi stack export` file and a DIY backend checkpoint. Each
mistake is one line naming the document: another version, a broken field, resources of two stacks, or
a checkpoint whose path names another stack or project than the one it holds.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final, Literal

from pydantic import ValidationError

from infra.toolkit.errors import ToolkitError
from infra.toolkit.plan import PlanFormatError, first_problem, parse_json
from infra.toolkit.state.shapes import STATE_VERSION, CheckpointV3, DeploymentV3, OperationV2, ResourceV3
from infra.toolkit.state.sources import StateReadError, read_bytes, split_s3

# `.pulumi/stacks/<project>/<stack>.json` (or the pre-project layout `.pulumi/stacks/<stack>.json`).
_CHECKPOINT_PATH: Final = re.compile(
    r"(?:^|/)stacks/(?:(?P<project>[^/]+)/)?(?P<stack>[^/]+?)\.json(?:\.gz)?$"
)


class StateFormatError(ToolkitError):
    """A document is not a state this toolkit reads; the message names it and the problem, on one line."""


@dataclass(frozen=True)
class DeployedStack:
    """A stack as its state records it: live resources, leftovers, and unfinished operations."""

    source: str
    kind: Literal["export", "checkpoint"]
    project: str
    stack: str
    resources: tuple[ResourceV3, ...]
    """Live resources, in the state's order (a parent before its children)."""
    pending_deletion: tuple[ResourceV3, ...] = ()
    """Old copies the engine still has to delete (`"delete": true`)."""
    pending_operations: tuple[OperationV2, ...] = ()

    @property
    def notes(self) -> tuple[str, ...]:
        """What a reviewer should know about this state before trusting a comparison with it."""
        notes = [
            f"{self.source}: the last update did not finish {operation.type} {operation.resource.urn};"
            " the cloud may differ from the state until `pulumi refresh`"
            for operation in self.pending_operations
        ]
        notes.extend(
            f"{self.source}: an old copy of {old.urn} is still to be deleted (a replacement left it)"
            for old in self.pending_deletion
        )
        notes.extend(
            f"{self.source}: {resource.urn} was deleted to be replaced and is not yet recreated"
            for resource in self.resources
            if resource.pending_replacement
        )
        return tuple(notes)


def is_state_document(data: object) -> bool:
    """Whether parsed JSON has the shape of an export or a checkpoint (it may still be a broken one)."""
    return isinstance(data, Mapping) and "version" in data and ("deployment" in data or "checkpoint" in data)


def load_state(location: str) -> DeployedStack:
    """Read a state file or `s3://` object; StateReadError or StateFormatError, one line, otherwise."""
    raw = read_bytes(location)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise StateReadError(f"{location}: not UTF-8 text (byte {error.start})") from None
    try:
        data = parse_json(text, location)
    except PlanFormatError as error:
        raise StateFormatError(str(error)) from None
    if not is_state_document(data):
        raise StateFormatError(
            f'{location}: not a Pulumi state (expected "version" and "deployment", as `pulumi stack export`'
            ' writes, or "version" and "checkpoint", as a backend stores)'
        )
    return state_from_data(data, location)


def _version_problem(version: object, what: str) -> str | None:
    if version == STATE_VERSION:
        return None
    if isinstance(version, int) and not isinstance(version, bool) and 0 < version < STATE_VERSION:
        return f"a {what} of version {version}, from an old Pulumi; export it again with a current CLI"
    return f"a {what} of version {version!r}; this tool reads version {STATE_VERSION}"


def state_from_data(data: object, source: str) -> DeployedStack:
    """Validate parsed JSON as an export or a checkpoint and check that it is of one stack."""
    assert isinstance(data, Mapping)  # is_state_document checked the shape
    kind: Literal["export", "checkpoint"] = "checkpoint" if "checkpoint" in data else "export"
    problem = _version_problem(data.get("version"), "stack export" if kind == "export" else "checkpoint")
    if problem:
        raise StateFormatError(f"{source}: {problem}")
    try:
        if kind == "export":
            deployment = DeploymentV3.model_validate(data["deployment"])
            named: str | None = None
        else:
            checkpoint = CheckpointV3.model_validate(data["checkpoint"])
            deployment, named = checkpoint.latest or DeploymentV3(), checkpoint.stack
    except ValidationError as error:
        root = "deployment" if kind == "export" else "checkpoint"
        raise StateFormatError(f"{source}: not a valid state: {first_problem(error, root)}") from None
    project, stack = _identity(deployment, named, source)
    if kind == "checkpoint":
        _check_path(source, project, stack)
    return DeployedStack(
        source=source,
        kind=kind,
        project=project,
        stack=stack,
        resources=tuple(r for r in deployment.resources if not r.delete),
        pending_deletion=tuple(r for r in deployment.resources if r.delete),
        pending_operations=tuple(deployment.pending_operations),
    )


def _urn_identity(urn: str) -> tuple[str, str] | None:
    parts = urn.split("::")
    if len(parts) < 4 or not parts[0].startswith("urn:pulumi:"):
        return None
    return parts[1], parts[0].removeprefix("urn:pulumi:")


def _identity(deployment: DeploymentV3, named: str | None, source: str) -> tuple[str, str]:
    """(project, stack) the resources belong to, checked against the checkpoint's own stack name."""
    found: set[tuple[str, str]] = set()
    for index, resource in enumerate(deployment.resources):
        identity = _urn_identity(resource.urn)
        if identity is None:
            raise StateFormatError(f"{source}: resources[{index}].urn is not a Pulumi URN: {resource.urn!r}")
        found.add(identity)
    if len(found) > 1:
        listed = ", ".join(f"{stack} of {project}" for project, stack in sorted(found))
        raise StateFormatError(f"{source}: resources of more than one stack ({listed})")
    named_project, named_stack = _split_qualified(named) if named else (None, None)
    if found:
        project, stack = found.pop()
        if named_stack is not None and (named_stack, named_project or project) != (stack, project):
            raise StateFormatError(
                f"{source}: a checkpoint of stack {named}, but its resources are of stack {stack}"
                f" of project {project}"
            )
        return project, stack
    if named_stack is None:
        providers = deployment.secrets_providers or {}
        state = providers.get("state")
        project_name, stack_name = (
            (state.get("project"), state.get("stack")) if isinstance(state, Mapping) else (None, None)
        )
        if isinstance(project_name, str) and isinstance(stack_name, str):
            return project_name, stack_name
        raise StateFormatError(f"{source}: an empty stack export that does not say which stack it is")
    return named_project or "", named_stack


def _split_qualified(name: str) -> tuple[str | None, str]:
    """(project, stack) of a checkpoint's `organization/<project>/<stack>` or bare `<stack>`."""
    parts = name.split("/")
    return (parts[-2], parts[-1]) if len(parts) == 3 else (None, parts[-1])


def _check_path(source: str, project: str, stack: str) -> None:
    path = split_s3(source)[1] if source.startswith("s3://") else source.replace("\\", "/")
    match = _CHECKPOINT_PATH.search(path)
    if match is None:
        return  # a checkpoint copied elsewhere: its path says nothing
    if match["stack"] != stack or (match["project"] is not None and match["project"] != project):
        where = f"{match['project']}/{match['stack']}" if match["project"] else match["stack"]
        raise StateFormatError(
            f"{source}: holds stack {stack} of project {project}, but its path names {where}"
        )


def expect_stack(state: DeployedStack, *, project: str, stack: str | None = None) -> None:
    """Refuse a state of another project (or stack, when one is named) than the one it is used for."""
    if state.project and state.project != project:
        raise StateFormatError(f"{state.source}: a state of project {state.project}, not {project}")
    if stack is not None and state.stack != stack:
        raise StateFormatError(f"{state.source}: a state of stack {state.stack}, not {stack}")
