"""A local stand-in for Sentry's ingest endpoint, so the API runs with Sentry on and sends nowhere else.

The SDK posts envelopes to ``/api/<project>/envelope/`` of the DSN's host; this answers each with 200
and keeps its body (unzipped), so a benchmark can say how many events the API sent and a test can read
them back.
"""

from __future__ import annotations

import gzip
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class SentrySink:
    dsn: str
    envelopes: list[bytes] = field(default_factory=list)  # each envelope's body, in the order received
    lock: threading.Lock = field(default_factory=threading.Lock)


@contextmanager
def sentry_sink(public_key: str = "bench-public-key") -> Iterator[SentrySink]:
    """A sink on a free loopback port for the duration of the block."""
    sink = SentrySink(dsn="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            if self.headers.get("Content-Encoding") == "gzip":
                body = gzip.decompress(body)
            with sink.lock:  # the server answers each envelope on a thread of its own
                sink.envelopes.append(body)
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"{}")

        def log_message(self, format: str, *args: object) -> None:
            pass  # the run's output is the figures, not one line per envelope

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    sink.dsn = f"http://{public_key}@127.0.0.1:{server.server_address[1]}/1"
    thread = threading.Thread(target=server.serve_forever, name="sentry-sink", daemon=True)
    thread.start()
    try:
        yield sink
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
