"""The body limit against a real server: what it may leave uncounted, the server has framed already."""

from __future__ import annotations

import re
import socket
import subprocess

import pytest

from app.web.body_limit import MAX_BODY_BYTES

pytestmark = pytest.mark.slow


def _exchange(port: int, request: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
        connection.sendall(request)
        received = b""
        while chunk := connection.recv(65536):
            received += chunk
        return received


def test_bytes_past_the_content_length_are_never_read_as_body(
    live_api: tuple[subprocess.Popen[str], int],
) -> None:
    # The middleware counts only chunked bodies and trusts a declared length: the server reads that
    # many bytes of body, and what follows is the next request, not more body.
    _, port = live_api
    login = b"POST /api/auth/login HTTP/1.1\r\nHost: api\r\nContent-Type: application/json\r\n"
    smuggled = b"GET /health HTTP/1.1\r\nHost: api\r\nConnection: close\r\n\r\n"
    received = _exchange(port, login + b"Content-Length: 2\r\n\r\n{}" + smuggled)
    # Two answers back to back (a body ends without a line break): the login's 400, then /health's 200.
    assert re.findall(rb"HTTP/1\.1 (\d{3}) ", received) == [b"400", b"200"]


def test_a_chunked_body_over_the_limit_is_a_413(live_api: tuple[subprocess.Popen[str], int]) -> None:
    _, port = live_api
    chunk = b"x" * 65536
    chunks = b"".join(b"%x\r\n%s\r\n" % (len(chunk), chunk) for _ in range(MAX_BODY_BYTES // len(chunk) + 1))
    head = b"POST /api/auth/login HTTP/1.1\r\nHost: api\r\nContent-Type: application/json\r\n"
    received = _exchange(
        port, head + b"Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n" + chunks + b"0\r\n\r\n"
    )
    assert received.split(b"\r\n", 1)[0] == b"HTTP/1.1 413 Request Entity Too Large"
