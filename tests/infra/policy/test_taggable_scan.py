"""The committed table of taggable AWS types is the installed SDK's, and the scan agrees with its classes."""

from __future__ import annotations

import importlib
import json
import warnings
from pathlib import Path

import pytest

from infra.policy import aws_taggable
from infra.policy.taggable_scan import (
    TABLE,
    render_table,
    resource_classes,
    scan_taggable,
    sdk_directory,
    sdk_version,
)

PLANS = Path(__file__).parents[1] / "toolkit" / "commands" / "unchanged"
# A spread of packages: the stacks' own, the top level ("index"), and a keyword-named one (lambda_).
SAMPLED_PACKAGES = ("pulumi_aws.ec2", "pulumi_aws.iam", "pulumi_aws.elasticache", "pulumi_aws.lambda_")


def test_the_table_is_the_one_the_installed_sdk_gives() -> None:
    # On failure: `uv run python infra/policy/taggable_scan.py --write` after upgrading pulumi-aws.
    assert sdk_version() == aws_taggable.PULUMI_AWS_VERSION
    assert TABLE.read_text(encoding="utf-8") == render_table(sdk_version(), scan_taggable())


def _args_take_tags(package: str, class_name: str) -> bool:
    with warnings.catch_warnings():  # the SDK warns about its own deprecated resources on import
        warnings.simplefilter("ignore", DeprecationWarning)
        module = importlib.import_module(package)
    return hasattr(getattr(module, f"{class_name}Args"), "tags")


def _stack_aws_types() -> set[str]:
    found: set[str] = set()
    for name in ("dev.json", "prod.json"):
        plan = json.loads((PLANS / name).read_text(encoding="utf-8"))
        found |= {r["type"] for r in plan["resources"] if r["type"].startswith("aws:")}
    return found


def test_the_scan_agrees_with_the_sdk_classes_for_the_stacks_types_and_whole_packages() -> None:
    classes = {token: (package, name) for token, package, name in resource_classes(sdk_directory())}
    stack_types = _stack_aws_types()
    sampled = {t for t, (package, _) in classes.items() if package in SAMPLED_PACKAGES} | {
        t for t, (package, _) in classes.items() if package == "pulumi_aws"
    }
    assert stack_types <= classes.keys()
    assert len(sampled) > 150
    table = aws_taggable.TAGGABLE_AWS_TYPES
    disagreements = [t for t in sorted(stack_types | sampled) if (t in table) != _args_take_tags(*classes[t])]
    assert disagreements == []
    assert {"aws:ec2/vpc:Vpc", "aws:lambda/function:Function"} <= table
    assert "aws:ec2/routeTableAssociation:RouteTableAssociation" not in table


def test_the_table_is_rewritten_by_its_command(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from infra.policy import taggable_scan

    target = tmp_path / "aws_taggable.py"
    monkeypatch.setattr(taggable_scan, "TABLE", target)

    assert taggable_scan.main(["--write"]) == 0
    assert target.read_text(encoding="utf-8") == TABLE.read_text(encoding="utf-8")
    assert taggable_scan.main(["--bogus"]) == 2
