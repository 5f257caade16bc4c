"""FastAPI's own OpenTelemetry hooks: tracing once a provider is configured; no metrics, no logs."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.app.live_server import REPO_ROOT, SAFETY_DEADLINE_SECONDS, clean_environment


def test_a_request_is_traced_but_fastapi_records_no_metrics_and_no_logs() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "tests.app.telemetry_probe"],
        cwd=REPO_ROOT,
        env=clean_environment(APP_ENV="development", LOG_LEVEL="warning"),
        capture_output=True,
        text=True,
        timeout=SAFETY_DEADLINE_SECONDS,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    observed = json.loads(result.stdout.strip().splitlines()[-1])
    assert observed["status"] == 400
    assert "POST /api/auth/signup" in observed["spans"]
    # The Prometheus metrics count requests already; FastAPI's would count them a second time.
    assert not [name for name in observed["metrics"] if name.startswith("http.server")]
    assert observed["logs"] == []  # nor is the validation failure recorded a second time
