"""Secrets: where secret values go, and that they never appear in plain text."""

from __future__ import annotations

import json

from infra.harness import StackRun
from infra.pulumi_wire import is_secret, reveal
from tests.stacks.audit import app_release, app_secret, managed, plain_strings, secret_strings


def test_the_app_secret_has_exactly_the_keys_the_chart_reads(run: StackRun) -> None:
    secret = app_secret(run)
    assert is_secret(secret.inputs["stringData"])
    keys = set(reveal(secret.inputs["stringData"]))
    expected = {"MONGODB_URI", "REDIS_URL", "JWT_SECRET"}
    assert keys == (expected | {"SENTRY_DSN"} if run.stack != "dev" else expected)
    data = reveal(secret.inputs["stringData"])
    assert data["REDIS_URL"].startswith("rediss://:")
    assert data["MONGODB_URI"].startswith("mongodb+srv://taskapi:")
    assert len(data["JWT_SECRET"]) >= 32


def test_secrets_manager_holds_the_same_values_as_a_secret(run: StackRun) -> None:
    version = run.one("aws:secretsmanager/secretVersion:SecretVersion").inputs
    assert is_secret(version["secretString"])
    stored = json.loads(reveal(version["secretString"]))
    mirrored = app_secret(run)
    assert stored == reveal(mirrored.inputs["stringData"])


def test_the_connection_string_output_is_secret(run: StackRun) -> None:
    assert is_secret(run.outputs["atlasConnectionString"])
    assert not any(is_secret(v) for k, v in run.outputs.items() if k != "atlasConnectionString")


def test_no_secret_value_appears_anywhere_in_plain_text(run: StackRun) -> None:
    secrets = {s for r in run.resources for s in secret_strings(r.inputs) if len(s) >= 12}
    secrets |= {s for s in secret_strings(run.outputs) if len(s) >= 12}
    assert secrets, "the run should contain secrets to check"
    plain = [s for r in run.resources for s in plain_strings(r.inputs)] + list(plain_strings(run.outputs))
    plain += [s for value in run.config.values() for s in plain_strings(value)]
    leaks = [p for p in plain for s in secrets if s in p]
    assert leaks == []


def test_the_chart_values_carry_only_the_secret_name(run: StackRun) -> None:
    release = app_release(run)
    values = release.inputs["values"]
    assert values["existingSecret"] == "taskapi-secrets"
    dumped = json.dumps(values)
    assert "mongodb+srv" not in dumped
    assert "rediss://" not in dumped


def test_secure_config_reaches_the_program_only_as_secrets(prod: StackRun) -> None:
    assert set(prod.secret_config_keys) == {"primetradeai:sentryDsn", "primetradeai:datadogApiKey"}
    for key in prod.secret_config_keys:
        assert is_secret(prod.config[key])


def test_managed_resources_exclude_what_the_program_only_reads(run: StackRun) -> None:
    assert managed(run, "kubernetes:core/v1:Service") == []
    assert [r.read for r in run.by_type("kubernetes:core/v1:Service")] == [True]
