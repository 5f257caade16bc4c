"""Prometheus request count and latency by route template, correct with several worker processes.

With several workers, ``python -m app`` points PROMETHEUS_MULTIPROC_DIR at a fresh directory under /tmp
before the workers start; each worker then writes its samples there and any worker can answer
/metrics for all of them.
"""

from __future__ import annotations

import os

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
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


def render_metrics() -> tuple[bytes, str]:
    if os.environ.get(MULTIPROC_ENV):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        return generate_latest(registry), CONTENT_TYPE_LATEST
    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST


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
        template = getattr(route, "path", None) or UNMATCHED_ROUTE
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
