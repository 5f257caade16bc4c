"""`cost --plan STATE` and `policy --plan STATE`: where a deployed stack stands today."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.infra.toolkit.commands.cli_run import run_cli
from tests.infra.toolkit.state.state_docs import backend_path, cache_stack, checkpoint, write_json


def test_cost_prices_the_deployed_stack_from_its_checkpoint(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_json(
        backend_path(tmp_path, gzipped=True),
        checkpoint(cache_stack(node_type="cache.r7g.large")),
        gzipped=True,
    )

    code, out, err = run_cli(["cost", "--plan", str(path), "--format", "json"], capsys)

    assert code == 0, err
    report = json.loads(out)
    priced = {line["urn"].rsplit("::", 1)[-1]: line for line in report["resources"]}
    assert "2 x cache.r7g.large" in priced["prod-redis"]["basis"]
    assert priced["prod-redis-key"]["monthly"] == 1.0


def test_policy_finds_what_the_deployed_stack_violates(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    resources = cache_stack()
    resources[4]["inputs"]["atRestEncryptionEnabled"] = False
    path = write_json(tmp_path / "prod.json", checkpoint(resources))

    code, out, err = run_cli(["policy", "--plan", str(path), "--format", "json"], capsys)

    assert code == 1, err
    found = {(v["policy"], v["urn"].rsplit("::", 1)[-1]) for v in json.loads(out)["violations"]}
    assert ("elasticache-encryption", "prod-redis") in found
