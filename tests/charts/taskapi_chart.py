"""Renders of charts/taskapi for each environment, with the values the Pulumi program adds to them.

A plain module rather than a conftest.py, so that its name is unique across the test tree.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import yaml

from infra.toolkit.preview.helm_render import is_test_hook, render_chart

CHART_DIR = Path(__file__).resolve().parents[2] / "charts" / "taskapi"
KUBERNETES_VERSION = "1.34.0"
ENVIRONMENTS = ("dev", "staging", "prod")
RELEASE = "taskapi"
NAMESPACE = "apps"
RELEASE_DIGEST = "sha256:" + "5f0e4c3b2a19" * 5 + "d7c6"

Objects = list[dict[str, Any]]
Render = Callable[[Mapping[str, Any]], Objects]


def merged(base: Mapping[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    """base with override laid over it, maps merged key by key as Helm merges values files."""
    result = copy.deepcopy(dict(base))
    for key, value in override.items():
        if isinstance(value, Mapping) and isinstance(result.get(key), Mapping):
            result[key] = merged(result[key], value)
        else:
            result[key] = copy.deepcopy(value)
    return result


def stack_values(environment: str) -> dict[str, Any]:
    """What a stack deploys: the environment's values file plus the keys the Pulumi program computes."""
    environment_file = CHART_DIR / f"values-{environment}.yaml"
    from_file: dict[str, Any] = yaml.safe_load(environment_file.read_text()) or {}
    from_program = {
        # A release is pinned by the digest CI recorded when it pushed the tag.
        "image": {
            "repository": "123456789012.dkr.ecr.us-east-1.amazonaws.com/taskapi",
            "tag": "1.4.2",
            "digest": RELEASE_DIGEST,
        },
        "existingSecret": "taskapi-secrets",
        "ingress": {
            "enabled": True,
            "className": "nginx",
            "host": f"api.{environment}.primetradeai.example",
            "tlsSecretName": "taskapi-origin-tls",
        },
        "serviceAccount": {
            "annotations": {"eks.amazonaws.com/role-arn": "arn:aws:iam::123456789012:role/taskapi"}
        },
    }
    return merged(from_file, from_program)


def minimal_values() -> dict[str, Any]:
    """The least a release needs: the chart's defaults plus the two required values."""
    return {"existingSecret": "taskapi-secrets", "image": {"tag": "1.4.2"}}


def render(values: Mapping[str, Any]) -> Objects:
    return render_chart(CHART_DIR, values, release_name=RELEASE, namespace=NAMESPACE)


def only(objects: Objects, kind: str) -> dict[str, Any]:
    """The single rendered object of a kind (hooks excluded)."""
    found = [obj for obj in objects if obj["kind"] == kind and not is_test_hook(obj)]
    assert len(found) == 1, f"expected one {kind}, got {len(found)}"
    return found[0]


def kinds(objects: Objects) -> set[str]:
    return {obj["kind"] for obj in objects if not is_test_hook(obj)}


def walk(value: Any) -> Iterator[Any]:
    """Every map, list and scalar inside a rendered object."""
    yield value
    if isinstance(value, Mapping):
        for item in value.values():
            yield from walk(item)
    elif isinstance(value, list):
        for item in value:
            yield from walk(item)
