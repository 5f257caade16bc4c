"""The observability switches: the Datadog agent in prod only, Sentry where its DSN is configured."""

from __future__ import annotations

import json

from infra.harness import StackRun
from infra.pulumi_wire import is_secret, reveal
from tests.stacks.audit import app_release, app_secret


def _datadog(run: StackRun) -> list[dict[str, object]]:
    return [r.inputs for r in run.by_type("kubernetes:helm.sh/v3:Release") if r.inputs["name"] == "datadog"]


def test_only_prod_runs_the_datadog_agent(run: StackRun) -> None:
    assert len(_datadog(run)) == (1 if run.stack == "prod" else 0)


def test_the_datadog_agent_reads_its_api_key_from_a_secret_never_from_values(prod: StackRun) -> None:
    (release,) = _datadog(prod)
    values = release["values"]
    assert isinstance(values, dict)
    assert values["datadog"]["clusterName"] == "prod-eks"
    secret = next(
        s for s in prod.by_type("kubernetes:core/v1:Secret") if s.inputs["metadata"]["namespace"] == "datadog"
    )
    assert values["datadog"]["apiKeyExistingSecret"] == secret.inputs["metadata"]["name"]
    assert is_secret(secret.inputs["stringData"])
    assert set(reveal(secret.inputs["stringData"])) == {"api-key"}
    assert "offline-placeholder-for-" not in json.dumps(values)


def test_sentry_reaches_the_api_only_where_it_is_switched_on(run: StackRun) -> None:
    sentry_on = run.stack != "dev"
    assert ("SENTRY_DSN" in reveal(app_secret(run).inputs["stringData"])) is sentry_on
    # Sentry is the only thing the pods reach on the internet: no DSN, no egress.
    assert app_release(run).inputs["values"]["networkPolicy"]["allowHttpsEgress"] is sentry_on
