"""The offline preview turns a mock-runtime run into a plan in the real engine's terms."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from infra.harness import run_stack
from infra.toolkit.plan import SECRET, UNKNOWN, Plan, Resource, dump_plan
from infra.toolkit.preview.build import build_plan
from infra.toolkit.preview.rendered import RenderedChart, render_release_children
from infra.toolkit.preview.run import PreviewResult, preview_stack
from tests.infra.toolkit.conftest import PLANTED_SECRET, write_project

STACK_URN = "urn:pulumi:prod::primetradeai::pulumi:pulumi:Stack::primetradeai-prod"


def _one(plan: Plan, type_token: str, *, custom: bool | None = None) -> Resource:
    found = [r for r in plan.resources if r.type == type_token and (custom is None or r.custom == custom)]
    assert len(found) == 1, [r.urn for r in found]
    return found[0]


def test_urns_carry_the_whole_parent_type_chain_without_the_stack(sample_plan: Plan) -> None:
    group = _one(sample_plan, "aws:elasticache/replicationGroup:ReplicationGroup")

    assert group.urn == (
        "urn:pulumi:prod::primetradeai::primetradeai:platform:Platform$primetradeai:cache:RedisCache"
        "$aws:elasticache/replicationGroup:ReplicationGroup::prod-redis"
    )
    assert group.parent == (
        "urn:pulumi:prod::primetradeai::primetradeai:platform:Platform$primetradeai:cache:RedisCache::prod-redis"
    )


def test_no_urn_keeps_the_mock_runtimes_stack_prefix(sample_preview: PreviewResult) -> None:
    assert "pulumi:pulumi:Stack$" not in sample_preview.json


def test_the_stack_resource_is_the_root_and_parents_top_level_resources(sample_plan: Plan) -> None:
    stack = _one(sample_plan, "pulumi:pulumi:Stack")
    platform = _one(sample_plan, "primetradeai:platform:Platform")

    assert stack.urn == STACK_URN
    assert stack.parent is None
    assert platform.parent == STACK_URN


def test_dependencies_and_property_dependencies_use_real_urns(sample_plan: Plan) -> None:
    group = _one(sample_plan, "aws:elasticache/replicationGroup:ReplicationGroup")
    subnets = _one(sample_plan, "aws:elasticache/subnetGroup:SubnetGroup")

    assert subnets.urn in group.dependencies
    assert group.property_dependencies["subnetGroupName"] == (subnets.urn,)


def test_secrets_become_the_secret_placeholder_and_unknowns_the_unknown_one(sample_plan: Plan) -> None:
    group = _one(sample_plan, "aws:elasticache/replicationGroup:ReplicationGroup")

    parameter = _one(sample_plan, "aws:ssm/parameter:Parameter")

    assert group.inputs["authToken"] == SECRET
    assert parameter.inputs["description"] == UNKNOWN
    assert sample_plan.config["primetradeai:redisPassword"] == SECRET
    assert sample_plan.config["primetradeai:apiToken"] == SECRET
    assert sample_plan.outputs["redisUrl"] == SECRET
    assert sample_plan.outputs["jwtSecret"] == SECRET


def test_whole_numbers_are_integers_again(sample_preview: PreviewResult) -> None:
    group = _one(sample_preview.plan, "aws:elasticache/replicationGroup:ReplicationGroup")

    assert group.inputs["numCacheClusters"] == 2
    assert isinstance(group.inputs["port"], int)
    assert '"numCacheClusters": 2,' in sample_preview.json
    assert sample_preview.plan.outputs["replicas"] == 3


def test_options_are_kept_and_aliases_use_real_urns(sample_plan: Plan) -> None:
    group = _one(sample_plan, "aws:elasticache/replicationGroup:ReplicationGroup")
    password = _one(sample_plan, "random:index/randomPassword:RandomPassword")

    assert group.options.protect is True
    assert password.options.aliases == (
        "urn:pulumi:prod::primetradeai::random:index/randomPassword:RandomPassword::jwt",
    )
    assert "result" in password.options.additional_secret_outputs


def test_resources_name_their_provider(sample_plan: Plan) -> None:
    group = _one(sample_plan, "aws:elasticache/replicationGroup:ReplicationGroup")
    namespace = _one(sample_plan, "kubernetes:core/v1:Namespace")

    assert group.provider == "urn:pulumi:prod::primetradeai::pulumi:providers:aws::default"
    assert namespace.provider == "urn:pulumi:prod::primetradeai::pulumi:providers:kubernetes::cluster"


def test_the_helm_chart_is_rendered_into_its_children(sample_plan: Plan) -> None:
    chart = _one(sample_plan, "kubernetes:helm.sh/v4:Chart")
    children = {r.type: r for r in sample_plan.children_of(chart.urn)}
    deployment = children["kubernetes:apps/v1:Deployment"]

    assert {"kubernetes:core/v1:Service", "kubernetes:core/v1:ConfigMap"} <= set(children)
    assert all(child.rendered for child in children.values())
    assert deployment.name == "taskapi/taskapi"
    assert deployment.urn.endswith(
        "kubernetes:helm.sh/v4:Chart$kubernetes:apps/v1:Deployment::taskapi/taskapi"
    )
    assert deployment.provider == chart.provider
    spec = deployment.inputs["spec"]
    assert isinstance(spec, dict)
    assert spec["replicas"] == 3
    assert deployment.inputs["metadata"]["namespace"] == "taskapi"  # type: ignore[index,call-overload]


def test_the_summary_counts_resources_per_type(sample_plan: Plan) -> None:
    assert sample_plan.summary.resources == len(sample_plan.resources)
    assert sample_plan.summary.by_type["kubernetes:helm.sh/v4:Chart"] == 1


def test_the_planted_secret_is_nowhere_in_the_plan(sample_preview: PreviewResult) -> None:
    assert PLANTED_SECRET not in sample_preview.json
    assert "v1:AAAABBBBCCCC" not in sample_preview.json


def test_the_same_program_and_config_give_byte_identical_plans(
    sample_preview: PreviewResult, tmp_path: Path
) -> None:
    again = preview_stack("prod", project_dir=write_project(tmp_path / "again"))

    assert again.json == sample_preview.json
    assert json.loads(again.json)["summary"]["resources"] == sample_preview.plan.summary.resources


def test_the_chart_is_rendered_from_values_whose_secrets_are_already_hidden(project_dir: Path) -> None:
    seen: list[str] = []

    def recording_render(release: Resource, search_dirs: tuple[Path, ...]) -> RenderedChart:
        seen.append(json.dumps(release.inputs))
        return render_release_children(release, search_dirs)

    run = run_stack("prod", project_dir=project_dir)
    plan = build_plan(run, chart_dirs=(project_dir / "program", project_dir), render=recording_render)
    deployment = _one(plan, "kubernetes:apps/v1:Deployment")
    manifest: Any = deployment.inputs
    pod_metadata = manifest["spec"]["template"]["metadata"]

    assert len(seen) == 1
    assert PLANTED_SECRET not in seen[0]
    assert pod_metadata["annotations"]["cache-auth"] == SECRET
    assert pod_metadata["annotations"]["cache-token"] == SECRET
    # Only the secrets: the rest of the values, and what the chart makes of them, stay readable.
    assert manifest["spec"]["template"]["spec"]["containers"][0]["image"].startswith(
        "ghcr.io/primetradeai/taskapi"
    )
    assert PLANTED_SECRET not in dump_plan(plan)
