"""The README's main job: previews of the real stacks, and their diff, with a planted secret nowhere."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from typing import Any

import pytest
from rich.console import Console

from infra.harness import mocks
from infra.toolkit.commands.tree import print_plan
from infra.toolkit.diff.checks import cost_delta, policy_delta
from infra.toolkit.diff.compare import compare
from infra.toolkit.diff.markdown import GITHUB_COMMENT_LIMIT, render_comment
from infra.toolkit.diff.replace_rules import known_type
from infra.toolkit.diff.report import diff_report, dump_report
from infra.toolkit.diff.sources import side_from_plan
from infra.toolkit.preview.run import PreviewResult, preview_stack
from tests.infra.toolkit.conftest import REPOSITORY

# Each stack run imports the provider SDKs' modules, some of which warn about their own deprecations.
pytestmark = [pytest.mark.slow, pytest.mark.filterwarnings("ignore::DeprecationWarning")]

PLANTED = "Planted-Mock-Password-3c1d9e77b2"
PASSWORD = "random:index/randomPassword:RandomPassword"


@pytest.fixture(scope="module")
def planted_mocks() -> Iterator[None]:
    """Every generated password is the planted text, so it flows wherever the program sends one."""

    def planted(name: str, inputs: dict[str, Any]) -> dict[str, Any]:
        return {"result": PLANTED, "bcryptHash": "$2a$10$planted"}

    with pytest.MonkeyPatch.context() as patch:
        patch.setitem(mocks._OUTPUTS, PASSWORD, planted)
        yield


@pytest.fixture(scope="module")
def prod(planted_mocks: None) -> PreviewResult:
    return preview_stack("prod", project_dir=REPOSITORY)


@pytest.fixture(scope="module")
def staging(planted_mocks: None) -> PreviewResult:
    return preview_stack("staging", project_dir=REPOSITORY)


def _no_secret_in(text: str) -> None:
    assert PLANTED not in text
    assert "offline-placeholder-for-" not in text  # what the harness gives for `secure:` config values


def test_the_prod_preview_renders_the_api_chart_under_its_release(prod: PreviewResult) -> None:
    releases = [r for r in prod.plan.resources if r.type == "kubernetes:helm.sh/v3:Release"]
    rendered = [r for r in prod.plan.resources if r.rendered]

    assert releases
    assert any(r.type == "kubernetes:apps/v1:Deployment" for r in rendered)
    assert {r.parent for r in rendered} <= {r.urn for r in releases}
    assert "pulumi:pulumi:Stack$" not in prod.json
    assert any("ingress-nginx is not in this repository" in note for note in prod.notes)


def test_the_prod_preview_shows_no_secret_in_the_plan_or_the_tree(prod: PreviewResult) -> None:
    console = Console(file=io.StringIO(), width=200)
    print_plan(prod.plan, console)

    _no_secret_in(prod.json)
    _no_secret_in(console.file.getvalue())  # type: ignore[attr-defined]


def test_the_dev_stack_previews_too(planted_mocks: None) -> None:
    dev = preview_stack("dev", project_dir=REPOSITORY)

    assert any(r.rendered and r.type == "kubernetes:apps/v1:Deployment" for r in dev.plan.resources)
    _no_secret_in(dev.json)


def test_the_replace_on_change_table_knows_every_type_the_stacks_use(
    prod: PreviewResult, staging: PreviewResult
) -> None:
    used = {r.type for plan in (prod.plan, staging.plan) for r in plan.resources if r.custom}

    assert sorted(t for t in used if not known_type(t)) == []


def test_the_prod_preview_is_byte_identical_when_run_again(prod: PreviewResult) -> None:
    assert preview_stack("prod", project_dir=REPOSITORY).json == prod.json


def test_staging_against_prod_diffs_with_policy_and_cost_and_no_secret(
    prod: PreviewResult, staging: PreviewResult
) -> None:
    base, head = side_from_plan(staging.plan, "staging.json"), side_from_plan(prod.plan, "prod.json")
    change_set = compare(base, head)
    policy, cost = policy_delta(base, head, change_set.paired), cost_delta(base, head, change_set.paired)

    comment = render_comment(change_set, policy, cost)
    report = dump_report(diff_report(change_set, policy, cost))

    assert len(comment) <= GITHUB_COMMENT_LIMIT
    assert json.loads(report)["policy"]["evaluated"] is True
    assert json.loads(report)["cost"]["evaluated"] is True
    _no_secret_in(comment)
    _no_secret_in(report)
