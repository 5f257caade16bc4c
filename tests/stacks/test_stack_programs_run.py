"""Every stack's program runs to completion offline and exports what operators look for."""

from __future__ import annotations

import re

from infra.harness import StackRun
from infra.pulumi_wire import UNKNOWN, is_secret
from tests.stacks.audit import app_release

COMPONENT_TYPE = re.compile(r"^primetradeai:[a-z]+:[A-Z][A-Za-z]+$")


def test_the_program_registers_every_component(run: StackRun) -> None:
    components = {r.type for r in run.resources if r.type.startswith("primetradeai:")}
    assert components == {
        "primetradeai:network:Network",
        "primetradeai:cluster:Cluster",
        "primetradeai:cache:RedisCache",
        "primetradeai:database:AtlasDatabase",
        "primetradeai:secrets:AppSecrets",
        "primetradeai:app:TaskApi",
        "primetradeai:edge:Edge",
        "primetradeai:observability:Observability",
        # Prod's Atlas data is encrypted under the stack's own key (database.customerManagedKey).
        *(["primetradeai:database:AtlasEncryption"] if run.stack == "prod" else []),
    }
    assert all(COMPONENT_TYPE.match(t) for t in components)


def test_the_four_outputs_are_exported(run: StackRun) -> None:
    assert {"apiUrl", "redisEndpoint", "atlasConnectionString", "clusterName"} <= set(run.outputs)
    assert run.outputs["apiUrl"].startswith("https://api.")
    assert run.outputs["redisEndpoint"].endswith(".cache.amazonaws.com")
    assert run.outputs["clusterName"] == f"{run.stack}-eks"


def test_every_resource_sits_under_a_component(run: StackRun) -> None:
    stack_urn = run.resources[0].urn
    components = {r.urn: r for r in run.resources if r.type.startswith("primetradeai:")}
    for resource in run.resources[1:]:
        if resource.type.startswith("primetradeai:") and resource.parent != stack_urn:
            # A part of a component (the database's customer key) is a component inside it, named after it.
            assert resource.parent in components, (
                f"{resource.urn} is neither top-level nor inside a component"
            )
            assert resource.name.startswith(components[resource.parent].name), resource.name
        elif not resource.type.startswith("primetradeai:"):
            assert resource.parent in components, f"{resource.urn} is not inside a component"
            assert resource.name.startswith(components[resource.parent].name), resource.name


def test_everything_in_the_cluster_goes_through_the_one_explicit_provider(run: StackRun) -> None:
    providers = run.by_type("pulumi:providers:kubernetes")
    assert len(providers) == 1
    in_cluster = [r for r in run.resources if r.type.startswith("kubernetes:")]
    assert in_cluster
    for resource in in_cluster:
        assert resource.provider is not None
        assert resource.provider.startswith(providers[0].urn + "::"), resource.urn


def test_no_input_is_left_unknown_where_a_reviewer_reads_it(run: StackRun) -> None:
    release = app_release(run)
    assert UNKNOWN not in str(release.inputs["values"])
    assert UNKNOWN not in str(run.outputs)


def test_a_replica_set_has_no_shard_key(run: StackRun) -> None:
    assert "shardedCollection" not in run.outputs
    assert run.by_type("pulumi-python:dynamic:Resource") == []
    assert not is_secret(run.outputs["apiUrl"])
