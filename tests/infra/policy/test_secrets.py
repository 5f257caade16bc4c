"""No plaintext secrets: secret-named inputs and Kubernetes Secret data must be `[secret]` in a plan."""

from __future__ import annotations

import pytest

from infra.policy.secrets import is_secret_name
from tests.infra.policy.policy_plans import REPLICATION_GROUP, redis_inputs, resource, violations

PLANTED = "planted-Secret-value-7f3a"


@pytest.mark.parametrize(
    "key",
    [
        "password",
        "authToken",
        "jwtSecret",
        "clientSecret",
        "token",
        "privateKey",
        "db_password",
        "secretString",
    ],
)
def test_secret_looking_names_are_recognised(key: str) -> None:
    assert is_secret_name(key)


@pytest.mark.parametrize(
    "key",
    [
        "existingSecret",
        "secretName",
        "kmsKeyId",
        "automountServiceAccountToken",
        "authTokenUpdateStrategy",
        "tokenUrl",
    ],
)
def test_references_and_settings_are_not_secrets(key: str) -> None:
    assert not is_secret_name(key)


def test_redacted_auth_token_passes() -> None:
    assert (
        violations(resource(REPLICATION_GROUP, "redis", redis_inputs()), policy="no-plaintext-secrets") == []
    )


def test_plaintext_auth_token_is_mandatory_and_its_value_is_never_shown() -> None:
    found = violations(
        resource(REPLICATION_GROUP, "redis", redis_inputs(authToken=PLANTED)), policy="no-plaintext-secrets"
    )
    assert [(v.enforcement, v.message.split(" ")[0]) for v in found] == [("mandatory", "authToken")]
    assert PLANTED not in repr(found)


def test_nested_plaintext_password_in_chart_values_is_found_by_path() -> None:
    release = resource(
        "kubernetes:helm.sh/v3:Release",
        "taskapi",
        {"values": {"existingSecret": "taskapi-env", "mongodb": {"auth": {"password": PLANTED}}}},
    )
    assert [v.message.split(" ")[0] for v in violations(release, policy="no-plaintext-secrets")] == [
        "values.mongodb.auth.password"
    ]


def test_booleans_and_unknowns_under_secret_names_are_not_plaintext() -> None:
    pod = resource(
        "kubernetes:core/v1:ServiceAccount",
        "sa",
        {"authToken": False, "token": "[unknown]"},
    )
    assert violations(pod, policy="no-plaintext-secrets") == []


def test_kubernetes_secret_data_must_be_secret() -> None:
    redacted = resource(
        "kubernetes:core/v1:Secret",
        "ok",
        {"metadata": {"name": "env"}, "stringData": {"MONGODB_URI": "[secret]"}},
    )
    whole = resource("kubernetes:core/v1:Secret", "whole", {"metadata": {"name": "env"}, "data": "[secret]"})
    plain = resource(
        "kubernetes:core/v1:Secret",
        "plain",
        {"metadata": {"name": "env"}, "stringData": {"MONGODB_URI": PLANTED}},
    )
    found = violations(redacted, whole, plain, policy="no-plaintext-secrets")
    assert [(v.urn.rsplit("::", 1)[1], v.message.split(" ")[0]) for v in found] == [
        ("plain", "stringData.MONGODB_URI")
    ]
    assert PLANTED not in repr(found)
