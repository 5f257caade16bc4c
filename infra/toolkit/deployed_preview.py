"""Preview against deployed state: the program reads what the providers really assigned.

The stack program runs under the mock runtime as in any preview, but each registration is first looked
up in the state by its URN, then by its aliases, as the engine does. A resource found there, whose
inputs do not change in a way that replaces it, gets its deployed id and outputs, so ids, ARNs and
endpoints flow on as they are in the cloud. A new resource, or one to be replaced, gets no id and only
its inputs back: everything else is unknown, as in a real preview. Secrets from the state reach the
program only as secrets holding "[secret]": nothing is decrypted, nothing real is handed on.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pulumi.runtime import MockResourceArgs, Mocks

from infra.harness.mocks import PlausibleMocks
from infra.harness.monitor import RecordingMonitor, struct_to_dict
from infra.pulumi_internals import MockMonitor
from infra.pulumi_wire import is_secret, secret
from infra.toolkit.diff.properties import diff_inputs, is_ignored
from infra.toolkit.diff.replace_rules import forces_replacement
from infra.toolkit.plan import SECRET
from infra.toolkit.preview.run import PreviewResult, preview_stack
from infra.toolkit.progress import Progress
from infra.toolkit.state.convert import plan_inputs
from infra.toolkit.state.deployed import DeployedStack, expect_stack
from infra.toolkit.state.shapes import ResourceV3
from infra.toolkit.urns import RealUrns
from infra.toolkit.values import plan_value


@dataclass(frozen=True)
class _Goal:
    """What the monitor knows of a registration that the mocks' arguments leave out."""

    urn: str
    aliases: tuple[str, ...]
    inputs: dict[str, Any]
    replace_on_changes: tuple[str, ...]
    ignore_changes: tuple[str, ...]


def replaces(old: ResourceV3, goal: _Goal) -> bool:
    """Whether the goal's inputs change the deployed resource in a way that forces its replacement."""
    new_inputs = {key: plan_value(value) for key, value in goal.inputs.items()}
    return any(
        forces_replacement(old.type, change.path, goal.replace_on_changes)
        for change in diff_inputs(plan_inputs(old)[0], new_inputs)
        if not is_ignored(change.path, goal.ignore_changes)
    )


def _program_value(value: Any) -> Any:
    """A state output as the program may see it: secrets only as secrets of "[secret]"."""
    if is_secret(value):
        return secret(SECRET)
    if isinstance(value, dict):
        return {key: _program_value(item) for key, item in value.items() if not key.startswith("__")}
    if isinstance(value, list):
        return [_program_value(item) for item in value]
    return value


class DeployedMocks(Mocks):
    """Answers each registration from the state; what the state does not hold stays unknown."""

    def __init__(self, state: DeployedStack) -> None:
        self._by_urn = {resource.urn: resource for resource in state.resources}
        self._fallback = PlausibleMocks()
        # The SDK may register from several threads; each registration's goal travels on its own.
        self._current = threading.local()
        self.found: dict[str, str] = {}
        """Registered URN -> the URN it was found under in the state (itself or an alias)."""

    def _deployed(self, goal: _Goal) -> ResourceV3 | None:
        for urn in (goal.urn, *goal.aliases):
            if urn in self._by_urn:
                self.found[goal.urn] = urn
                return self._by_urn[urn]
        return None

    def expect(self, goal: _Goal | None) -> None:
        """The goal of the registration this thread is about to answer."""
        self._current.goal = goal

    def new_resource(self, args: MockResourceArgs) -> tuple[str | None, dict[str, Any]]:
        goal: _Goal | None = getattr(self._current, "goal", None)
        self._current.goal = None
        if goal is None or args.custom is False:  # a component, or a read of an existing resource
            return self._fallback.new_resource(args)
        old = self._deployed(goal)
        if old is None or replaces(old, goal):
            return None, dict(args.inputs)  # to create: no id, outputs unknown beyond the inputs
        return old.id, _program_value(old.outputs)

    def call(self, args: Any) -> tuple[dict[str, Any], list[tuple[str, str]]]:
        return self._fallback.call(args)


class DeployedMonitor(RecordingMonitor):
    """Tells the mocks each registration's real URN, aliases and options before they answer it."""

    def __init__(self, state: DeployedStack) -> None:
        self.deployed = DeployedMocks(state)
        super().__init__(self.deployed)
        self._urns = RealUrns(state.stack, state.project)

    def RegisterResource(self, request: Any) -> Any:  # noqa: N802 (gRPC method name)
        mock_urn = MockMonitor.make_urn(self, request.parent, request.type, request.name)
        real = self._urns.add(request.type, request.name, request.parent or None, mock_urn)
        aliases = [str(u) for u in request.aliasURNs] + [self._alias_urn(a, request) for a in request.aliases]
        self.deployed.expect(
            _Goal(
                urn=real,
                aliases=self._urns.all(aliases),
                inputs=struct_to_dict(request.object),
                replace_on_changes=tuple(request.replaceOnChanges),
                ignore_changes=tuple(request.ignoreChanges),
            )
        )
        return super().RegisterResource(request)


def preview_against(
    stack: str, *, project_dir: Path, state: DeployedStack, progress: Progress | None = None
) -> PreviewResult:
    """Preview `stack` with the resources `state` holds answered from it; the state must be that stack's."""
    from infra.harness.stack_file import load_project

    expect_stack(state, project=load_project(project_dir.resolve()).name, stack=stack)
    return preview_stack(stack, project_dir=project_dir, monitor=DeployedMonitor(state), progress=progress)
