"""A local Sentry: a DSN on loopback whose envelopes the test reads back."""

from __future__ import annotations

import gzip
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest


@dataclass
class SentrySink:
    """What reached the sink: one entry per envelope item, its header with its payload under "payload"."""

    dsn: str
    items: list[dict[str, Any]] = field(default_factory=list)

    def of_type(self, item_type: str) -> list[dict[str, Any]]:
        return [item for item in self.items if item["type"] == item_type]


def _envelope_items(body: bytes) -> list[dict[str, Any]]:
    # An envelope: its own header line, then a header line and a payload line per item.
    lines = body.split(b"\n")
    items = []
    for header, payload in zip(lines[1::2], lines[2::2], strict=False):
        item: dict[str, Any] = json.loads(header)
        item["payload"] = json.loads(payload) if payload.startswith(b"{") else payload.decode()
        items.append(item)
    return items


@pytest.fixture
def sentry_sink() -> Iterator[SentrySink]:
    """A Sentry ingest endpoint on a free loopback port, so a test's Sentry sends nowhere else."""
    sink = SentrySink(dsn="")
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            if self.headers.get("Content-Encoding") == "gzip":
                body = gzip.decompress(body)
            with lock:
                sink.items.extend(_envelope_items(body))
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    sink.dsn = f"http://test-public-key@127.0.0.1:{server.server_address[1]}/1"
    thread = threading.Thread(target=server.serve_forever, name="sentry-sink", daemon=True)
    thread.start()
    try:
        yield sink
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
