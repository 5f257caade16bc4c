"""Sentry is switched on by SENTRY_DSN alone, never ships request bodies or personal data, and names
what it reports by the route a reader knows (``/api/tasks/{id}``).

sentry_sdk.init() patches Starlette, FastAPI and the logging module for the whole process, and closing
the client does not undo that: every test that turns Sentry on runs the app in a process of its own,
pointed at the local sink of the ``sentry_sink`` fixture.
"""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

from app.observability.sentry import init_sentry
from tests.app.live_server import REPO_ROOT, SAFETY_DEADLINE_SECONDS, clean_environment
from tests.app.observability.conftest import SentrySink
from tests.app.taskapi_testing import make_settings

# Prints the options of the client init_sentry() started, as JSON.
SENTRY_ON = """
import json, sys, sentry_sdk
from app.observability.sentry import init_sentry
from app.settings import Settings
started = init_sentry(Settings(sentry_dsn=sys.argv[1], app_env="development"))
options = sentry_sdk.get_client().options
print(json.dumps({"started": started, "integrations": sorted(sentry_sdk.get_client().integrations),
    **{key: options[key] for key in (
    "dsn", "data_collection", "max_request_body_size", "environment", "traces_sample_rate")}}))
"""

# Builds the app with Sentry at the DSN and traces sample rate given, adds a route that fails, GETs
# each path given and prints the statuses; what reached Sentry the sink has.
REQUESTS = """
import asyncio, json, logging, sys
import httpx, sentry_sdk
from fastapi import Depends
from app.main import create_app
from app.settings import Settings
from app.tasks.router import TASK_PATH

dsn, rate, paths = sys.argv[1], float(sys.argv[2]), sys.argv[3:]
app = create_app(
    Settings(sentry_dsn=dsn, sentry_traces_sample_rate=rate, jwt_secret="x" * 40, gc_tuning=False)
)

@app.get("/api/fails")
async def fails() -> None:
    raise RuntimeError("route failed")

@app.get("/api/fails" + TASK_PATH)
async def fails_on_a_task(id: str) -> None:
    raise RuntimeError("route failed")

async def failing_dependency() -> None:
    raise LookupError("dependency failed")

@app.get("/api/fails/dependency" + TASK_PATH, dependencies=[Depends(failing_dependency)])
async def fails_in_its_dependency(id: str) -> None:
    pass

@app.get("/api/logs" + TASK_PATH)
async def logs_an_error(id: str) -> dict[str, str]:
    logging.getLogger("app.test").info("about to go wrong")
    logging.getLogger("app.test").error("something went wrong")
    return {"ok": "yes"}

async def call() -> list[int]:
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        return [(await client.get(path)).status_code for path in paths]

statuses = asyncio.run(call())
sentry_sdk.flush()
print(json.dumps(statuses))
"""


def _run(script: str, *args: str, **environment: str) -> Any:
    result = subprocess.run(
        [sys.executable, "-c", script, *args],
        cwd=REPO_ROOT,
        env=clean_environment(**environment),
        capture_output=True,
        text=True,
        timeout=SAFETY_DEADLINE_SECONDS,
        check=True,
    )
    return json.loads(result.stdout.splitlines()[-1])


def _requests(sink: SentrySink, traces_sample_rate: float, *paths: str, **environment: str) -> list[int]:
    statuses: list[int] = _run(REQUESTS, sink.dsn, str(traces_sample_rate), *paths, **environment)
    return statuses


def _errors(sink: SentrySink) -> list[tuple[str, str]]:
    """(exception type, transaction name) of every error event received."""
    return [
        (item["payload"]["exception"]["values"][-1]["type"], item["payload"]["transaction"])
        for item in sink.of_type("event")
        if "exception" in item["payload"]
    ]


def test_without_a_dsn_sentry_stays_off() -> None:
    assert init_sentry(make_settings()) is False


def test_with_a_dsn_sentry_starts_without_personal_data(sentry_sink: SentrySink) -> None:
    options = _run(SENTRY_ON, sentry_sink.dsn)
    assert options["started"] is True
    assert options["dsn"] == sentry_sink.dsn
    assert options["data_collection"]["user_info"] is False
    assert options["data_collection"]["http_bodies"] == []
    assert options["data_collection"]["stack_frame_variables"] is False
    assert options["max_request_body_size"] == "never"
    assert options["environment"] == "development"
    assert options["traces_sample_rate"] == 0.0
    # The defaults only: the web part is Sentry's ASGI middleware around the app, and nothing instruments
    # each database or Redis command.
    assert {"logging", "excepthook", "atexit", "dedupe"} <= set(options["integrations"])
    assert not {"starlette", "fastapi", "pymongo", "redis", "httpx", "boto3"} & set(options["integrations"])


def test_an_unhandled_error_reaches_sentry_with_its_route_and_no_transaction_when_tracing_is_off(
    sentry_sink: SentrySink,
) -> None:
    assert _requests(sentry_sink, 0.0, "/api/fails") == [500]
    assert _errors(sentry_sink) == [("RuntimeError", "/api/fails")]
    assert sentry_sink.of_type("transaction") == []


def test_a_traces_sample_rate_above_zero_sends_the_request_transaction(sentry_sink: SentrySink) -> None:
    assert _requests(sentry_sink, 1.0, "/api/fails") == [500]
    assert _errors(sentry_sink) == [("RuntimeError", "/api/fails")]
    assert [item["payload"]["transaction"] for item in sentry_sink.of_type("transaction")] == ["/api/fails"]


def test_a_task_route_is_named_by_its_template_not_its_path_convertor(sentry_sink: SentrySink) -> None:
    # Unauthenticated: 401 before any store is needed, and still a traced request of the route.
    statuses = _requests(sentry_sink, 1.0, "/api/tasks/5f0c6a0e8a3b2a1d4c9e7f10", "/api/fails/abc")
    assert statuses == [401, 500]
    transactions = [item["payload"] for item in sentry_sink.of_type("transaction")]
    assert [(event["transaction"], event["transaction_info"]["source"]) for event in transactions] == [
        ("/api/tasks/{id}", "route"),
        ("/api/fails/{id}", "route"),
    ]
    assert _errors(sentry_sink) == [("RuntimeError", "/api/fails/{id}")]


def test_release_health_sessions_reach_sentry_under_the_release_the_chart_sets(
    sentry_sink: SentrySink,
) -> None:
    statuses = _requests(sentry_sink, 0.0, "/api/health", "/api/fails", SENTRY_RELEASE="taskapi@1.4.2")
    assert statuses == [200, 500]
    assert {item["payload"]["attrs"]["release"] for item in sentry_sink.of_type("sessions")} == {
        "taskapi@1.4.2"
    }
    # One aggregate per flush: the requests counted, the failing one as errored.
    aggregates = [
        bucket for item in sentry_sink.of_type("sessions") for bucket in item["payload"]["aggregates"]
    ]
    assert sum(bucket.get("exited", 0) for bucket in aggregates) == 1
    assert sum(bucket.get("errored", 0) for bucket in aggregates) == 1


def test_errors_raised_in_a_dependency_or_logged_by_a_route_carry_its_template(
    sentry_sink: SentrySink,
) -> None:
    statuses = _requests(sentry_sink, 0.0, "/api/fails/dependency/abc", "/api/logs/abc")
    assert statuses == [500, 200]
    assert _errors(sentry_sink) == [("LookupError", "/api/fails/dependency/{id}")]
    (logged,) = [
        item["payload"] for item in sentry_sink.of_type("event") if "exception" not in item["payload"]
    ]
    assert (logged["logentry"]["message"], logged["transaction"]) == (
        "something went wrong",
        "/api/logs/{id}",
    )
    # The request's own earlier log lines ride along as breadcrumbs; the access lines of the requests
    # before it do not.
    assert [crumb["message"] for crumb in logged["breadcrumbs"]["values"]] == ["about to go wrong"]


def test_an_error_event_carries_the_request_but_no_personal_data(sentry_sink: SentrySink) -> None:
    assert _requests(sentry_sink, 0.0, "/api/fails?page=2") == [500]
    (event,) = [item["payload"] for item in sentry_sink.of_type("event")]
    request = event["request"]
    # The request's line and headers; never its body, cookies or user.
    assert sorted(request) == ["headers", "method", "query_string", "url"]
    assert (request["method"], request["url"], request["query_string"]) == (
        "GET",
        "http://test/api/fails",
        "page=2",
    )
    assert "user" not in event
    # The line the error handler logs carries the exception; the same error caught on its way out
    # is the same event, not a second one.
    assert (event["logger"], event["exception"]["values"][-1]["mechanism"]["type"]) == (
        "app.web.error_handlers",
        "logging",
    )
