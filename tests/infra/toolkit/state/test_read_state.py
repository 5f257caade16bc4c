"""Reading Pulumi state: exports and checkpoints (plain or gzipped) become plans; bad input is one line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from infra.toolkit.plan import SECRET, dump_plan
from infra.toolkit.state import read_state_plan
from tests.infra.toolkit.commands.cli_run import run_cli
from tests.infra.toolkit.state.state_docs import (
    EXPORTS,
    backend_path,
    cache_stack,
    checkpoint,
    export,
    stack_urn,
    write_json,
)

AWS_EXPORT = EXPORTS / "aws_cascading_deps_state.json"


def test_a_real_export_reads_as_a_plan_of_its_stack_with_provider_references_and_no_defaults() -> None:
    plan = read_state_plan(str(AWS_EXPORT)).plan

    assert (plan.project, plan.stack) == ("aws-cascading-deps", "test-d67e0b53")
    role = plan.by_urn()["urn:pulumi:test-d67e0b53::aws-cascading-deps::aws:iam/role:Role::lambda-role"]
    # `path`, `maxSessionDuration`, `forceDetachPolicies` were filled in by the provider (`__defaults`).
    assert sorted(role.inputs) == ["assumeRolePolicy", "name"]
    assert (
        role.provider == "urn:pulumi:test-d67e0b53::aws-cascading-deps::pulumi:providers:aws::default_6_83_2"
    )
    assert plan.outputs["kmsKeyId"] == "71cafa2c-cc01-491f-a908-af4b92e3b96b"
    key = plan.by_urn()["urn:pulumi:test-d67e0b53::aws-cascading-deps::aws:kms/key:Key::app-key"]
    assert "tagsAll" not in key.inputs
    assert key.inputs["tags"] == {"Purpose": "drift-testing"}


def test_the_plan_of_a_state_is_stable_json_that_reads_back_as_a_plan(tmp_path: Path) -> None:
    text = dump_plan(read_state_plan(str(AWS_EXPORT)).plan)

    assert text == dump_plan(read_state_plan(str(AWS_EXPORT)).plan)
    assert json.loads(text)["summary"]["resources"] == 9


@pytest.mark.parametrize("gzipped", [False, True])
def test_a_backend_checkpoint_reads_the_same_gzipped_or_not(tmp_path: Path, gzipped: bool) -> None:
    path = write_json(backend_path(tmp_path, gzipped=gzipped), checkpoint(cache_stack()), gzipped=gzipped)
    exported = write_json(tmp_path / "export.json", export(cache_stack()))

    assert dump_plan(read_state_plan(str(path)).plan) == dump_plan(read_state_plan(str(exported)).plan)


def test_a_component_tree_keeps_its_parents_and_options() -> None:
    plan = read_state_plan(str(_write(export(cache_stack())))).plan

    group = next(r for r in plan.resources if r.name == "prod-redis")
    assert group.parent == "urn:pulumi:prod::primetradeai::primetradeai:cache:RedisCache::prod"
    assert group.options.protect
    assert group.options.additional_secret_outputs == ("authToken",)
    assert group.inputs["authToken"] == SECRET
    assert plan.by_urn()[group.parent].custom is False
    assert plan.by_urn()[stack_urn()].parent is None


def test_a_stack_never_deployed_has_only_its_stack_resource(tmp_path: Path) -> None:
    path = write_json(backend_path(tmp_path), checkpoint(None))

    plan = read_state_plan(str(path)).plan

    assert [r.urn for r in plan.resources] == [stack_urn()]


def _write(data: object, name: str = "state.json") -> Path:
    import tempfile

    directory = Path(tempfile.mkdtemp(prefix="state-"))
    return write_json(directory / name, data)


BAD_STATES = [
    ({"version": 4, "deployment": {}}, "a stack export of version 4; this tool reads version 3"),
    ({"version": 1, "checkpoint": {"stack": "prod"}}, "a checkpoint of version 1, from an old Pulumi"),
    (
        {"version": 3, "deployment": {"resources": [{"urn": "x"}]}},
        "deployment.resources[0].type: Field required",
    ),
    (
        {"version": 3, "deployment": {"resources": [{"urn": "not-a-urn", "type": "t"}]}},
        "resources[0].urn is not a Pulumi URN",
    ),
    (
        export([*cache_stack(), *cache_stack(stack="staging")[:1]]),
        "resources of more than one stack (prod of primetradeai, staging of primetradeai)",
    ),
    (
        {
            "version": 3,
            "checkpoint": {
                "stack": "organization/primetradeai/staging",
                "latest": export(cache_stack())["deployment"],
            },
        },
        "a checkpoint of stack organization/primetradeai/staging, but its resources are of stack prod",
    ),
]


@pytest.mark.parametrize(("document", "problem"), BAD_STATES)
def test_a_bad_state_is_one_line_naming_the_file_and_the_problem(
    tmp_path: Path, document: object, problem: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_json(tmp_path / "bad.json", document)

    code, out, err = run_cli(["cost", "--plan", str(path)], capsys)

    assert code == 2
    assert out == ""
    assert err.startswith(f"primetradeai cost: error: {path}: ")
    assert problem in err
    assert err.count("\n") == 1
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (json.dumps(export(cache_stack()))[:300].encode(), "not JSON (line"),
        (b"\x1f\x8b\x08\x00garbage", "gzip data ends early"),
        (b"", "empty file, not JSON"),
    ],
)
def test_truncated_or_non_json_state_is_one_line(
    tmp_path: Path, content: bytes, problem: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "prod.json"
    path.write_bytes(content)

    code, _, err = run_cli(["diff", str(path), str(AWS_EXPORT)], capsys)

    assert code == 2
    assert f"{path}: " in err
    assert problem in err
    assert err.count("\n") == 1


def test_a_truncated_gzip_checkpoint_is_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    whole = write_json(backend_path(tmp_path, gzipped=True), checkpoint(cache_stack()), gzipped=True)
    whole.write_bytes(whole.read_bytes()[:-40])

    code, _, err = run_cli(["policy", "--plan", str(whole)], capsys)

    assert code == 2
    assert err == f"primetradeai policy: error: {whole}: gzip data ends early (a truncated file)\n"


def test_a_checkpoint_at_the_path_of_another_stack_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_json(backend_path(tmp_path, stack="staging"), checkpoint(cache_stack()))

    code, _, err = run_cli(["diff", str(path), str(path)], capsys)

    assert code == 2
    assert err == (
        f"primetradeai diff: error: {path}: holds stack prod of project primetradeai, but its path names"
        " primetradeai/staging\n"
    )


def test_a_checkpoint_at_the_path_of_another_project_is_refused(tmp_path: Path) -> None:
    path = write_json(backend_path(tmp_path, project="other"), checkpoint(cache_stack()))

    with pytest.raises(
        Exception, match=r"holds stack prod of project primetradeai, but its path names other/prod"
    ):
        read_state_plan(str(path))
