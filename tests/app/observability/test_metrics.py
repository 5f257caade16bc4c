"""Metrics count requests by route template, never by raw path; the API's port does not serve them."""

from __future__ import annotations

import httpx

from tests.app.taskapi_testing import Account, exposed_metrics


async def test_requests_are_counted_by_route_template(client: httpx.AsyncClient, alice: Account) -> None:
    await client.get("/api/tasks/6b05f4a2c7d8aafed5657d28", headers=alice.headers)
    await client.get("/api/tasks/not-an-id", headers=alice.headers)
    metrics = exposed_metrics()
    assert 'http_requests_total{method="GET",route="/api/tasks/{id}",status="404"}' in metrics
    assert "not-an-id" not in metrics
    assert "6b05f4a2c7d8aafed5657d28" not in metrics
    assert 'http_request_duration_seconds_bucket{le="0.005",method="GET",route="/api/tasks/{id}"}' in metrics


async def test_unmatched_paths_share_one_label(client: httpx.AsyncClient) -> None:
    await client.get("/wp-admin/setup.php")
    metrics = exposed_metrics()
    assert 'route="<unmatched>"' in metrics
    assert "wp-admin" not in metrics


async def test_the_api_port_does_not_serve_metrics(client: httpx.AsyncClient) -> None:
    assert (await client.get("/metrics")).status_code == 404
