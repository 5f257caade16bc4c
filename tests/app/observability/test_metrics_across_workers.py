"""With several worker processes, /metrics answers for all of them (prometheus multiprocess mode)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.app.taskapi_testing import free_port

REPO_ROOT = Path(__file__).resolve().parents[3]
SAFETY_DEADLINE_SECONDS = 60

pytestmark = pytest.mark.slow


@pytest.fixture
def two_workers() -> Iterator[str]:
    port = free_port()
    environment = {key: value for key, value in os.environ.items() if key != "PROMETHEUS_MULTIPROC_DIR"}
    environment.update({"APP_ENV": "development", "RATE_LIMIT_MAX": "100000"})
    for name in ("MONGODB_URI", "REDIS_URL", "JWT_SECRET"):
        environment.pop(name, None)
    process = subprocess.Popen(
        [sys.executable, "-m", "app", "--host", "127.0.0.1", "--port", str(port), "--workers", "2"],
        cwd=REPO_ROOT,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + SAFETY_DEADLINE_SECONDS
        while True:
            try:
                if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the two-worker server did not start")
            time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=SAFETY_DEADLINE_SECONDS)


def test_request_counts_add_up_over_both_workers(two_workers: str) -> None:
    requests = 40
    for _ in range(requests):
        # A fresh connection each time, so the kernel spreads them over both workers.
        assert httpx.get(f"{two_workers}/api/health").status_code == 200
    metrics = httpx.get(f"{two_workers}/metrics").text
    counted = re.search(
        r'http_requests_total\{method="GET",route="/api/health",status="200"\} (\S+)', metrics
    )
    assert counted is not None
    assert float(counted.group(1)) == requests
