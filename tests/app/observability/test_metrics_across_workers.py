"""With several worker processes, /metrics answers for all of them (prometheus multiprocess mode)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import httpx
import pytest

from tests.app.live_server import running_api

pytestmark = pytest.mark.slow


@pytest.fixture
def two_workers() -> Iterator[str]:
    with running_api(workers=2, RATE_LIMIT_MAX="100000") as (_, port):
        yield f"http://127.0.0.1:{port}"


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
