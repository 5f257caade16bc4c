"""``python -m tests.app.telemetry_probe``: one bad signup through the app under OpenTelemetry's SDK.

Prints, as JSON, the status and what FastAPI's own hooks recorded: spans, metric names, log records.
A process of its own, because OpenTelemetry's providers are process-wide and can be set only once.
"""

from __future__ import annotations

import asyncio
import json

import httpx
from asgi_lifespan import LifespanManager
from opentelemetry import _logs, metrics, trace
from opentelemetry.sdk._logs import LoggerProvider
from opentelemetry.sdk._logs.export import InMemoryLogRecordExporter, SimpleLogRecordProcessor
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import InMemoryMetricReader
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

SPANS = InMemorySpanExporter()
LOG_RECORDS = InMemoryLogRecordExporter()  # type: ignore[no-untyped-call]
METRIC_READER = InMemoryMetricReader()


def install_providers() -> None:
    tracer_provider = TracerProvider()
    tracer_provider.add_span_processor(SimpleSpanProcessor(SPANS))
    trace.set_tracer_provider(tracer_provider)
    metrics.set_meter_provider(MeterProvider(metric_readers=[METRIC_READER]))
    logger_provider = LoggerProvider()
    logger_provider.add_log_record_processor(SimpleLogRecordProcessor(LOG_RECORDS))
    _logs.set_logger_provider(logger_provider)


async def probe() -> dict[str, object]:
    from app.main import create_app  # after the providers, as an instrumented process starts
    from app.settings import Settings

    app = create_app(Settings())
    async with LifespanManager(app) as manager:
        transport = httpx.ASGITransport(app=manager.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://api") as client:
            response = await client.post("/api/auth/signup", json={"name": "A"})
    data = METRIC_READER.get_metrics_data()
    resource_metrics = data.resource_metrics if data is not None else []
    return {
        "status": response.status_code,
        "spans": [span.name for span in SPANS.get_finished_spans()],
        "metrics": [
            metric.name for rm in resource_metrics for sm in rm.scope_metrics for metric in sm.metrics
        ],
        "logs": [str(record.log_record.body) for record in LOG_RECORDS.get_finished_logs()],
    }


if __name__ == "__main__":
    install_providers()
    print(json.dumps(asyncio.run(probe())))
