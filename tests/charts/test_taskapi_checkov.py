"""Checkov, the policy scanner an auditor runs, finds nothing to fail in any environment's release.

Checkov pins boto3 and other libraries below the versions this project locks, so it cannot share the
project's environment: it runs as an isolated tool through `uvx`, pinned here and in .ci/run. Without
uvx, or when the pinned release cannot be fetched, the test is skipped with the reason, unless
REQUIRE_CHECKOV is set (CI sets it), where that is a failure.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.charts.taskapi_chart import ENVIRONMENTS, merged, render, stack_values

CHECKOV = "checkov==3.3.30"
CHECKOV_TIMEOUT_SECONDS = 300
# A one-shot `helm test` Pod has no use for probes; the chart says so in annotations Checkov reads.
EXPECTED_SKIPS = {("CKV_K8S_8", "Pod"), ("CKV_K8S_9", "Pod")}

Findings = dict[str, dict[str, set[tuple[str, str]]]]


def _unavailable(reason: str) -> None:
    if os.environ.get("REQUIRE_CHECKOV"):
        pytest.fail(f"Checkov is required here but {reason}")
    pytest.skip(reason)


def _checkov(*args: str) -> subprocess.CompletedProcess[str]:
    uvx = shutil.which("uvx")
    if uvx is None:
        _unavailable("uvx is not installed, so Checkov cannot run in its own environment")
    return subprocess.run(
        [str(uvx), "--quiet", "--from", CHECKOV, "checkov", *args],
        capture_output=True,
        text=True,
        timeout=CHECKOV_TIMEOUT_SECONDS,
        check=False,
    )


@pytest.fixture(scope="module")
def findings(tmp_path_factory: pytest.TempPathFactory) -> Findings:
    """Checkov's verdicts on each environment's release (and on prod pinned by a tag alone), by file:
    {"failed" | "skipped": {(check id, kind)}}."""
    version = _checkov("--version")
    if version.returncode != 0:
        _unavailable(f"{CHECKOV} could not be installed: {version.stderr.strip().splitlines()[-1:]}")
    directory = tmp_path_factory.mktemp("rendered")
    releases = {environment: stack_values(environment) for environment in ENVIRONMENTS}
    releases["prod-tag-only"] = merged(stack_values("prod"), {"image": {"digest": ""}})
    for name, values in releases.items():
        (directory / f"{name}.yaml").write_text(yaml.safe_dump_all(render(values)))

    scan = _checkov("--directory", str(directory), "--framework", "kubernetes", "--output", "json")
    assert scan.stdout, scan.stderr
    reports = json.loads(scan.stdout)
    results = (reports[0] if isinstance(reports, list) else reports)["results"]
    by_file: Findings = defaultdict(lambda: {"failed": set(), "skipped": set()})
    for verdict in ("failed", "skipped"):
        for check in results[f"{verdict}_checks"]:
            kind = check["resource"].split(".")[0]
            by_file[Path(check["file_path"]).stem][verdict].add((check["check_id"], kind))
    return by_file


@pytest.mark.slow
@pytest.mark.parametrize("environment", ENVIRONMENTS)
def test_checkov_fails_no_check_on_the_release(findings: Findings, environment: str) -> None:
    assert findings[environment]["failed"] == set()


@pytest.mark.slow
@pytest.mark.parametrize("environment", ENVIRONMENTS)
def test_the_only_checks_skipped_are_the_probes_of_the_helm_test_pod(
    findings: Findings, environment: str
) -> None:
    assert findings[environment]["skipped"] == EXPECTED_SKIPS


@pytest.mark.slow
def test_a_release_pinned_by_a_tag_alone_fails_only_the_digest_check(findings: Findings) -> None:
    failed: set[tuple[str, Any]] = findings["prod-tag-only"]["failed"]

    assert failed == {("CKV_K8S_43", "Deployment"), ("CKV_K8S_43", "Pod")}
