"""/metrics counts requests by route template, never by raw path."""

from __future__ import annotations

import httpx

from tests.app.taskapi_testing import Account


async def test_requests_are_counted_by_route_template(client: httpx.AsyncClient, alice: Account) -> None:
    await client.get("/api/tasks/6b05f4a2c7d8aafed5657d28", headers=alice.headers)
    await client.get("/api/tasks/not-an-id", headers=alice.headers)
    metrics = (await client.get("/metrics")).text
    assert 'http_requests_total{method="GET",route="/api/tasks/{id}",status="404"}' in metrics
    assert "not-an-id" not in metrics
    assert "6b05f4a2c7d8aafed5657d28" not in metrics
    assert 'http_request_duration_seconds_bucket{le="0.005",method="GET",route="/api/tasks/{id}"}' in metrics


async def test_unmatched_paths_share_one_label(client: httpx.AsyncClient) -> None:
    await client.get("/wp-admin/setup.php")
    metrics = (await client.get("/metrics")).text
    assert 'route="<unmatched>"' in metrics
    assert "wp-admin" not in metrics


async def test_metrics_are_prometheus_text(client: httpx.AsyncClient) -> None:
    response = await client.get("/metrics")
    assert response.headers["Content-Type"].startswith("text/plain")
    assert "# TYPE http_requests_total counter" in response.text
