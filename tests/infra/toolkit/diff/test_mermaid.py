"""The diagram shows changed resources under their parents, and nothing when nothing changes."""

from __future__ import annotations

import re

from infra.toolkit.diff.compare import compare
from infra.toolkit.diff.mermaid import diagram
from infra.toolkit.diff.sources import side_from_plan
from infra.toolkit.plan import Resource
from tests.infra.toolkit.plans import make_plan, resource, urn

COMPONENT = "primetradeai:cache:RedisCache"


def _child(name: str, port: int, component_urn: str) -> Resource:
    child = resource("aws:elasticache/replicationGroup:ReplicationGroup", name, {"port": port})
    return child.model_copy(update={"parent": component_urn})


def test_changed_resources_hang_under_their_component() -> None:
    component = resource(COMPONENT, 'cache "main"').model_copy(update={"custom": False})
    base = make_plan(component, _child("cache", 6379, component.urn))
    head = make_plan(component, _child("cache", 6380, component.urn))

    text = diagram(compare(side_from_plan(base, "a"), side_from_plan(head, "b")))

    assert text is not None
    assert text.startswith("flowchart LR")
    assert 'n0["+- cache<br/>ReplicationGroup"]:::replace' in text
    assert 'n1["cache #quot;main#quot;<br/>RedisCache"]:::context' in text
    assert "n1 --> n0" in text
    assert urn(COMPONENT, 'cache "main"') not in text


def test_no_changes_no_diagram() -> None:
    plan = make_plan(resource("aws:ec2/vpc:Vpc", "main"))

    assert diagram(compare(side_from_plan(plan, "a"), side_from_plan(plan, "b"))) is None


def test_a_hostile_name_stays_inside_its_label_and_its_code_fence() -> None:
    name = 'x"]:::create\n  n9 --> n0 ```<b>#quot; & `md`'
    base = make_plan(resource("aws:ec2/vpc:Vpc", name, {"cidrBlock": "10.0.0.0/16"}))
    head = make_plan(resource("aws:ec2/vpc:Vpc", name, {"cidrBlock": "10.1.0.0/16"}))

    text = diagram(compare(side_from_plan(base, "a"), side_from_plan(head, "b")))

    assert text is not None
    node_lines = [line for line in text.splitlines() if line.strip().startswith("n")]
    assert len(node_lines) == 1
    assert re.fullmatch(r'    n0\["[^"`<>]*<br/>Vpc"\]:::replace', node_lines[0])
    assert "#35;quot;" in node_lines[0]  # the literal text "#quot;", not a quote
    assert "```" not in text
