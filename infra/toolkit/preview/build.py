"""Turn one run of the stack program under the mock runtime into a plan, in the real engine's terms."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from pydantic import JsonValue

from infra.harness.records import RegisteredResource, StackRun
from infra.toolkit.plan import Plan, Resource, ResourceOptions
from infra.toolkit.preview.rendered import RenderedChart, render_release_children
from infra.toolkit.preview.scrub import SecretScrubber
from infra.toolkit.urns import STACK_TYPE, RealUrns, default_provider_urn, provider_urn
from infra.toolkit.values import plan_value, redact_named


class _UrnMap(RealUrns):
    """Real URNs of one run's registrations."""

    def __init__(self, run: StackRun) -> None:
        super().__init__(run.stack, run.project)

    def add_resource(self, resource: RegisteredResource) -> str:
        return self.add(resource.type, resource.name, resource.parent, resource.urn)


def _provider(resource: RegisteredResource, run: StackRun, urns: _UrnMap) -> str | None:
    if resource.provider:
        return urns(provider_urn(resource.provider))
    if resource.custom and not resource.type.startswith("pulumi:providers:"):
        return default_provider_urn(run.stack, run.project, resource.type)
    return None


def _options(resource: RegisteredResource, urns: _UrnMap) -> ResourceOptions:
    given = resource.options
    return ResourceOptions(
        protect=given.protect,
        delete_before_replace=given.delete_before_replace,
        retain_on_delete=given.retain_on_delete,
        ignore_changes=given.ignore_changes,
        replace_on_changes=given.replace_on_changes,
        additional_secret_outputs=given.additional_secret_outputs,
        aliases=urns.all(given.aliases),
    )


def _inputs(resource: RegisteredResource, urns: _UrnMap) -> dict[str, JsonValue]:
    values = {key: plan_value(value, urns) for key, value in resource.inputs.items()}
    return redact_named(values, resource.options.additional_secret_outputs)


def _resource(resource: RegisteredResource, run: StackRun, urns: _UrnMap) -> Resource:
    urn = urns.add_resource(resource)
    is_stack = resource.type == STACK_TYPE
    return Resource(
        urn=urn,
        type=resource.type,
        name=resource.name,
        custom=resource.custom,
        parent=None if is_stack else urns(resource.parent) if resource.parent else urns.stack_urn,
        provider=_provider(resource, run, urns),
        dependencies=urns.sorted(resource.dependencies),
        property_dependencies={
            key: urns.sorted(deps) for key, deps in resource.property_dependencies.items()
        },
        options=_options(resource, urns),
        inputs=_inputs(resource, urns),
    )


def _stack_resource(run: StackRun, urns: _UrnMap) -> Resource:
    return Resource(urn=urns.stack_urn, type=STACK_TYPE, name=f"{run.project}-{run.stack}", custom=False)


def build_plan(
    run: StackRun,
    *,
    chart_dirs: tuple[Path, ...],
    render: Callable[[Resource, tuple[Path, ...]], RenderedChart] = render_release_children,
) -> Plan:
    """The plan of one stack run; Helm releases get their charts rendered from `chart_dirs` as children."""
    urns = _UrnMap(run)
    scrub = SecretScrubber.from_run(run)
    # Scrubbed before rendering: a chart may encode a value (b64enc, sha256sum) past the scrubber's reach.
    resources = [scrub.resource(_resource(resource, run, urns)) for resource in run.resources]
    if not any(r.type == STACK_TYPE for r in resources):
        resources.insert(0, _stack_resource(run, urns))
    for release in [r for r in resources if r.type in RenderedChart.RELEASE_TYPES]:
        resources.extend(render(release, chart_dirs).children)

    return Plan(
        project=run.project,
        stack=run.stack,
        config=scrub.mapping({key: plan_value(value) for key, value in run.config.items()}),
        resources=tuple(scrub.resource(resource) for resource in resources),
        outputs=scrub.mapping({key: plan_value(value, urns) for key, value in run.outputs.items()}),
    )
