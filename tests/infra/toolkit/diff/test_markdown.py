"""The pull-request comment: summary first, risky changes next, details collapsed, always under the limit."""

from __future__ import annotations

import json
from pathlib import Path

from infra.toolkit.diff.checks import CostDelta, CostLine, Finding, PolicyDelta, Unavailable
from infra.toolkit.diff.compare import compare
from infra.toolkit.diff.markdown import GITHUB_COMMENT_LIMIT, marker, render_comment
from infra.toolkit.diff.model import ChangeSet
from infra.toolkit.diff.sources import load_side, side_from_plan
from infra.toolkit.plan import Plan
from tests.infra.toolkit.plans import captures_dir, make_plan, resource

REDIS = "aws:elasticache/replicationGroup:ReplicationGroup"
NOT_RUN = Unavailable("not part of this test")


def _change_set(base: Plan, head: Plan) -> ChangeSet:
    return compare(side_from_plan(base, "base.json"), side_from_plan(head, "head.json"))


def _small() -> ChangeSet:
    base = make_plan(
        resource(REDIS, "cache", {"port": 6379, "nodeType": "cache.t4g.small"}, protect=True),
        resource("aws:ec2/vpc:Vpc", "legacy", {"cidrBlock": "10.9.0.0/16"}),
    )
    head = make_plan(
        resource(REDIS, "cache", {"port": 6380, "nodeType": "cache.t4g.small"}, protect=True),
        resource("aws:ec2/subnet:Subnet", "private-a", {"cidrBlock": "10.0.1.0/24"}),
    )
    return _change_set(base, head)


def test_the_comment_starts_with_the_marker_the_workflow_updates() -> None:
    comment = render_comment(_small(), NOT_RUN, NOT_RUN)

    assert comment.startswith(marker("prod") + "\n")
    assert marker("prod") == "<!-- primetradeai-diff:prod -->"


def test_counts_come_first_then_replacements_and_deletions_with_their_reason() -> None:
    comment = render_comment(_small(), NOT_RUN, NOT_RUN)

    assert "**1 to create, 0 to update, 1 to replace, 1 to delete**" in comment
    assert comment.index("to replace") < comment.index("### Replacements and deletions")
    assert "changing port forces replacement." in comment
    assert "removed from the program" in comment
    assert comment.index("### Replacements and deletions") < comment.index(
        "<details><summary>Property changes"
    )


def test_protected_resources_touched_are_called_out() -> None:
    comment = render_comment(_small(), NOT_RUN, NOT_RUN)

    assert "**1 protected resource would be replaced.**" in comment
    assert "aws:elasticache/replicationGroup:ReplicationGroup::cache" in comment


def test_protected_resources_updated_in_place_are_listed_calmly_outside_the_warning() -> None:
    base = make_plan(
        resource(REDIS, "cache", {"port": 6379, "nodeType": "cache.t4g.small"}, protect=True),
        resource(REDIS, "sessions", {"port": 6379}, protect=True),
    )
    head = make_plan(
        resource(REDIS, "cache", {"port": 6379, "nodeType": "cache.t4g.medium"}, protect=True),
        resource(REDIS, "sessions", {"port": 6380}, protect=True),
    )
    change_set = _change_set(base, head)
    comment = render_comment(change_set, NOT_RUN, NOT_RUN)
    warning = comment[comment.index("> [!WARNING]") : comment.index("### Policy")].split("\n\n")[0]

    assert "**1 protected resource would be replaced.**" in warning
    assert "::sessions" in warning
    assert "::cache" not in warning
    assert "Protected resource updated in place (`protect` allows this): <code>cache</code>." in comment
    assert [c.name for c in change_set.protected_updated] == ["cache"]


def test_updates_alone_of_protected_resources_raise_no_warning() -> None:
    base = make_plan(resource(REDIS, "cache", {"nodeType": "cache.t4g.small"}, protect=True))
    head = make_plan(resource(REDIS, "cache", {"nodeType": "cache.t4g.medium"}, protect=True))

    comment = render_comment(_change_set(base, head), NOT_RUN, NOT_RUN)

    assert "[!WARNING]" not in comment
    assert "refuses" not in comment
    assert "updated in place (`protect` allows this): <code>cache</code>" in comment


def test_a_mermaid_diagram_and_property_details_are_collapsed() -> None:
    comment = render_comment(_small(), NOT_RUN, NOT_RUN)

    assert "<details><summary>Diagram of what changes</summary>" in comment
    assert "```mermaid\nflowchart LR" in comment
    assert "| <code>port</code> | update (replaces) | <code>6379</code> | <code>6380</code> |" in comment


def test_checks_that_do_not_apply_say_why() -> None:
    capture = captures_dir() / "small_scale_10_replace.json"
    from infra.toolkit.diff.checks import cost_delta, policy_delta

    base, head = load_side(capture, "base"), load_side(capture, "head")
    change_set = compare(base, head)
    comment = render_comment(
        change_set, policy_delta(base, head, change_set.paired), cost_delta(base, head, change_set.paired)
    )

    assert (
        "Not evaluated: policy reads plans, and small_scale_10_replace.json is a `pulumi preview --json`"
        in comment
    )
    assert "Not estimated: cost reads plans" in comment


def test_new_policy_violations_and_the_cost_delta_are_in_the_summary() -> None:
    policy = PolicyDelta(
        new=(
            Finding("elasticache-encryption", "mandatory", "urn:pulumi:prod::p::t::cache", "at rest is off"),
        ),
        fixed=2,
        head_total=3,
    )
    cost = CostDelta(
        base_total=200.0,
        head_total=227.5,
        lines=(CostLine("urn:x::cache", 30.0, 57.5),),
        unpriced=("urn:y::dns",),
    )

    comment = render_comment(_small(), policy, cost)

    assert "**1 new mandatory violation**" in comment
    assert (
        "| mandatory | <code>elasticache-encryption</code> | <code>cache (t)</code> | at rest is off |"
        in comment
    )
    assert "**$200.00 → $227.50** (+$27.50 per month)" in comment
    assert "1 resource not priced (dns), not counted as zero" in comment


def test_a_huge_diff_is_trimmed_to_githubs_limit_but_keeps_its_summary() -> None:
    base = make_plan(
        *(
            resource(REDIS, f"cache-{i:05d}", {"port": 6379, "nodeType": "x" * 60}, protect=i % 7 == 0)
            for i in range(3000)
        )
    )
    head = make_plan(
        *(
            resource(REDIS, f"cache-{i:05d}", {"port": 6380, "nodeType": "y" * 60}, protect=i % 7 == 0)
            for i in range(3000)
        )
    )

    comment = render_comment(_change_set(base, head), NOT_RUN, NOT_RUN)

    assert len(comment) <= GITHUB_COMMENT_LIMIT
    assert "**0 to create, 0 to update, 3000 to replace, 0 to delete**" in comment
    assert "**429 protected resources would be replaced.**" in comment
    assert "trimmed to fit the comment" in comment
    assert "### Policy" in comment
    assert "### Cost" in comment


def test_a_diff_that_fits_is_not_trimmed() -> None:
    comment = render_comment(_small(), NOT_RUN, NOT_RUN)

    assert "trimmed" not in comment


def test_resources_to_create_are_listed_in_a_collapsed_section() -> None:
    comment = render_comment(_small(), NOT_RUN, NOT_RUN)

    assert "<details><summary>To create (1)</summary>" in comment
    assert "| <code>private-a</code> | <code>aws:ec2/subnet:Subnet</code> |" in comment


def test_a_huge_new_stack_is_trimmed_to_the_limit_with_its_counts() -> None:
    head = make_plan(
        *(resource("aws:ec2/subnet:Subnet", f"subnet-{i:05d}", {"cidrBlock": "x"}) for i in range(5000))
    )

    comment = render_comment(_change_set(make_plan(), head), NOT_RUN, NOT_RUN)

    assert len(comment) <= GITHUB_COMMENT_LIMIT
    assert "**5000 to create, 0 to update, 0 to replace, 0 to delete**" in comment
    assert "more | trimmed to fit the comment" in comment


def test_hundreds_of_engine_warnings_are_cut_to_a_few_in_the_summary(tmp_path: Path) -> None:
    warnings = [{"severity": "warning", "message": f"deprecated field {i} " + "x" * 250} for i in range(500)]
    capture = json.loads((captures_dir() / "small_scale_10_replace.json").read_text(encoding="utf-8"))
    noisy = tmp_path / "noisy.json"
    noisy.write_text(json.dumps({**capture, "diagnostics": warnings}), encoding="utf-8")
    change_set = compare(load_side(noisy, "base"), load_side(noisy, "head"))

    comment = render_comment(change_set, NOT_RUN, NOT_RUN)

    assert len(comment) <= GITHUB_COMMENT_LIMIT
    # The note that the document is a preview comes first, then the first 19 warnings.
    assert "deprecated field 18 " in comment
    assert "deprecated field 19 " not in comment
    assert "> … and 481 more notes (see the JSON report)." in comment
    assert "**1 to create, 1 to update, 2 to replace, 1 to delete**" in comment


def test_a_summary_too_long_by_itself_shortens_its_lists_and_keeps_its_counts() -> None:
    findings = tuple(
        Finding(f"policy-{i:03d}", "advisory", f"urn:pulumi:prod::p::t::r{i}", "why " * 200)
        for i in range(300)
    )
    policy = PolicyDelta(new=findings, fixed=0, head_total=300)

    comment = render_comment(_small(), policy, NOT_RUN)

    assert len(comment) <= GITHUB_COMMENT_LIMIT
    assert "**300 new violations**" in comment
    assert "more in the JSON report |" in comment
    assert "**1 protected resource would be replaced.**" in comment
    assert "**1 to create, 0 to update, 1 to replace, 1 to delete**" in comment


def test_cost_lines_of_two_resources_with_one_name_say_which_is_which() -> None:
    network = "urn:pulumi:prod::primetradeai::primetradeai:network:Network"
    nat, address = (
        f"{network}$aws:ec2/natGateway:NatGateway::prod-nat-0",
        f"{network}$aws:ec2/eip:Eip::prod-nat-0",
    )
    cost = CostDelta(0.0, 36.5, (CostLine(nat, None, 32.85), CostLine(address, None, 3.65)), ())

    comment = render_comment(_small(), NOT_RUN, cost)

    assert "| <code>prod-nat-0 (NatGateway)</code> | - | $32.85 |" in comment
    assert "| <code>prod-nat-0 (Eip)</code> | - | $3.65 |" in comment


def test_file_names_with_markdown_in_them_stay_plain_text() -> None:
    change_set = compare(
        side_from_plan(make_plan(), "base`|<b>.json"), side_from_plan(make_plan(), "head.json")
    )

    comment = render_comment(change_set, NOT_RUN, NOT_RUN)

    assert "<code>base`&#124;&lt;b&gt;.json</code> → <code>head.json</code>" in comment
