"""Real `pulumi preview --json` captures are read with the engine's own verdicts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from infra.toolkit.diff.checks import cost_delta, policy_delta
from infra.toolkit.diff.compare import compare
from infra.toolkit.diff.markdown import render_comment
from infra.toolkit.diff.model import Side
from infra.toolkit.diff.preview_json import DocumentError
from infra.toolkit.diff.report import diff_report, dump_report
from infra.toolkit.diff.sources import load_side, side_from_plan
from infra.toolkit.plan import SECRET, UNKNOWN
from tests.infra.toolkit.plans import captures_dir, make_plan, resource

REPLACE_CAPTURE = captures_dir() / "small_scale_10_replace.json"
SECRET_CAPTURE = captures_dir() / "aws_secret_input.json"


def test_a_preview_compared_with_itself_gives_the_engines_steps() -> None:
    change_set = compare(load_side(REPLACE_CAPTURE, "base"), load_side(REPLACE_CAPTURE, "head"))

    ops = {change.name: change.op for change in change_set.changes}
    assert ops == {
        "random-str-0": "replace",
        "tls-key-0": "replace",
        "random-str-extra-0": "delete",
        "cmd-3": "create",
        "cmd-0": "update",
    }
    assert change_set.counts == {"create": 1, "update": 1, "replace": 2, "delete": 1, "same": 7}
    assert all(change.source == "engine" for change in change_set.changes)


def test_replace_reasons_come_from_the_engine_and_agree_with_our_table() -> None:
    change_set = compare(load_side(REPLACE_CAPTURE, "base"), load_side(REPLACE_CAPTURE, "head"))
    by_name = {change.name: change for change in change_set.changes}

    assert by_name["random-str-0"].replace_reasons == ("length", "special")
    assert by_name["tls-key-0"].replace_reasons == ("algorithm", "ecdsaCurve")
    assert [(p.path, p.old, p.new, p.forces_replacement) for p in by_name["random-str-0"].properties] == [
        ("length", 32, 16, True),
        ("special", True, False, True),
    ]


def test_detailed_diff_paths_are_the_property_changes_and_secrets_stay_masked() -> None:
    change_set = compare(load_side(SECRET_CAPTURE, "base"), load_side(SECRET_CAPTURE, "head"))
    by_name = {change.name: change for change in change_set.changes}
    properties = {p.path: p for p in by_name["db-password"].properties}

    assert properties["tags.Environment"].old == "staging"
    assert properties["tags.Environment"].new == "production"
    assert properties["value"].old == SECRET
    assert properties["value"].new == SECRET
    assert properties["insecureValue"].kind == "add"


def test_the_unknown_sentinel_reads_as_unknown(tmp_path: Path) -> None:
    capture = json.loads(REPLACE_CAPTURE.read_text(encoding="utf-8"))
    step = next(s for s in capture["steps"] if s["op"] == "create")
    step["newState"]["inputs"]["create"] = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
    path = tmp_path / "preview.json"
    path.write_text(json.dumps(capture), encoding="utf-8")

    head = load_side(path, "head")

    assert head.resources[step["urn"]].inputs["create"] == UNKNOWN


def test_a_plan_against_a_preview_counts_what_the_preview_leaves_out_as_unchanged() -> None:
    base = make_plan(
        resource("random:index/randomString:RandomString", "untouched", {"length": 8}, stack="test-a692d456")
    )
    change_set = compare(side_from_plan(base, "base.json"), load_side(REPLACE_CAPTURE, "head"))

    assert change_set.counts["same"] >= 2  # the untouched resource and the plan's stack
    assert any("count as unchanged" in note for note in change_set.notes)


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ('{"steps": [{"op": "create"}]}', 'steps[0] is not a preview step (no "urn")'),
        ('{"steps": [{"op": "explode", "urn": "urn:x"}]}', "unknown step op 'explode'"),
        ('{"resources": []}', "neither a plan"),
        ("not json at all", "not JSON"),
    ],
)
def test_a_file_that_is_neither_a_plan_nor_a_preview_is_refused_in_one_line(
    tmp_path: Path, content: str, problem: str
) -> None:
    path = tmp_path / "input.json"
    path.write_text(content, encoding="utf-8")

    with pytest.raises(DocumentError) as caught:
        load_side(path, "head")

    assert problem in str(caught.value)
    assert str(caught.value).startswith(str(path))
    assert "\n" not in str(caught.value)


def test_the_engines_errors_and_warnings_become_notes(tmp_path: Path) -> None:
    capture = json.loads(SECRET_CAPTURE.read_text(encoding="utf-8"))
    capture["diagnostics"] = [
        {
            "urn": capture["steps"][1]["urn"],
            "severity": "error",
            "message": "AccessDenied: not allowed\ndetails",
        },
        {"severity": "info", "message": "chatter"},
    ]
    path = tmp_path / "preview.json"
    path.write_text(json.dumps(capture), encoding="utf-8")

    change_set = compare(load_side(path, "base"), load_side(path, "head"))

    assert "The engine reported error (app-config): AccessDenied: not allowed" in change_set.notes
    assert not any("chatter" in note for note in change_set.notes)


def test_the_three_steps_of_a_replacement_merge_into_one_replace(tmp_path: Path) -> None:
    urn = "urn:pulumi:prod::primetradeai::aws:ec2/vpc:Vpc::main"
    old = {"type": "aws:ec2/vpc:Vpc", "inputs": {"cidrBlock": "10.0.0.0/16"}}
    new = {"type": "aws:ec2/vpc:Vpc", "inputs": {"cidrBlock": "10.1.0.0/16"}}
    document = {
        "steps": [
            {"op": "create-replacement", "urn": urn, "oldState": old, "newState": new},
            {
                "op": "replace",
                "urn": urn,
                "oldState": old,
                "newState": new,
                "replaceReasons": ["cidrBlock"],
                "detailedDiff": {"cidrBlock": {"kind": "update-replace", "inputDiff": True}},
            },
            {"op": "delete-replaced", "urn": urn, "oldState": old},
        ]
    }
    path = tmp_path / "preview.json"
    path.write_text(json.dumps(document), encoding="utf-8")

    change_set = compare(load_side(path, "base"), load_side(path, "head"))

    (change,) = change_set.changes
    assert change.op == "replace"
    assert change.replace_reasons == ("cidrBlock",)
    assert [(p.path, p.old, p.new, p.forces_replacement) for p in change.properties] == [
        ("cidrBlock", "10.0.0.0/16", "10.1.0.0/16", True)
    ]
    assert change_set.counts["replace"] == 1


def test_a_secret_output_printed_by_show_secrets_is_hidden_again(tmp_path: Path) -> None:
    planted = "Shown-Secret-Value-8d41c0"
    capture = json.loads(SECRET_CAPTURE.read_text(encoding="utf-8"))
    for step in capture["steps"]:
        for key in ("oldState", "newState"):
            if step.get(key) and "value" in (step[key].get("inputs") or {}):
                step[key]["inputs"]["value"] = f"{planted}-{key}"  # what `--show-secrets` prints
    shown = tmp_path / "shown.json"
    shown.write_text(json.dumps(capture), encoding="utf-8")
    base, head = load_side(shown, "base"), load_side(shown, "head")
    change_set = compare(base, head)
    policy, cost = policy_delta(base, head, change_set.paired), cost_delta(base, head, change_set.paired)

    comment = render_comment(change_set, policy, cost)
    report = dump_report(diff_report(change_set, policy, cost))

    assert planted not in comment + report
    assert "| <code>value</code> | update | <code>[secret]</code> | <code>[secret]</code> |" in comment


def _state_step_document(tmp_path: Path) -> Path:
    """The replace capture with its create turned into an import, plus a read, a refresh and a discard."""
    capture = json.loads(REPLACE_CAPTURE.read_text(encoding="utf-8"))
    steps = capture["steps"]
    (created,) = [step for step in steps if step["op"] == "create"]
    created["op"] = "import"
    (updated,) = [step for step in steps if step["op"] == "update"]
    template = updated["newState"]
    prefix = updated["urn"].rsplit("::", 1)[0]
    for op, name in (("read", "looked-up"), ("refresh", "refreshed"), ("discard", "forgotten")):
        state = {**template, "urn": f"{prefix}::{name}"}
        step = {"op": op, "urn": f"{prefix}::{name}", "oldState": state}
        if op != "discard":
            step["newState"] = state
        steps.append(step)
    # `preview --refresh` refreshes a resource, then updates it: the update is what happens.
    steps.insert(0, {**updated, "op": "refresh", "detailedDiff": None})
    path = tmp_path / "state-steps.json"
    path.write_text(json.dumps(capture), encoding="utf-8")
    return path


def test_import_read_refresh_and_discard_steps_are_shown_as_what_they_are(tmp_path: Path) -> None:
    path = _state_step_document(tmp_path)

    base, head = _sides(path)
    change_set = compare(base, head)
    ops = {change.name: change.op for change in change_set.changes}
    policy, cost = policy_delta(base, head, change_set.paired), cost_delta(base, head, change_set.paired)
    comment = render_comment(change_set, policy, cost)
    report = diff_report(change_set, policy, cost)

    assert ops["cmd-3"] == "import"
    assert (ops["looked-up"], ops["refreshed"], ops["forgotten"]) == ("read", "refresh", "discard")
    assert ops["cmd-0"] == "update"
    assert change_set.counts["create"] == 0
    assert change_set.counts["delete"] == 1
    assert (change_set.counts["import"], change_set.counts["read"], change_set.counts["discard"]) == (1, 1, 1)
    assert "**0 to create" in comment
    assert (
        "State only, no change to the cloud: **1 import**, **1 read**, **1 refresh**, **1 discard**."
        in comment
    )
    assert "| import | <code>cmd-3</code> |" in comment
    assert report["counts"]["import"] == 1


def _sides(path: Path) -> tuple[Side, Side]:
    return load_side(path, "base"), load_side(path, "head")
