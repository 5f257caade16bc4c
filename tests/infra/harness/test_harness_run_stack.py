"""The harness runs a program under the mock runtime and records what an engine would see."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from infra.harness import (
    HarnessError,
    ProgramError,
    StackConfigError,
    StackRun,
    UnknownStackError,
    run_stack,
)
from infra.pulumi_wire import SECRET_SIG, SIG_KEY, is_secret

SAMPLE = Path(__file__).parent / "sample"


@pytest.fixture(scope="module")
def dev() -> StackRun:
    return run_stack("dev", project_dir=SAMPLE)


def test_the_stack_resource_comes_first_and_has_no_parent(dev: StackRun) -> None:
    first = dev.resources[0]
    assert first.type == "pulumi:pulumi:Stack"
    assert first.name == "sample-dev"
    assert first.parent is None


def test_the_run_names_the_program_directory_pulumi_yaml_points_at(dev: StackRun) -> None:
    # What the preview renders charts from, so it need not read Pulumi.yaml a second time.
    assert dev.program_dir == (SAMPLE / "program").resolve()


def test_children_name_their_component_as_parent(dev: StackRun) -> None:
    vault = dev.one("sample:vault:Vault")
    key = dev.one("aws:kms/key:Key")
    assert vault.parent == dev.resources[0].urn
    assert key.parent == vault.urn
    assert key.urn.endswith("sample:vault:Vault$aws:kms/key:Key::vault-key")
    assert key.custom
    assert not vault.custom


def test_options_and_dependencies_are_recorded(dev: StackRun) -> None:
    password = dev.one("random:index/randomPassword:RandomPassword")
    key = dev.one("aws:kms/key:Key")
    assert password.options.protect is True
    assert key.options.protect is False
    assert key.urn in password.dependencies
    assert password.options.aliases == (
        "urn:pulumi:dev::sample::sample:vault:Vault$random:index/randomPassword:RandomPassword::old-password",
    )
    assert "result" in password.options.additional_secret_outputs


def test_a_secure_config_value_is_a_secret_marked_placeholder(dev: StackRun) -> None:
    token = dev.config["sample:token"]
    assert token[SIG_KEY] == SECRET_SIG
    assert "v1:" not in str(token)
    assert dev.secret_config_keys == ("sample:token",)
    assert is_secret(dev.one("aws:kms/key:Key").inputs["description"])


def test_keys_without_a_namespace_get_the_project_namespace(dev: StackRun) -> None:
    assert dev.config["sample:shape"] == "round"
    assert dev.config["aws:region"] == "eu-west-1"
    assert dev.outputs["shape"] == "round"


def test_a_generated_password_is_exported_as_a_secret(dev: StackRun) -> None:
    assert is_secret(dev.outputs["password"])
    assert not is_secret(dev.outputs["keyArn"])
    assert dev.outputs["keyArn"].startswith("arn:aws:kms:")


def test_runs_repeat_in_one_process_with_the_same_result(dev: StackRun) -> None:
    again = run_stack("dev", project_dir=SAMPLE)
    assert sorted(r.urn for r in again.resources) == sorted(r.urn for r in dev.resources)
    assert again.outputs == dev.outputs


def test_an_unknown_stack_names_the_missing_file() -> None:
    with pytest.raises(UnknownStackError, match=r"Pulumi\.qa\.yaml does not exist"):
        run_stack("qa", project_dir=SAMPLE)


def test_a_stack_name_cannot_escape_the_project() -> None:
    with pytest.raises(UnknownStackError):
        run_stack("../dev", project_dir=SAMPLE)


def test_a_stack_file_that_is_not_yaml_names_the_file() -> None:
    with pytest.raises(StackConfigError, match=r"Pulumi\.broken\.yaml: not valid YAML"):
        run_stack("broken", project_dir=SAMPLE)


def test_a_config_rejected_by_the_program_is_a_stack_config_error() -> None:
    with pytest.raises(StackConfigError, match=r"Pulumi\.invalid\.yaml: sample:size: must be at least 1"):
        run_stack("invalid", project_dir=SAMPLE)


def test_a_failing_program_is_a_program_error_with_the_cause() -> None:
    with pytest.raises(ProgramError, match="ZeroDivisionError") as caught:
        run_stack("crash", project_dir=SAMPLE)
    assert isinstance(caught.value, HarnessError)
    assert isinstance(caught.value.__cause__, ZeroDivisionError)


def test_a_directory_without_a_project_is_a_harness_error(tmp_path: Path) -> None:
    with pytest.raises(HarnessError, match=r"no Pulumi\.yaml"):
        run_stack("dev", project_dir=tmp_path)


def test_a_failed_run_leaves_the_runtime_ready_for_the_next(dev: StackRun) -> None:
    with pytest.raises(ProgramError):
        run_stack("crash", project_dir=SAMPLE)
    with pytest.raises(StackConfigError):
        run_stack("invalid", project_dir=SAMPLE)
    again = run_stack("dev", project_dir=SAMPLE)
    assert again.outputs == dev.outputs
    assert [r.type for r in again.resources].count("pulumi:pulumi:Stack") == 1


def test_the_program_runs_from_its_own_directory_and_the_caller_keeps_its_own(dev: StackRun) -> None:
    before = os.getcwd()
    run = run_stack("dev", project_dir=SAMPLE)
    assert os.getcwd() == before
    assert run.outputs["cwd"] == str((SAMPLE / "program").resolve())


def test_a_run_leaves_no_config_or_root_resource_for_the_next_stack(dev: StackRun) -> None:
    # The next stack in the same process (`preview --stack dev --stack prod`) must start from nothing.
    from infra.pulumi_internals import CONFIG, ROOT

    run_stack("dev", project_dir=SAMPLE)

    assert CONFIG.get() == {}
    assert ROOT.get() is None
