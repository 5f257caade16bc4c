"""The values each stack gives the chart are accepted by the real chart and reach the pods as intended."""

from __future__ import annotations

import hashlib
from typing import Any

from infra.harness import StackRun
from tests.stacks.audit import CHART, app_release, rendered_release


def _rendered(run: StackRun) -> list[dict[str, Any]]:
    return rendered_release(app_release(run))


def test_the_release_carries_the_chart_environment_file_under_the_program_values(run: StackRun) -> None:
    release = app_release(run)
    values = release.inputs["values"]
    assert "valueYamlFiles" not in release.inputs
    assert values["podDisruptionBudget"]["enabled"] is (run.stack != "dev")
    assert (
        values["config"]["appEnv"]
        == {"dev": "development", "staging": "staging", "prod": "production"}[run.stack]
    )


def test_the_release_points_at_the_chart_in_this_repository(run: StackRun) -> None:
    release = app_release(run)
    # Relative to the program's directory, where `pulumi up` runs it.
    assert (CHART.parent.parent / "stacks" / release.inputs["chart"]).resolve() == CHART
    assert release.inputs["atomic"] is True


def test_the_chart_accepts_the_stack_values_and_mounts_the_program_secret(run: StackRun) -> None:
    objects = _rendered(run)
    deployment = next(o for o in objects if o["kind"] == "Deployment")
    pod = deployment["spec"]["template"]["spec"]
    container = pod["containers"][0]
    assert container["image"].endswith(":0.1.0")
    assert [volume["secret"]["secretName"] for volume in pod["volumes"] if "secret" in volume] == [
        "taskapi-secrets"
    ]
    assert not any("valueFrom" in variable for variable in container["env"])
    # Sentry is on in staging and prod only, so only there is its key read.
    sentry = run.stack != "dev"
    assert ("SENTRY_DSN_FILE" in {variable["name"] for variable in container["env"]}) is sentry


def test_the_pods_roll_when_the_program_writes_a_new_secret_version(run: StackRun) -> None:
    version = run.one("aws:secretsmanager/secretVersion:SecretVersion").outputs["versionId"]
    deployment = next(o for o in _rendered(run) if o["kind"] == "Deployment")

    annotations = deployment["spec"]["template"]["metadata"]["annotations"]
    assert annotations["checksum/secret-version"] == hashlib.sha256(version.encode()).hexdigest()


def test_redis_and_mongodb_are_reached_only_in_the_stack_vpc(run: StackRun) -> None:
    vpc = run.one("aws:ec2/vpc:Vpc").inputs["cidrBlock"]
    policy = next(
        o for o in _rendered(run) if o["kind"] == "NetworkPolicy" and "helm-test" not in o["metadata"]["name"]
    )
    redis = next(rule for rule in policy["spec"]["egress"] if rule["ports"][0]["port"] == 6379)

    assert redis["to"] == [{"ipBlock": {"cidr": vpc}}]


def test_the_ingress_serves_the_stack_host_with_the_origin_certificate(run: StackRun) -> None:
    ingress = next(o for o in _rendered(run) if o["kind"] == "Ingress")
    host = run.outputs["apiUrl"].removeprefix("https://")
    assert ingress["spec"]["rules"][0]["host"] == host
    assert ingress["spec"]["tls"] == [{"hosts": [host], "secretName": "taskapi-origin-tls"}]


def test_the_service_account_carries_the_api_role(run: StackRun) -> None:
    account = next(o for o in _rendered(run) if o["kind"] == "ServiceAccount")
    role = next(r for r in run.by_type("aws:iam/role:Role") if r.name.endswith("-reader"))
    assert account["metadata"]["annotations"]["eks.amazonaws.com/role-arn"] == role.outputs["arn"]


def test_mongodb_goes_to_the_internet_only_when_no_private_endpoint_reaches_atlas(run: StackRun) -> None:
    values = app_release(run).inputs["values"]
    private_endpoint = run.by_type("mongodbatlas:index/privateLinkEndpoint:PrivateLinkEndpoint")

    assert values["networkPolicy"]["mongodbOverInternet"] is (not private_endpoint)
