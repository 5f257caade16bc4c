"""`diff` with state on either side: what a past update changed, renames, providers, leftovers."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.infra.toolkit.commands.cli_run import run_cli
from tests.infra.toolkit.state.state_docs import (
    EXPORTS,
    backend_path,
    cache_stack,
    checkpoint,
    custom,
    export,
    provider,
    urn,
    write_json,
)

AWS_EXPORT = EXPORTS / "aws_cascading_deps_state.json"
GROUP = urn("primetradeai:cache:RedisCache$aws:elasticache/replicationGroup:ReplicationGroup", "prod-redis")


def _diff_json(base: Path | str, head: Path | str, capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    code, out, err = run_cli(["diff", str(base), str(head), "--format", "json"], capsys)
    assert code == 0, err
    report: dict[str, Any] = json.loads(out)
    return report


@pytest.mark.parametrize(
    ("export_file", "resources"), [(AWS_EXPORT, 9), (EXPORTS / "state_with_deps.json", 5)]
)
def test_a_real_export_diffs_cleanly_against_itself(
    export_file: Path, resources: int, capsys: pytest.CaptureFixture[str]
) -> None:
    report = _diff_json(export_file, export_file, capsys)

    assert report["changes"] == []
    assert report["counts"]["same"] == resources
    assert (report["base"]["kind"], report["head"]["kind"]) == ("state", "state")
    assert report["secretsMayChange"] == []


def test_an_edited_copy_of_a_real_export_shows_the_edit(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    document = json.loads(AWS_EXPORT.read_text())
    for resource in document["deployment"]["resources"]:
        if resource["type"] == "aws:lambda/function:Function":
            resource["inputs"]["memorySize"] = 512
        if resource["type"] == "aws:kms/alias:Alias":
            resource["inputs"]["name"] = "alias/renamed"
    edited = write_json(tmp_path / "edited.json", document)

    report = _diff_json(AWS_EXPORT, edited, capsys)

    changes = {c["name"]: c for c in report["changes"]}
    assert changes["app-handler"]["op"] == "update"
    assert changes["app-handler"]["properties"] == [
        {"path": "memorySize", "kind": "update", "old": 256, "new": 512, "forcesReplacement": False}
    ]
    assert changes["app-key-alias"]["op"] == "replace"
    assert changes["app-key-alias"]["replaceReasons"] == ["name"]


def test_state_before_and_after_an_update_shows_what_it_changed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = write_json(tmp_path / "n-1.json", export(cache_stack(node_type="cache.t4g.small")))
    after = write_json(tmp_path / "n.json", export(cache_stack(node_type="cache.r7g.large")))

    report = _diff_json(before, after, capsys)

    assert [(c["name"], c["op"]) for c in report["changes"]] == [("prod-redis", "update")]
    assert report["protectedTouched"] == [GROUP]
    assert report["cost"]["evaluated"]
    assert report["cost"]["delta"] > 0


def test_an_alias_in_the_newer_state_turns_a_rename_into_an_update(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old_urn = urn("primetradeai:cache:RedisCache$aws:kms/key:Key", "redis-key")
    before_resources = cache_stack()
    before_resources[3] = {**before_resources[3], "urn": old_urn}
    after_resources = cache_stack()
    after_resources[3] = {**after_resources[3], "aliases": [old_urn]}
    before = write_json(tmp_path / "n-1.json", export(before_resources))
    after = write_json(tmp_path / "n.json", export(after_resources))

    report = _diff_json(before, after, capsys)

    assert [(c["name"], c["op"], c["renamedFrom"]) for c in report["changes"]] == [
        ("prod-redis-key", "update", old_urn)
    ]


def test_providers_of_two_versions_show_as_a_provider_change(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = write_json(tmp_path / "n-1.json", export(cache_stack(aws_version="6.83.2")))
    after = write_json(tmp_path / "n.json", export(cache_stack(aws_version="7.11.0")))

    report = _diff_json(before, after, capsys)

    ops = {(c["name"], c["op"]) for c in report["changes"]}
    assert {("default_7_11_0", "create"), ("default_6_83_2", "delete")} <= ops
    group = next(c for c in report["changes"] if c["urn"] == GROUP)
    assert group["optionChanges"] == [
        {
            "option": "provider",
            "old": urn("pulumi:providers:aws", "default_6_83_2"),
            "new": urn("pulumi:providers:aws", "default_7_11_0"),
        }
    ]


def test_a_state_with_two_provider_versions_at_once_reads_both(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    older = provider("aws", "6.83.2")
    pinned = custom("aws:s3/bucket:Bucket", "pinned", {"bucket": "b"}, provider_urn=older["urn"])
    path = write_json(tmp_path / "prod.json", export(cache_stack(extra=[older, pinned])))

    report = _diff_json(path, path, capsys)

    assert report["changes"] == []
    assert report["counts"]["same"] == 8


def test_pending_operations_and_leftovers_are_noted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    resources = cache_stack()
    leftover = {**resources[4], "delete": True, "id": "old-copy"}
    creating = custom("aws:s3/bucket:Bucket", "half-made", {"bucket": "b"}, provider_urn=resources[1]["urn"])
    path = write_json(
        backend_path(tmp_path),
        checkpoint([*resources, leftover], pending_operations=[{"resource": creating, "type": "creating"}]),
    )

    report = _diff_json(path, path, capsys)

    assert report["changes"] == []
    assert f"{path}: the last update did not finish creating {creating['urn']}" in " ".join(report["notes"])
    assert any(f"an old copy of {GROUP} is still to be deleted" in note for note in report["notes"])
