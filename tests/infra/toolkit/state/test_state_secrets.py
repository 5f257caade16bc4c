"""Secrets in state are compared only by digest and never appear in any output, in either form."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from infra.toolkit.plan import dump_plan
from infra.toolkit.state import read_state_plan
from tests.infra.toolkit.commands.cli_run import run_cli
from tests.infra.toolkit.state.state_docs import (
    PLANTED_CIPHERTEXT,
    PLANTED_PLAINTEXT,
    cache_stack,
    ciphertext,
    export,
    plaintext,
    urn,
    write_json,
)

PLANTED = (PLANTED_CIPHERTEXT, PLANTED_PLAINTEXT, "Ciphertext+aWQ0", "Plaintext-Password")


def _json(base: Path, head: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    code, out, err = run_cli(["diff", str(base), str(head), "--format", "json"], capsys)
    assert code == 0, err
    report: dict[str, Any] = json.loads(out)
    return report


def test_equal_ciphertext_is_an_unchanged_secret(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write_json(tmp_path / "prod.json", export(cache_stack(secret=ciphertext())))

    report = _json(path, path, capsys)

    assert report["changes"] == []
    assert report["secretsMayChange"] == []


def test_different_ciphertext_may_hide_the_same_value_so_it_may_change(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base = write_json(tmp_path / "a.json", export(cache_stack(secret=ciphertext())))
    head = write_json(tmp_path / "b.json", export(cache_stack(secret=ciphertext("v1:another+salt=="))))

    report = _json(base, head, capsys)

    assert report["changes"] == []
    cache = "primetradeai:cache:RedisCache"
    group = urn(f"{cache}$aws:elasticache/replicationGroup:ReplicationGroup", "prod-redis")
    parameter = urn(f"{cache}$aws:ssm/parameter:Parameter", "prod-redis-token")
    assert report["secretsMayChange"] == [
        {"urn": group, "path": "authToken"},
        {"urn": parameter, "path": "value"},
    ]


def test_two_plaintexts_that_differ_are_a_change_shown_only_as_secret(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base = write_json(tmp_path / "a.json", export(cache_stack(secret=plaintext())))
    head = write_json(tmp_path / "b.json", export(cache_stack(secret=plaintext("rotated-Value-0042"))))

    report = _json(base, head, capsys)

    assert [(c["name"], c["op"]) for c in report["changes"]] == [
        ("prod-redis", "update"),
        ("prod-redis-token", "update"),
    ]
    assert report["changes"][1]["properties"] == [
        {"path": "value", "kind": "update", "old": "[secret]", "new": "[secret]", "forcesReplacement": False}
    ]


def test_a_secret_against_a_plan_may_change(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write_json(tmp_path / "prod.json", export(cache_stack(secret=plaintext())))
    plan = write_json(tmp_path / "plan.json", json.loads(dump_plan(read_state_plan(str(path)).plan)))

    report = _json(path, plan, capsys)

    assert [entry["path"] for entry in report["secretsMayChange"]] == ["authToken", "value"]


@pytest.mark.parametrize("form", ["ciphertext", "plaintext"])
def test_no_planted_secret_reaches_any_output(
    tmp_path: Path, form: str, capsys: pytest.CaptureFixture[str]
) -> None:
    secret = ciphertext() if form == "ciphertext" else plaintext()
    base = write_json(tmp_path / "a.json", export(cache_stack(secret=secret, node_type="cache.t4g.small")))
    changed = (
        plaintext("another-Planted-Secret-91ab") if form == "plaintext" else ciphertext("v1:other/Cipher==")
    )
    head = write_json(tmp_path / "b.json", export(cache_stack(secret=changed, node_type="cache.r7g.large")))
    written = tmp_path / "out"
    seen: list[str] = []
    for args in (
        ["diff", str(base), str(head)],
        ["diff", str(base), str(head), "--format", "json"],
        ["diff", str(base), str(head), "--out", str(written / "diff.md")],
        ["diff", str(base), str(head), "--format", "json", "--out", str(written / "diff.json")],
        ["cost", "--plan", str(base)],
        ["cost", "--plan", str(base), "--format", "json"],
        ["cost", "--plan", str(head), "--format", "markdown"],
        ["policy", "--plan", str(head)],
        ["policy", "--plan", str(head), "--format", "json"],
    ):
        code, out, err = run_cli(args, capsys)
        assert code in (0, 1), err
        seen.extend((out, err))
    seen.extend(path.read_text() for path in written.iterdir())

    everything = "\n".join(seen)
    assert "authToken" in everything  # the diff did list the secret that changes or may change
    for text in (*PLANTED, "another-Planted-Secret-91ab", "v1:other/Cipher=="):
        assert text not in everything
