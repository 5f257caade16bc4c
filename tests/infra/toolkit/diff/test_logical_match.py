"""`diff --match logical`: two different stacks compared resource by resource, not URN by URN."""

from __future__ import annotations

from pathlib import Path

import pytest

from infra.toolkit.diff.compare import compare
from infra.toolkit.diff.sources import side_from_plan
from infra.toolkit.plan import Plan, Resource
from infra.toolkit.preview.run import preview_stack
from tests.infra.toolkit.conftest import write_project
from tests.infra.toolkit.plans import make_plan, resource

REDIS = "aws:elasticache/replicationGroup:ReplicationGroup"


@pytest.fixture(scope="module")
def staging_and_prod(tmp_path_factory: pytest.TempPathFactory) -> tuple[Plan, Plan]:
    root = tmp_path_factory.mktemp("promotion")
    staging = preview_stack("staging", project_dir=write_project(root / "s", replicas=2, stack="staging"))
    prod = preview_stack("prod", project_dir=write_project(root / "p", replicas=3, stack="prod"))
    return staging.plan, prod.plan


def test_staging_to_prod_shows_the_real_differences_rather_than_a_stack_of_creates(
    staging_and_prod: tuple[Plan, Plan],
) -> None:
    staging, prod = staging_and_prod

    change_set = compare(side_from_plan(staging, "staging.json"), side_from_plan(prod, "prod.json"))
    replicas = {
        (c.name, p.path, p.old, p.new)
        for c in change_set.changes
        for p in c.properties
        if p.path in ("spec.replicas", "values.replicaCount")
    }

    assert change_set.counts["create"] == change_set.counts["delete"] == 0
    assert change_set.counts["same"] > 0
    assert {(path, old, new) for _, path, old, new in replicas} == {
        ("spec.replicas", 2, 3),
        ("values.replicaCount", 2, 3),
    }
    assert any("matched by type and logical path" in note for note in change_set.notes)


def test_matching_by_urn_across_stacks_is_still_available_and_pairs_nothing(
    staging_and_prod: tuple[Plan, Plan],
) -> None:
    staging, prod = staging_and_prod

    change_set = compare(side_from_plan(staging, "s"), side_from_plan(prod, "p"), "urn")

    assert change_set.counts["create"] == len(prod.resources)
    assert change_set.counts["delete"] == len(staging.resources)


def test_the_stack_name_is_generic_only_as_a_whole_word_and_protection_differences_show() -> None:
    staging = make_plan(
        resource(REDIS, "staging-redis", {"nodeType": "cache.t4g.small"}, stack="staging"),
        resource(REDIS, "stagingish", {}, stack="staging"),
        stack="staging",
    )
    prod = make_plan(
        resource(REDIS, "prod-redis", {"nodeType": "cache.r7g.large"}, protect=True),
        resource(REDIS, "prodish", {}),
    )

    change_set = compare(side_from_plan(staging, "s"), side_from_plan(prod, "p"))
    by_name = {(c.op, c.name) for c in change_set.changes}
    (redis,) = [c for c in change_set.changes if c.name == "prod-redis"]

    assert by_name == {("update", "prod-redis"), ("create", "prodish"), ("delete", "stagingish")}
    assert [(p.path, p.old, p.new) for p in redis.properties] == [
        ("nodeType", "cache.t4g.small", "cache.r7g.large")
    ]
    assert [(p.path, p.old, p.new) for p in redis.option_changes] == [("protect", False, True)]


def test_the_command_defaults_to_logical_matching_between_stacks(
    staging_and_prod: tuple[Plan, Plan], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from infra.toolkit.plan import dump_plan
    from tests.infra.toolkit.commands.cli_run import run_cli

    paths = []
    for plan in staging_and_prod:
        path = tmp_path / f"{plan.stack}.json"
        path.write_text(dump_plan(plan), encoding="utf-8")
        paths.append(str(path))

    code, out, _ = run_cli(["diff", *paths, "--fail-on", "create,delete"], capsys)

    assert code == 0
    assert "**0 to create," in out


def test_policy_findings_of_the_same_resource_in_both_stacks_are_not_new(
    staging_and_prod: tuple[Plan, Plan],
) -> None:
    from infra.toolkit.diff.checks import PolicyDelta, policy_delta

    staging, prod = staging_and_prod
    base, head = side_from_plan(staging, "s"), side_from_plan(prod, "p")

    delta = policy_delta(base, head, compare(base, head).paired)

    assert isinstance(delta, PolicyDelta)
    assert delta.head_total > 0
    assert len(delta.new) < delta.head_total


K8S_PROVIDER = "pulumi:providers:kubernetes"
NAMESPACE = "kubernetes:core/v1:Namespace"


def _default(package: str, stack: str, project: str = "primetradeai", version: str = "") -> str:
    return f"urn:pulumi:{stack}::{project}::pulumi:providers:{package}::default{version}"


def _with_provider(plan_resource: Resource, provider: str) -> Resource:
    return plan_resource.model_copy(update={"provider": provider})


def test_default_providers_of_two_stacks_are_the_same_provider_not_an_update() -> None:
    staging = make_plan(
        _with_provider(
            resource(REDIS, "staging-redis", {"a": 1}, stack="staging"), _default("aws", "staging")
        ),
        _with_provider(
            resource(NAMESPACE, "staging-ns", {}, stack="staging"), _default("kubernetes", "staging")
        ),
        stack="staging",
    )
    prod = make_plan(
        _with_provider(resource(REDIS, "prod-redis", {"a": 1}), _default("aws", "prod")),
        _with_provider(resource(NAMESPACE, "prod-ns", {}), _default("kubernetes", "prod")),
    )

    change_set = compare(side_from_plan(staging, "s"), side_from_plan(prod, "p"))

    assert change_set.changes == ()
    assert change_set.counts["same"] == len(prod.resources)


def test_a_provider_the_pairing_matched_is_the_same_one_and_a_different_provider_still_shows() -> None:
    staging_k8s = resource(K8S_PROVIDER, "staging-k8s", {"kubeconfig": "x"}, stack="staging")
    prod_k8s = resource(K8S_PROVIDER, "prod-k8s", {"kubeconfig": "x"})
    other = resource(K8S_PROVIDER, "prod-other", {"kubeconfig": "y"})
    staging = make_plan(
        staging_k8s,
        _with_provider(resource(NAMESPACE, "staging-ns", {}, stack="staging"), staging_k8s.urn),
        _with_provider(resource(NAMESPACE, "staging-apps", {}, stack="staging"), staging_k8s.urn),
        stack="staging",
    )
    prod = make_plan(
        prod_k8s,
        other,
        _with_provider(resource(NAMESPACE, "prod-ns", {}), prod_k8s.urn),
        _with_provider(resource(NAMESPACE, "prod-apps", {}), other.urn),
    )

    change_set = compare(side_from_plan(staging, "s"), side_from_plan(prod, "p"))
    options = {c.name: [(p.path, p.old, p.new) for p in c.option_changes] for c in change_set.changes}

    assert options == {
        "prod-other": [],  # a creation
        "prod-apps": [("provider", staging_k8s.urn, other.urn)],  # as the base named it
    }


def test_a_default_provider_of_another_version_or_package_is_a_provider_change() -> None:
    staging = make_plan(
        _with_provider(
            resource(REDIS, "staging-a", {}, stack="staging"), _default("aws", "staging", version="_7_11_0")
        ),
        _with_provider(
            resource(REDIS, "staging-b", {}, stack="staging"), _default("aws", "staging", "other")
        ),
        _with_provider(resource(REDIS, "staging-c", {}, stack="staging"), _default("aws", "staging")),
        stack="staging",
    )
    prod = make_plan(
        _with_provider(resource(REDIS, "prod-a", {}), _default("aws", "prod", version="_7_12_0")),
        _with_provider(resource(REDIS, "prod-b", {}), _default("aws", "prod")),
        _with_provider(resource(REDIS, "prod-c", {}), _default("random", "prod")),
    )

    change_set = compare(side_from_plan(staging, "s"), side_from_plan(prod, "p"))
    changed = {c.name: [p.path for p in c.option_changes] for c in change_set.changes}

    # another version and another package show; only the project differing (b) does not
    assert changed == {"prod-a": ["provider"], "prod-c": ["provider"]}


def test_within_one_stack_a_provider_reference_compares_as_written() -> None:
    east = "urn:pulumi:prod::primetradeai::pulumi:providers:aws::east"
    base = make_plan(_with_provider(resource(REDIS, "prod-redis", {}), _default("aws", "prod")))
    head = make_plan(_with_provider(resource(REDIS, "prod-redis", {}), east))

    for match in (None, "urn", "logical"):
        change_set = compare(side_from_plan(base, "b"), side_from_plan(head, "h"), match)
        (change,) = change_set.changes
        assert [(p.path, p.old, p.new) for p in change.option_changes] == [
            ("provider", _default("aws", "prod"), east)
        ]
