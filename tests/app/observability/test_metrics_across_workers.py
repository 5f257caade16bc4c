"""With several worker processes, the metrics listener answers for all of them (prometheus multiprocess
mode), on its own port: the API's port has no /metrics."""

from __future__ import annotations

import re
from collections.abc import Iterator

import httpx
import pytest

from tests.app.live_server import running_api
from tests.app.taskapi_testing import free_port

pytestmark = pytest.mark.slow


@pytest.fixture
def two_workers() -> Iterator[tuple[str, str]]:
    """The API's and the metrics listener's base URLs."""
    metrics_port = free_port()
    with running_api(workers=2, RATE_LIMIT_MAX="100000", METRICS_PORT=str(metrics_port)) as (_, port):
        yield f"http://127.0.0.1:{port}", f"http://127.0.0.1:{metrics_port}"


def test_request_counts_add_up_over_both_workers(two_workers: tuple[str, str]) -> None:
    api, metrics_listener = two_workers
    requests = 40
    for _ in range(requests):
        # A fresh connection each time, so the kernel spreads them over both workers.
        assert httpx.get(f"{api}/api/health").status_code == 200
    assert httpx.get(f"{api}/metrics").status_code == 404
    metrics = httpx.get(f"{metrics_listener}/metrics").text
    counted = re.search(
        r'http_requests_total\{method="GET",route="/api/health",status="200"\} (\S+)', metrics
    )
    assert counted is not None
    assert float(counted.group(1)) == requests
