"""A bad stack file stops the program before any resource exists, naming the file and the key."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from infra.harness import StackConfigError, run_stack
from infra.harness import run as harness_run
from infra.harness.monitor import RecordingMonitor
from tests.stacks.variants import scratch_project


@pytest.fixture
def monitors(monkeypatch: pytest.MonkeyPatch) -> list[RecordingMonitor]:
    """Every monitor the harness creates, so a test can see what was registered before a failure."""
    created: list[RecordingMonitor] = []

    class Watched(RecordingMonitor):
        def __init__(self, *args: Any) -> None:
            super().__init__(*args)
            created.append(self)

    monkeypatch.setattr(harness_run, "RecordingMonitor", Watched)
    return created


def _set(path: str, value: Any) -> Any:
    def edit(config: dict[str, Any]) -> None:
        key, *rest = path.split(".")
        node = config.setdefault(f"primetradeai:{key}", {})
        if not rest:
            config[f"primetradeai:{key}"] = value
            return
        for part in rest[:-1]:
            node = node.setdefault(part, {})
        node[rest[-1]] = value

    return edit


CASES = [
    pytest.param("cache.numNodes", "three", r"primetradeai:cache\.numNodes: .*integer", id="wrong type"),
    pytest.param(
        "cache.nodeCount", 2, r"primetradeai:cache\.nodeCount: unknown key", id="unknown key in a section"
    ),
    pytest.param("replicas", 2, r"primetradeai:replicas: unknown key", id="unknown top-level key"),
    pytest.param(
        "cache.multiAz",
        True,
        r"primetradeai:cache\.numNodes: Multi-AZ .* at least 2 nodes",
        id="multi-az with one node",
    ),
    pytest.param(
        "app.image.tag", "latest", r"primetradeai:app\.image\.tag: pin a version", id="latest image tag"
    ),
    pytest.param(
        "database.topology", "sharded", r"primetradeai:database\.instanceSize: .*M30", id="sharded below M30"
    ),
    pytest.param(
        "database.regions",
        [{"name": "US_EAST_1", "electableNodes": 2, "priority": 7}],
        r"primetradeai:database\.regions: an odd number of electable members",
        id="even replica set",
    ),
    pytest.param(
        "environment",
        "qa",
        r"primetradeai:environment: Input should be 'dev', 'staging' or 'prod'",
        id="unknown environment",
    ),
    pytest.param(
        "sentryDsn",
        "https://key@sentry.example/1",
        r"primetradeai:sentryDsn: must be set with `pulumi config set --secret`",
        id="secret in plain config",
    ),
    pytest.param(
        "observability.sentry.tracesSampleRate",
        1.5,
        r"primetradeai:observability\.sentry\.tracesSampleRate: Input should be less than or equal to 1",
        id="traces sample rate above 1",
    ),
    pytest.param(
        "observability.sentry.tracesSampleRate",
        "all",
        r"primetradeai:observability\.sentry\.tracesSampleRate: Input should be a valid number",
        id="traces sample rate not a number",
    ),
    pytest.param(
        "observability.datadog.enabled",
        True,
        r"primetradeai:datadogApiKey: is required",
        id="switch without its secret",
    ),
    pytest.param(
        "cluster.ingressController",
        False,
        r"primetradeai:edge\.originHostname: is required when cluster\.ingressController is false",
        id="no ingress controller and no origin",
    ),
    pytest.param(
        "edge.originHostname",
        "lb.example.com",
        r"primetradeai:edge\.originHostname: needs cluster\.ingressController: false",
        id="origin given while the program installs the controller",
    ),
    pytest.param(
        "network.mode",
        "existing",
        r"primetradeai:network\.vpcId: is required when mode is existing",
        id="existing vpc without id",
    ),
]


@pytest.mark.parametrize(("path", "value", "message"), CASES)
def test_an_invalid_config_names_the_file_and_the_key(
    tmp_path: Path, monitors: list[RecordingMonitor], path: str, value: Any, message: str
) -> None:
    project = scratch_project(tmp_path, "broken", _set(path, value))
    with pytest.raises(StackConfigError, match=rf"^Pulumi\.broken\.yaml: {message}") as caught:
        run_stack("broken", project_dir=project)
    assert "Traceback" not in str(caught.value)
    (monitor,) = monitors
    assert [r.type for r in monitor.registrations] == ["pulumi:pulumi:Stack"]


def test_a_missing_required_section_is_named(tmp_path: Path) -> None:
    project = scratch_project(tmp_path, "bare", lambda config: config.pop("primetradeai:edge"))
    with pytest.raises(StackConfigError, match=r"Pulumi\.bare\.yaml: primetradeai:edge: Field required"):
        run_stack("bare", project_dir=project)


def test_several_problems_are_all_reported(tmp_path: Path) -> None:
    def edit(config: dict[str, Any]) -> None:
        _set("cache.numNodes", 0)(config)
        _set("app.replicas", -1)(config)

    project = scratch_project(tmp_path, "many", edit)
    with pytest.raises(StackConfigError) as caught:
        run_stack("many", project_dir=project)
    lines = str(caught.value).splitlines()
    assert any(line.startswith("Pulumi.many.yaml: primetradeai:cache.numNodes:") for line in lines)
    assert any(line.startswith("Pulumi.many.yaml: primetradeai:app.replicas:") for line in lines)


def test_a_secret_value_is_never_repeated_in_the_error(tmp_path: Path) -> None:
    dsn = "https://abcdef0123456789@o1.ingest.sentry.io/42"
    project = scratch_project(tmp_path, "leaky", _set("sentryDsn", dsn))
    with pytest.raises(StackConfigError) as caught:
        run_stack("leaky", project_dir=project)
    assert dsn not in str(caught.value)
