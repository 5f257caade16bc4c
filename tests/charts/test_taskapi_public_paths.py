"""Only the API is public: the Ingress routes /api, never the docs (outside development), the probes or
/metrics, which has its own port that no Ingress backend names."""

from __future__ import annotations

from typing import Any

import pytest

from tests.charts.taskapi_chart import ENVIRONMENTS, merged, only, render, stack_values

PRIVATE_PATHS = ("/metrics", "/health", "/ready", "/docs", "/docs/oauth2-redirect", "/redoc", "/openapi.json")


def matches(rule: dict[str, Any], path: str) -> bool:
    """Whether an Ingress path rule matches a request path, as Kubernetes defines Exact and Prefix."""
    if rule["pathType"] == "Exact":
        return bool(rule["path"] == path)
    prefix = [part for part in rule["path"].split("/") if part]
    return [part for part in path.split("/") if part][: len(prefix)] == prefix


def routed(objects: list[dict[str, Any]], path: str) -> bool:
    ingress = only(objects, "Ingress")
    return any(matches(rule, path) for host in ingress["spec"]["rules"] for rule in host["http"]["paths"])


@pytest.mark.parametrize("environment", ENVIRONMENTS)
def test_the_api_and_its_health_path_are_routed(environment: str) -> None:
    objects = render(stack_values(environment))

    assert routed(objects, "/api/tasks")
    assert routed(objects, "/api/health")
    assert not routed(objects, "/apix")


def test_in_prod_nothing_but_the_api_is_routed() -> None:
    objects = render(stack_values("prod"))

    assert [path for path in PRIVATE_PATHS if routed(objects, path)] == []
    assert only(objects, "ConfigMap")["data"]["DOCS_ENABLED"] == "false"


def test_staging_with_docs_turned_on_routes_the_schema_but_not_the_cdn_page() -> None:
    objects = render(merged(stack_values("staging"), {"config": {"docsEnabled": True}}))

    assert [path for path in PRIVATE_PATHS if routed(objects, path)] == ["/openapi.json"]


def test_development_routes_the_docs_for_developers_but_never_metrics_or_probes() -> None:
    objects = render(stack_values("dev"))

    assert [path for path in PRIVATE_PATHS if routed(objects, path)] == [
        "/docs",
        "/docs/oauth2-redirect",
        "/openapi.json",
    ]


@pytest.mark.parametrize("environment", ENVIRONMENTS)
def test_no_ingress_backend_names_the_metrics_port(environment: str) -> None:
    ingress = only(render(stack_values(environment)), "Ingress")
    ports = {
        rule["backend"]["service"]["port"]["name"]
        for host in ingress["spec"]["rules"]
        for rule in host["http"]["paths"]
    }

    assert ports == {"http"}
