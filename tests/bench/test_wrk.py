"""A wrk scenario sends what the API's real callers send, and its figures come back from wrk's own run."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from bench.callers import ACCEPT_ENCODING
from bench.wrk import Scenario, run_wrk


class Recording(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as wrk expects
    seen: list[dict[str, str]] = []

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", "0"))
        self.seen.append(dict(self.headers.items()) | {"body": self.rfile.read(length).decode()})
        self.send_response(201)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def recording_server() -> Iterator[str]:
    Recording.seen = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), Recording)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_a_request_asks_for_compression_as_the_cdn_does_and_carries_its_origin(
    recording_server: str, tmp_path: Path
) -> None:
    scenario = Scenario(
        "create",
        "/api/tasks",
        method="POST",
        body='{"title":"t"}',
        token="abc.def",
        origin="https://a.example",
    )
    result = run_wrk(recording_server, scenario, tmp_path, threads=1, connections=1, seconds=1)
    assert result.requests > 0
    assert result.non_2xx == 0
    first = Recording.seen[0]
    assert first["Accept-Encoding"] == ACCEPT_ENCODING == "gzip, br"
    assert first["Authorization"] == "Bearer abc.def"
    assert first["Origin"] == "https://a.example"
    assert (first["Content-Type"], first["body"]) == ("application/json", '{"title":"t"}')
