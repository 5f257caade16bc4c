"""Preview one stack end to end: run it under the mock runtime, build the plan, serialise it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from infra.toolkit.errors import ToolkitError
from infra.toolkit.plan import Plan, dump_plan
from infra.toolkit.progress import Progress

if TYPE_CHECKING:
    from infra.harness.monitor import RecordingMonitor


@dataclass(frozen=True)
class PreviewResult:
    """A plan, its stable JSON text, and what the reader should know about it."""

    plan: Plan
    json: str
    notes: tuple[str, ...] = ()


def unrendered_charts(plan: Plan) -> tuple[str, ...]:
    """A note for each Helm chart resource whose chart could not be rendered offline."""
    from infra.toolkit.preview.rendered import RenderedChart

    notes = []
    for release in plan.resources:
        if release.type in RenderedChart.RELEASE_TYPES and not plan.children_of(release.urn):
            chart = release.inputs.get("chart")
            notes.append(
                f"{release.name}: chart {chart if isinstance(chart, str) else '(unnamed)'} is not in this"
                " repository, so its objects are not rendered offline"
            )
    return tuple(notes)


def preview_stack(
    stack: str,
    *,
    project_dir: Path,
    monitor: RecordingMonitor | None = None,
    progress: Progress | None = None,
) -> PreviewResult:
    """Run `stack` of the project at `project_dir`; bad stacks and configs become a ToolkitError.

    `monitor` answers the program's registrations (default: the harness's plausible mocks); `progress`
    reports each phase, with the count of resources registered so far (default: nothing).
    """
    from infra.harness import HarnessError, run_stack
    from infra.harness.mocks import PlausibleMocks
    from infra.harness.monitor import RecordingMonitor
    from infra.toolkit.preview.build import build_plan

    progress = progress or Progress.off()
    recorder = monitor or RecordingMonitor(PlausibleMocks())

    def registered() -> int:
        return len(recorder.registrations)

    try:
        with progress.phase(f"{stack}: running the program", registered):
            run = run_stack(stack, project_dir=project_dir, monitor=recorder)
    except HarnessError as error:
        raise ToolkitError(_one_line(str(error))) from None
    with progress.phase(f"{stack}: building the plan and rendering charts", registered):
        plan = build_plan(run, chart_dirs=(run.program_dir, project_dir.resolve()))
    return PreviewResult(plan=plan, json=dump_plan(plan), notes=unrendered_charts(plan))


def _one_line(message: str) -> str:
    return " ".join(message.split()) or "the stack program failed"
