"""Tags and labels: AWS tags (on the resource or the provider's defaultTags), Kubernetes app labels."""

from __future__ import annotations

from infra.components.tagging import standard_tags
from infra.policy.labels import REQUIRED_TAGS, takes_tags
from tests.infra.policy.policy_plans import LABELS, TAGS, resource, urn, violations


def test_taggable_types_are_read_from_the_aws_sdk() -> None:
    assert takes_tags("aws:ec2/vpc:Vpc")
    assert takes_tags("aws:elasticache/replicationGroup:ReplicationGroup")
    assert not takes_tags("aws:ec2/routeTableAssociation:RouteTableAssociation")
    assert not takes_tags("aws:iam/rolePolicyAttachment:RolePolicyAttachment")


def test_untagged_vpc_is_advisory_and_lists_what_is_missing() -> None:
    found = violations(
        resource("aws:ec2/vpc:Vpc", "vpc", {"cidrBlock": "10.0.0.0/16", "tags": {"project": "primetradeai"}}),
        policy="required-aws-tags",
    )
    assert [(v.enforcement, v.message) for v in found] == [
        (
            "advisory",
            "missing tag(s) environment, managed-by (set them on the resource or the provider's defaultTags)",
        )
    ]


def test_provider_default_tags_count() -> None:
    provider_urn = urn("prod", "pulumi:providers:aws", "aws")
    provider = resource("pulumi:providers:aws", "aws", {"region": "us-east-1", "defaultTags": {"tags": TAGS}})
    vpc = resource(
        "aws:ec2/vpc:Vpc", "vpc", {"cidrBlock": "10.0.0.0/16"}, provider=f"{provider_urn}::04da6b54"
    )
    assert violations(provider, vpc, policy="required-aws-tags") == []


def test_untaggable_resources_are_not_asked_for_tags() -> None:
    attach = resource(
        "aws:ec2/routeTableAssociation:RouteTableAssociation", "a", {"routeTableId": "r", "subnetId": "s"}
    )
    assert violations(attach, policy="required-aws-tags") == []


def test_kubernetes_objects_need_name_and_instance_labels() -> None:
    labelled = resource(
        "kubernetes:core/v1:Service",
        "taskapi/taskapi",
        {"metadata": {"name": "taskapi", "labels": LABELS}},
        rendered=True,
    )
    bare = resource(
        "kubernetes:core/v1:ConfigMap",
        "taskapi/cfg",
        {"metadata": {"name": "cfg", "labels": {"app.kubernetes.io/name": "taskapi"}}},
        rendered=True,
    )
    chart = resource("kubernetes:helm.sh/v4:Chart", "taskapi", {"chart": "./charts/taskapi"})
    found = violations(labelled, bare, chart, policy="required-kubernetes-labels")
    assert [(v.urn.rsplit("::", 1)[1], v.message) for v in found] == [
        ("taskapi/cfg", "missing label(s) app.kubernetes.io/instance")
    ]


def test_the_policy_asks_for_exactly_the_tags_the_stacks_apply() -> None:
    assert set(REQUIRED_TAGS) == set(standard_tags("prod"))
