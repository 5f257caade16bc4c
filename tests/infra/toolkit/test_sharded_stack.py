"""A sharded stack previews offline: the shard key is a create, and its connection string is nowhere."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console

from infra.harness import mocks
from infra.toolkit.commands.tree import print_plan
from infra.toolkit.cost.estimator import estimate
from infra.toolkit.diff.compare import compare
from infra.toolkit.diff.sources import side_from_plan
from infra.toolkit.plan import SECRET
from infra.toolkit.preview.run import PreviewResult, preview_stack
from tests.stacks.variants import scratch_project

pytestmark = [pytest.mark.slow, pytest.mark.filterwarnings("ignore::DeprecationWarning")]

PLANTED = "Planted-Sharding-Password-71d0be4c"
SHARD_KEY = "pulumi-python:dynamic:Resource"


def _sharded(config: dict[str, Any]) -> None:
    config["primetradeai:database"].update({"topology": "sharded", "shards": 2, "instanceSize": "M30"})


@pytest.fixture(scope="module")
def planted_mocks() -> Iterator[None]:
    """Every generated password is the planted text, the sharding user's included."""

    def planted(name: str, inputs: dict[str, Any]) -> dict[str, Any]:
        return {"result": PLANTED, "bcryptHash": "$2a$10$planted"}

    with pytest.MonkeyPatch.context() as patch:
        patch.setitem(mocks._OUTPUTS, "random:index/randomPassword:RandomPassword", planted)
        yield


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("project")
    scratch_project(directory, "replicaset", lambda config: None)
    return scratch_project(directory, "sharded", _sharded)


@pytest.fixture(scope="module")
def sharded(planted_mocks: None, project: Path) -> PreviewResult:
    return preview_stack("sharded", project_dir=project)


def test_the_shard_key_is_in_the_plan_with_its_real_type_and_no_secret(sharded: PreviewResult) -> None:
    (shard_key,) = [r for r in sharded.plan.resources if r.type == SHARD_KEY]
    console = Console(file=io.StringIO(), width=200)
    print_plan(sharded.plan, console)

    assert shard_key.custom
    database = "primetradeai:database:AtlasDatabase"
    assert shard_key.urn == f"urn:pulumi:sharded::primetradeai::{database}${SHARD_KEY}::taskapi-shard-key"
    assert shard_key.inputs["connectionString"] == SECRET
    assert shard_key.inputs["__provider"] == SECRET
    assert sharded.plan.outputs["shardedCollection"] == "taskmanager.tasks"
    assert PLANTED not in sharded.json
    assert "taskapi-sharding:" not in sharded.json
    assert PLANTED not in console.file.getvalue()  # type: ignore[attr-defined]


def test_sharding_a_replica_set_stack_shows_the_shard_key_as_a_create(
    sharded: PreviewResult, project: Path
) -> None:
    replica_set = preview_stack("replicaset", project_dir=project)

    changes = compare(side_from_plan(replica_set.plan, "replicaset"), side_from_plan(sharded.plan, "sharded"))

    (shard_key,) = [c for c in changes.changes if c.type == SHARD_KEY]
    assert shard_key.op == "create"
    assert PLANTED not in repr(changes)


def test_the_shard_key_is_free_and_every_resource_of_the_sharded_stack_is_priced(
    sharded: PreviewResult,
) -> None:
    report = estimate(sharded.plan)
    assert report.unpriced == ()
