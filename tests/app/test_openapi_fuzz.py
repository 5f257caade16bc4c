"""The API against its own OpenAPI document, as an operator would check it: ``schemathesis run --checks all``
on ``python -m app``. No generated request causes a 5xx, every answer (status, headers, body, a 405's
Allow) is the one the document declares, valid requests are accepted and invalid ones refused.

Where the guide's API contract differs from schemathesis' defaults (tests/app/schemathesis.toml), the
contract wins and the document declares what the API answers."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import httpx

from tests.app.live_server import running_api

CONFIG = Path(__file__).with_name("schemathesis.toml")
# Examples per operation and phase: the whole run makes about 640 calls, in 15 to 30 s on 2 shared cores.
MAX_EXAMPLES = 10
# Fixed, so a run is repeatable and a failure reproduces with the same seed.
SEED = 1605
OPERATIONS = 13
_METHODS = {"GET", "POST", "PUT", "DELETE"}
RUN_DEADLINE_SECONDS = 300


def _signed_up_token(port: int) -> str:
    """A real account, so the authenticated operations are explored past the 401."""
    response = httpx.post(
        f"http://127.0.0.1:{port}/api/auth/signup",
        json={"name": "Fuzz", "email": "fuzz@example.com", "password": "fuzz-pass"},
    )
    assert response.status_code == 201, response.text
    token: str = response.json()["token"]
    return token


def _calls_by_operation(report: Path) -> dict[str, int]:
    """How many requests the run sent to each operation, from its NDJSON report."""
    calls: dict[str, int] = {}
    for line in report.read_text().splitlines():
        finished = json.loads(line).get("ScenarioFinished")
        if finished is None:
            continue
        recorder = finished["recorder"]
        calls[recorder["label"]] = calls.get(recorder["label"], 0) + len(recorder.get("interactions", {}))
    return calls


def test_schemathesis_checks_all_find_nothing(tmp_path: Path) -> None:
    report = tmp_path / "run.ndjson"
    # Rate limit out of the way; access logs off, as nothing reads the piped output while it runs.
    with running_api(RATE_LIMIT_MAX="1000000000", LOG_LEVEL="warning") as (_, port):
        token = _signed_up_token(port)
        # fmt: off
        run = subprocess.run(
            [
                sys.executable, "-c", "from schemathesis.cli import schemathesis; schemathesis()",
                "--config-file", str(CONFIG), "--no-color",
                "run", f"http://127.0.0.1:{port}/openapi.json",
                "--checks", "all",
                "--max-examples", str(MAX_EXAMPLES),
                "--seed", str(SEED),
                "--workers", "1",
                "--header", f"Authorization: Bearer {token}",
                "--report", "ndjson", "--report-ndjson-path", str(report),
            ],
            cwd=tmp_path,  # where schemathesis keeps its cache
            capture_output=True,
            text=True,
            timeout=RUN_DEADLINE_SECONDS,
            check=False,
        )
        # fmt: on
    assert run.returncode == 0, run.stdout[-20_000:] + run.stderr[-5_000:]
    assert "No issues found" in run.stdout, run.stdout[-20_000:]
    calls = _calls_by_operation(report)
    # Every operation was really exercised, not skipped for want of a schema or a token.
    operations = {label for label, count in calls.items() if count and label.split()[0] in _METHODS}
    assert len(operations) == OPERATIONS, sorted(calls)
    assert sum(calls.values()) >= OPERATIONS * MAX_EXAMPLES
