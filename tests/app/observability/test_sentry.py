"""Sentry is switched on by SENTRY_DSN alone, and never ships request bodies or personal data.

sentry_sdk.init() patches Starlette, FastAPI and the logging module for the whole process, and closing
the client does not undo that: the test that turns Sentry on runs in a process of its own.
"""

from __future__ import annotations

import json
import subprocess
import sys

from app.observability.sentry import init_sentry
from tests.app.live_server import REPO_ROOT, SAFETY_DEADLINE_SECONDS, clean_environment
from tests.app.taskapi_testing import make_settings

DSN = "https://publickey@o0.ingest.sentry.io/0"

# Prints the options of the client init_sentry() started, as JSON.
SENTRY_ON = f"""
import json, sentry_sdk
from app.observability.sentry import init_sentry
from app.settings import Settings
started = init_sentry(Settings(sentry_dsn={DSN!r}, app_env="development"))
options = sentry_sdk.get_client().options
print(json.dumps({{"started": started, **{{key: options[key] for key in (
    "dsn", "data_collection", "max_request_body_size", "environment")}}}}))
"""


def test_without_a_dsn_sentry_stays_off() -> None:
    assert init_sentry(make_settings()) is False


def test_with_a_dsn_sentry_starts_without_personal_data() -> None:
    result = subprocess.run(
        [sys.executable, "-c", SENTRY_ON],
        cwd=REPO_ROOT,
        env=clean_environment(),
        capture_output=True,
        text=True,
        timeout=SAFETY_DEADLINE_SECONDS,
        check=True,
    )
    options = json.loads(result.stdout)
    assert options["started"] is True
    assert options["dsn"] == DSN
    assert options["data_collection"]["user_info"] is False
    assert options["data_collection"]["http_bodies"] == []
    assert options["data_collection"]["stack_frame_variables"] is False
    assert options["max_request_body_size"] == "never"
    assert options["environment"] == "development"


# Serves a DSN on loopback, builds the app with it, lets a route fail, and prints what reached Sentry:
# the type of every envelope item and, for error events, the exception type and transaction name.
SENTRY_SINK = """
import asyncio, gzip, json, sys, threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
import httpx, sentry_sdk
from app.main import create_app
from app.settings import Settings

received = []

class Sink(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        if self.headers.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        lines = body.split(b"\\n")
        for header, payload in zip(lines[1::2], lines[2::2]):
            item = json.loads(header)
            if item["type"] == "event":
                event = json.loads(payload)
                item["exception"] = event["exception"]["values"][-1]["type"]
                item["transaction"] = event.get("transaction")
            received.append(item)
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass

server = ThreadingHTTPServer(("127.0.0.1", 0), Sink)
threading.Thread(target=server.serve_forever, daemon=True).start()
dsn = f"http://key@127.0.0.1:{server.server_port}/1"
app = create_app(Settings(
    sentry_dsn=dsn, sentry_traces_sample_rate=float(sys.argv[1]), jwt_secret="x" * 40, gc_tuning=False
))

@app.get("/api/fails")
async def fails() -> None:
    raise RuntimeError("route failed")

async def call() -> int:
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        return (await client.get("/api/fails")).status_code

status = asyncio.run(call())
sentry_sdk.flush()
print(json.dumps({"status": status, "items": [
    {key: item.get(key) for key in ("type", "exception", "transaction")} for item in received
]}))
"""


def _failing_request_with_sentry(traces_sample_rate: float) -> dict[str, object]:
    result = subprocess.run(
        [sys.executable, "-c", SENTRY_SINK, str(traces_sample_rate)],
        cwd=REPO_ROOT,
        env=clean_environment(),
        capture_output=True,
        text=True,
        timeout=SAFETY_DEADLINE_SECONDS,
        check=True,
    )
    reported: dict[str, object] = json.loads(result.stdout.splitlines()[-1])
    return reported


def test_an_unhandled_error_reaches_sentry_with_its_route_and_no_transaction_when_tracing_is_off() -> None:
    reported = _failing_request_with_sentry(0.0)
    assert reported["status"] == 500
    items = reported["items"]
    assert isinstance(items, list)
    events = [item for item in items if item["type"] == "event"]
    assert events == [{"type": "event", "exception": "RuntimeError", "transaction": "/api/fails"}]
    assert not [item for item in items if item["type"] == "transaction"]


def test_a_traces_sample_rate_above_zero_sends_the_request_transaction() -> None:
    reported = _failing_request_with_sentry(1.0)
    items = reported["items"]
    assert isinstance(items, list)
    assert [item["type"] for item in items if item["type"] in {"event", "transaction"}] == [
        "event",
        "transaction",
    ]
