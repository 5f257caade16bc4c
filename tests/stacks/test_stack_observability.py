"""The observability switches: the Datadog agent in prod only, Sentry where its DSN is configured."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from infra.harness import StackRun, run_stack
from infra.pulumi_wire import is_secret, reveal
from tests.stacks.audit import app_release, app_secret, rendered_release
from tests.stacks.variants import scratch_project


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


def test_no_stack_traces_requests_unless_its_config_asks(run: StackRun) -> None:
    assert app_release(run).inputs["values"]["config"]["sentryTracesSampleRate"] == 0


def _traced(config: dict[str, Any]) -> None:
    config["primetradeai:observability"]["sentry"]["tracesSampleRate"] = 0.1


def test_a_traces_sample_rate_in_the_stack_reaches_the_pods_environment(tmp_path: Path) -> None:
    run = run_stack("staging", project_dir=scratch_project(tmp_path, "staging", _traced, base="staging"))
    release = app_release(run)
    assert release.inputs["values"]["config"]["sentryTracesSampleRate"] == 0.1
    (config_map,) = [o for o in rendered_release(release) if o["kind"] == "ConfigMap"]
    assert config_map["data"]["SENTRY_TRACES_SAMPLE_RATE"] == "0.1"
