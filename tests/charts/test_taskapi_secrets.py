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
        ("existingSecretVersion",),
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
        "existingsecretversion",
        "tlssecretname",
        "imagepullsecrets",
    }


@pytest.mark.parametrize("environment", ENVIRONMENTS)
def test_a_release_contains_no_secret_object_and_no_secret_variable(environment: str) -> None:
    objects = render(stack_values(environment))
    pod = only(objects, "Deployment")["spec"]["template"]["spec"]
    container = pod["containers"][0]

    assert "Secret" not in {obj["kind"] for obj in objects}
    # Only the paths of the mounted files: no value, and no reference that would put one in the environment.
    assert all(
        set(variable) == {"name", "value"} and variable["name"].endswith("_FILE")
        for variable in container["env"]
    )
    assert not {"MONGODB_URI", "REDIS_URL", "JWT_SECRET", "SENTRY_DSN"} & set(
        only(objects, "ConfigMap")["data"]
    )


@pytest.mark.parametrize("environment", ENVIRONMENTS)
def test_the_secret_is_a_read_only_volume_only_its_owner_group_can_read(environment: str) -> None:
    pod = only(render(stack_values(environment)), "Deployment")["spec"]["template"]["spec"]
    (volume,) = [volume for volume in pod["volumes"] if "secret" in volume]
    (mount,) = [mount for mount in pod["containers"][0]["volumeMounts"] if mount["name"] == volume["name"]]

    assert volume["secret"]["defaultMode"] == 0o400
    assert mount["readOnly"] is True
    # The kubelet gives the files the pod's fsGroup, the group of the user the API runs as.
    assert pod["securityContext"]["fsGroup"] == pod["securityContext"]["runAsGroup"] == 10001


def test_a_new_secret_version_rolls_the_pods_and_without_one_nothing_claims_to() -> None:
    def annotations(version: str | None) -> dict[str, str]:
        values = (
            minimal_values() if version is None else {**minimal_values(), "existingSecretVersion": version}
        )
        found: dict[str, str] = only(render(values), "Deployment")["spec"]["template"]["metadata"][
            "annotations"
        ]
        return found

    first, second = annotations("3f1c9a7e-0b2d-4c55-9e61-2a8d7f0c4b19"), annotations("v2")

    assert first["checksum/secret-version"] != second["checksum/secret-version"]
    assert first["checksum/config"] == second["checksum/config"]
    assert "checksum/secret-version" not in annotations(None)


def test_the_chart_own_secret_checksum_cannot_be_overridden() -> None:
    values = {**minimal_values(), "podAnnotations": {"checksum/secret-version": "0"}}

    with pytest.raises(ChartValuesError, match="podAnnotations"):
        render(values)
