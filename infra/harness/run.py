"""Run the stack program under Pulumi's mock runtime and return everything it registered.

The program runs in this process (no engine, no providers, no network): Pulumi's global runtime state
is reset before each run, so one process can run several stacks, one after another.
"""

from __future__ import annotations

import os
import runpy
from pathlib import Path
from typing import Any

from pulumi import RunError
from pulumi.runtime import settings as pulumi_settings
from pulumi.runtime.config import set_all_config
from pulumi.runtime.mocks import MockEngine, MockSettings
from pulumi.runtime.stack import run_in_stack
from pulumi.runtime.sync_await import _sync_await

from infra.config.errors import InvalidStackConfigError
from infra.harness.errors import HarnessError, ProgramError, StackConfigError
from infra.harness.mocks import PlausibleMocks
from infra.harness.monitor import RecordingMonitor
from infra.harness.records import StackRun
from infra.harness.stack_file import load_project, load_stack_file


def _configure_runtime(project: str, stack: str, monitor: RecordingMonitor) -> None:
    # What pulumi.runtime.set_mocks does, minus its eager root Stack: the program's own run_in_stack
    # registers the stack, exactly as the real language host does.
    pulumi_settings.ROOT.set(None)
    features = set(monitor.GetDeploymentInfo(None).supportedFeatures)  # type: ignore[no-untyped-call]
    pulumi_settings.configure(
        MockSettings(  # type: ignore[no-untyped-call]
            monitor=monitor,
            monitor_features=features,
            engine=MockEngine(None),
            project=project,
            stack=stack,
            dry_run=True,
            organization="organization",
            callbacks=None,
            root_directory=None,
        )
    )


def _run_program(program_dir: Path) -> None:
    entry = program_dir / "__main__.py"
    if not entry.is_file():
        raise HarnessError(f"{program_dir}: no __main__.py, the program Pulumi.yaml points at")

    def program() -> None:
        runpy.run_path(str(entry), run_name="__main__")

    # The Pulumi CLI runs the program from its `main` directory; relative paths (the chart's) resolve
    # the same way here as under `pulumi up`.
    previous = os.getcwd()
    os.chdir(program_dir)
    try:
        _sync_await(run_in_stack(program))
    finally:
        os.chdir(previous)


def run_stack(stack: str, *, project_dir: Path, monitor: RecordingMonitor | None = None) -> StackRun:
    """Run the program of the project at `project_dir` for `stack` and record what it registers.

    `monitor` answers the registrations (default: a RecordingMonitor over PlausibleMocks).

    Raises UnknownStackError when `Pulumi.<stack>.yaml` does not exist, StackConfigError when the stack
    file or a value in it is wrong (the message names the file and the key), ProgramError when the
    program fails for another reason.
    """
    project_dir = project_dir.resolve()
    project = load_project(project_dir)
    stack_file = load_stack_file(project.name, project_dir, stack)
    monitor = monitor or RecordingMonitor(PlausibleMocks())
    _configure_runtime(project.name, stack, monitor)
    set_all_config(dict(stack_file.wire), list(stack_file.secret_keys))
    try:
        _run_program(project.program_dir)
    except InvalidStackConfigError as exc:
        raise StackConfigError(str(exc)) from exc
    except HarnessError:
        raise
    except RunError as exc:
        raise ProgramError(f"the {stack} stack program stopped: {exc}") from exc
    except Exception as exc:
        raise ProgramError(f"the {stack} stack program failed: {type(exc).__name__}: {exc}") from exc
    finally:
        pulumi_settings.ROOT.set(None)
        set_all_config({}, [])

    stack_urn = monitor.stack_urn()
    outputs: dict[str, Any] = monitor.outputs_by_urn.get(stack_urn, {}) if stack_urn else {}
    return StackRun(
        project=project.name,
        stack=stack,
        program_dir=project.program_dir,
        config=dict(stack_file.values),
        secret_config_keys=stack_file.secret_keys,
        resources=list(monitor.registrations),
        outputs=outputs,
    )
