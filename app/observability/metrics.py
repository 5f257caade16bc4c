"""Prometheus request count and latency by route template, correct with several worker processes.

With several workers, ``python -m app`` points PROMETHEUS_MULTIPROC_DIR at a fresh directory under /tmp
before the workers start; each worker then writes its samples there, and the metrics listener, which
``python -m app`` runs on METRICS_PORT in the supervising process, adds them up.
"""

from __future__ import annotations

import os

from prometheus_client import (
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    multiprocess,
    start_http_server,
)
from starlette.types import ASGIApp, Scope

from app.observability.response_observer import ResponseObserver

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"

# Module-level like every prometheus_client metric: a metric is process-wide, not per app instance.
REQUESTS = Counter("http_requests_total", "HTTP requests served", ["method", "route", "status"])
LATENCY = Histogram(
    "http_request_duration_seconds",
    "HTTP request latency",
    ["method", "route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)

# Paths that matched no route share one label, so scanners cannot blow up the label set.
UNMATCHED_ROUTE = "<unmatched>"


def metrics_registry() -> CollectorRegistry:
    """The registry to expose: the workers' samples summed when they share a directory, else this
    process's own."""
    if os.environ.get(MULTIPROC_ENV):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        return registry
    return REGISTRY


def serve_metrics(host: str, port: int) -> None:
    """Answer /metrics on a port of its own, from a daemon thread of this process: the API's port, the one
    the Ingress routes, never serves it.

    Raises:
        OSError: the port cannot be bound.
    """
    start_http_server(port, addr=host, registry=metrics_registry())


class MetricsMiddleware(ResponseObserver):
    def __init__(self, app: ASGIApp) -> None:
        super().__init__(app)
        # labels() validates and locks on every call; the children it returns live as long as their
        # metric, so each label combination is looked up once per process. The route templates, the
        # HTTP methods the server parses and the status codes bound the keys.
        self._counters: dict[tuple[str, str, str], Counter] = {}
        self._histograms: dict[tuple[str, str], Histogram] = {}

    def observe(self, scope: Scope, status: int, seconds: float) -> None:
        route = scope.get("route")
        # path_format: the template without its convertors ("/api/tasks/{id}", not "{id:task_id}").
        template = getattr(route, "path_format", None) or UNMATCHED_ROUTE
        method = str(scope["method"])
        counter_key = (method, template, str(status))
        counter = self._counters.get(counter_key)
        if counter is None:
            counter = self._counters[counter_key] = REQUESTS.labels(*counter_key)
        counter.inc()
        histogram = self._histograms.get((method, template))
        if histogram is None:
            histogram = self._histograms[method, template] = LATENCY.labels(method, template)
        histogram.observe(seconds)
