"""``python -m app`` as an operator runs it: a real uvicorn process, configuration errors, SIGTERM."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.app.taskapi_testing import free_port

REPO_ROOT = Path(__file__).resolve().parents[2]
SAFETY_DEADLINE_SECONDS = 60

pytestmark = pytest.mark.slow


def _environment(**values: str) -> dict[str, str]:
    names = ("MONGODB_URI", "REDIS_URL", "JWT_SECRET", "SENTRY_DSN", "APP_ENV", "PORT", "WEB_CONCURRENCY")
    environment = {key: value for key, value in os.environ.items() if key not in names}
    environment.update(values)
    return environment


def _run(**values: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "app"],
        cwd=REPO_ROOT,
        env=_environment(**values),
        capture_output=True,
        text=True,
        timeout=SAFETY_DEADLINE_SECONDS,
        check=False,
    )


def test_production_with_a_short_secret_refuses_to_start_and_says_why() -> None:
    result = _run(APP_ENV="production", JWT_SECRET="short-but-private")
    assert result.returncode == 2
    assert "JWT_SECRET is 17 bytes" in result.stderr
    assert "at least 32 bytes" in result.stderr
    assert "Traceback" not in result.stderr
    assert "short-but-private" not in result.stderr + result.stdout


def test_production_without_a_secret_refuses_to_start() -> None:
    result = _run(APP_ENV="production")
    assert result.returncode == 2
    assert "JWT_SECRET is a known default" in result.stderr


def test_an_invalid_port_is_named() -> None:
    result = _run(PORT="eighty")
    assert result.returncode == 2
    assert "PORT" in result.stderr


@pytest.fixture
def server() -> Iterator[tuple[subprocess.Popen[str], int]]:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "app", "--host", "127.0.0.1", "--port", str(port), "--workers", "1"],
        cwd=REPO_ROOT,
        env=_environment(APP_ENV="development"),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + SAFETY_DEADLINE_SECONDS
        while True:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(
                    f"the server did not start:\n{process.stdout.read() if process.stdout else ''}"
                )
            time.sleep(0.1)
        yield process, port
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=SAFETY_DEADLINE_SECONDS)


def _read_until(connection: socket.socket, marker: bytes) -> bytes:
    received = b""
    while marker not in received:
        chunk = connection.recv(65536)
        if not chunk:
            break
        received += chunk
    return received


def test_sigterm_lets_the_request_in_flight_finish(server: tuple[subprocess.Popen[str], int]) -> None:
    process, port = server
    assert process.stdout is not None
    body = b'{"name": "Drain", "email": "drain@example.com", "password": "secret1"}'
    with socket.create_connection(("127.0.0.1", port), timeout=SAFETY_DEADLINE_SECONDS) as connection:
        # Expect: 100-continue makes the server say when the app starts reading the body: from then on
        # the request is in flight, and it stays so until we send the body.
        connection.sendall(
            b"POST /api/auth/signup HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            b"Expect: 100-continue\r\nContent-Length: " + str(len(body)).encode() + b"\r\n\r\n"
        )
        assert b"100 Continue" in _read_until(connection, b"\r\n\r\n")

        process.send_signal(signal.SIGTERM)
        for line in process.stdout:
            if "Shutting down" in line:
                break
        assert process.poll() is None

        connection.sendall(body)
        response = _read_until(connection, b'"token"')
    assert response.startswith(b"HTTP/1.1 201")
    assert b'"email":"drain@example.com"' in response
    # uvicorn re-raises the signal after a clean shutdown, so the exit status is "terminated by SIGTERM".
    assert process.wait(timeout=SAFETY_DEADLINE_SECONDS) in (0, -signal.SIGTERM)
    assert "task API stopped" in process.stdout.read()
