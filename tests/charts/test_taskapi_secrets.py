"""No secret value can reach a rendered manifest: the chart has no place for one and refuses every try."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from infra.toolkit.preview.helm_render import ChartValuesError
from tests.charts.taskapi_chart import (
    CHART_DIR,
    ENVIRONMENTS,
    minimal_values,
    only,
    render,
    stack_values,
    walk,
)

SENTINEL = "s3cret-sentinel-7f3a9c"
SECRET_URI = f"mongodb+srv://admin:{SENTINEL}@cluster0.example.mongodb.net/taskmanager"
# The ways a secret could be handed to a chart: the variable names, their camelCase forms, the usual
# catch-all keys.
SECRET_KEYS = (
    "MONGODB_URI",
    "REDIS_URL",
    "JWT_SECRET",
    "SENTRY_DSN",
    "mongodbUri",
    "redisUrl",
    "jwtSecret",
    "sentryDsn",
    "secrets",
    "env",
    "extraEnv",
    "password",
)
SCHEMA = json.loads((CHART_DIR / "values.schema.json").read_text())


def strict_objects(node: dict[str, Any], path: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    """The path of every object in the schema that has named properties (lists are skipped)."""
    if "properties" in node:
        assert node.get("additionalProperties") is False, f"{'.'.join(path) or 'values'} accepts unknown keys"
        yield path
        for key, child in node["properties"].items():
            yield from strict_objects(child, (*path, key))


def planted(path: tuple[str, ...], key: str) -> dict[str, Any]:
    """Minimal values with {key: SECRET_URI} added to the object at path."""
    values = minimal_values()
    target = values
    for part in path:
        target = target.setdefault(part, {})
    target[key] = SECRET_URI
    return values


PLANTS = [
    pytest.param(path, key, id=".".join((*path, key)))
    for path in strict_objects(SCHEMA)
    for key in SECRET_KEYS
]


@pytest.mark.parametrize(("path", "key"), PLANTS)
def test_a_secret_handed_to_the_chart_under_any_key_is_refused_without_repeating_it(
    path: tuple[str, ...], key: str
) -> None:
    with pytest.raises(ChartValuesError) as refused:
        render(planted(path, key))

    assert f"additional properties '{key}' not allowed" in str(refused.value)
    assert SENTINEL not in str(refused.value)


def test_every_object_in_the_schema_refuses_unknown_keys() -> None:
    assert len(list(strict_objects(SCHEMA))) > 15


@pytest.mark.parametrize(
    "path",
    [
        ("existingSecret",),
        ("image", "tag"),
        ("image", "digest"),
        ("image", "repository"),
        ("ingress", "host"),
    ],
    ids=".".join,
)
def test_a_secret_put_in_a_named_value_by_mistake_is_refused_without_repeating_it(
    path: tuple[str, ...],
) -> None:
    values = minimal_values()
    target = values
    for part in path[:-1]:
        target = target.setdefault(part, {})
    target[path[-1]] = SECRET_URI
    values["ingress"] = {**values.get("ingress", {}), "enabled": True}
    values["ingress"].setdefault("host", "api.example.com")

    with pytest.raises(ChartValuesError) as refused:
        render(values)

    assert ".".join(path) in str(refused.value)
    assert SENTINEL not in str(refused.value)


def test_the_schema_has_no_value_named_like_a_secret() -> None:
    suspicious = ("password", "token", "uri", "url", "dsn", "credential", "privatekey")
    names = {
        key.lower()
        for node in walk(SCHEMA)
        if isinstance(node, dict) and isinstance(node.get("properties"), dict)
        for key in node["properties"]
    }

    assert not {name for name in names if any(word in name for word in suspicious)}
    # Names of Secrets, never their contents.
    assert {name for name in names if "secret" in name} == {
        "existingsecret",
        "tlssecretname",
        "imagepullsecrets",
    }


@pytest.mark.parametrize("environment", ENVIRONMENTS)
def test_a_release_contains_no_secret_object_and_no_literal_secret_variable(environment: str) -> None:
    objects = render(stack_values(environment))
    container = only(objects, "Deployment")["spec"]["template"]["spec"]["containers"][0]

    assert "Secret" not in {obj["kind"] for obj in objects}
    assert all(
        "value" not in variable and "secretKeyRef" in variable["valueFrom"] for variable in container["env"]
    )
    assert not {"MONGODB_URI", "REDIS_URL", "JWT_SECRET", "SENTRY_DSN"} & set(
        only(objects, "ConfigMap")["data"]
    )
