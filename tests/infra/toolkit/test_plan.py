"""The plan model: stable JSON, and one clear line for a file that is not a plan."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from infra.toolkit.plan import (
    SECRET,
    Plan,
    PlanFormatError,
    Resource,
    ResourceOptions,
    dump_plan,
    load_plan,
    plan_from_data,
)

STACK_URN = "urn:pulumi:prod::primetradeai::pulumi:pulumi:Stack::primetradeai-prod"


def _plan() -> Plan:
    return Plan(
        project="primetradeai",
        stack="prod",
        config={"primetradeai:jwtSecret": SECRET, "primetradeai:replicas": 3},
        resources=(
            Resource(
                urn="urn:pulumi:prod::primetradeai::random:index/randomPassword:RandomPassword::jwt",
                type="random:index/randomPassword:RandomPassword",
                name="jwt",
                custom=True,
                parent=STACK_URN,
                inputs={"length": 48, "special": False},
                options=ResourceOptions(protect=True, ignore_changes=("length",)),
            ),
            Resource(urn=STACK_URN, type="pulumi:pulumi:Stack", name="primetradeai-prod", custom=False),
        ),
        outputs={"apiUrl": "https://api.example.com"},
    )


def test_dumped_plan_reads_back_to_the_same_bytes(tmp_path: Path) -> None:
    path = tmp_path / "prod.json"
    path.write_text(dump_plan(_plan()), encoding="utf-8")

    assert dump_plan(load_plan(path)) == path.read_text(encoding="utf-8")


def test_dumped_plan_is_sorted_indented_and_ends_with_a_newline() -> None:
    text = dump_plan(_plan())
    data = json.loads(text)

    assert text.endswith("}\n")
    assert text == json.dumps(data, indent=2, sort_keys=True) + "\n"
    assert [r["urn"] for r in data["resources"]] == sorted(r["urn"] for r in data["resources"])


def test_plan_json_uses_camel_case_and_counts_resources_per_type() -> None:
    data = json.loads(dump_plan(_plan()))

    options = next(r for r in data["resources"] if r["name"] == "jwt")["options"]
    assert options["ignoreChanges"] == ["length"]
    assert "deleteBeforeReplace" in options
    assert data["summary"] == {
        "resources": 2,
        "byType": {"pulumi:pulumi:Stack": 1, "random:index/randomPassword:RandomPassword": 1},
    }


def test_registration_order_does_not_change_the_output() -> None:
    plan = _plan()
    reversed_plan = plan.model_copy(update={"resources": tuple(reversed(plan.resources))})

    assert dump_plan(Plan.model_validate(reversed_plan.model_dump())) == dump_plan(plan)


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("{not json", "not JSON (line 1"),
        ("[1, 2]", "not a plan: expected a JSON object, found an array"),
        ('{"steps": []}', 'not a plan: "format" is not "primetradeai-plan"'),
        ('{"format": "primetradeai-plan", "version": 7}', "unsupported plan version 7"),
        (
            '{"format": "primetradeai-plan", "version": 1, "project": "p", "stack": "s",'
            ' "resources": [{"urn": "u", "type": "t", "name": "n", "custom": "maybe"}]}',
            "resources[0].custom: Input should be a valid boolean",
        ),
    ],
)
def test_a_file_that_is_not_a_plan_gets_one_line_naming_the_file_and_the_problem(
    tmp_path: Path, content: str, problem: str
) -> None:
    path = tmp_path / "broken.json"
    path.write_text(content, encoding="utf-8")

    with pytest.raises(PlanFormatError) as caught:
        load_plan(path)

    message = str(caught.value)
    assert message.startswith(f"{path}: ")
    assert problem in message
    assert "\n" not in message


def test_a_missing_plan_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(PlanFormatError, match=r"nowhere\.json: no such file"):
        load_plan(tmp_path / "nowhere.json")


def test_two_resources_with_one_urn_are_refused() -> None:
    resource = _plan().resources[0]
    data = json.loads(dump_plan(_plan()))
    data["resources"].append(json.loads(resource.model_dump_json(by_alias=True)))

    with pytest.raises(PlanFormatError, match="duplicate resource URN"):
        plan_from_data(data, "dup.json")


def _resource_with(inputs: object) -> dict[str, object]:
    vpc = "aws:ec2/vpc:Vpc"
    return {"urn": f"{STACK_URN}${vpc}::vpc", "type": vpc, "name": "vpc", "custom": True, "inputs": inputs}


def _plan_data(inputs: object) -> dict[str, object]:
    plan = {"format": "primetradeai-plan", "version": 1, "project": "p", "stack": "prod"}
    return {**plan, "resources": [_resource_with(inputs)]}


def test_a_plan_read_from_json_is_the_plan_full_validation_gives(tmp_path: Path) -> None:
    inputs = {
        "cidrBlock": "10.0.0.0/16",
        "count": 12345678901234567890123,
        "ratio": 0.1,
        "flags": [True, False, None],
        "nested": {"list": [{"a": []}, {}], "unicode": "caf\u00e9 \u2603", "secret": SECRET},
    }
    text = json.dumps(_plan_data(inputs))
    path = tmp_path / "plan.json"
    path.write_text(text, encoding="utf-8")

    read = load_plan(path)

    assert read == plan_from_data(json.loads(text), "plan.json")
    assert read.resources[0].inputs == inputs


@pytest.mark.parametrize("inputs", [["a", "list"], "text", 3])
def test_inputs_that_are_not_an_object_get_the_same_line_read_from_a_file_or_not(
    tmp_path: Path, inputs: object
) -> None:
    data = _plan_data(inputs)
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(data), encoding="utf-8")

    with pytest.raises(PlanFormatError) as from_file:
        load_plan(path)
    with pytest.raises(PlanFormatError) as from_data:
        plan_from_data(data, str(path))

    assert str(from_file.value) == str(from_data.value)
    assert str(from_file.value).startswith(f"{path}: not a valid plan: resources[0].inputs: ")
