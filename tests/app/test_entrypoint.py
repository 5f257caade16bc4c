"""``python -m app`` as an operator runs it: a real uvicorn process, configuration errors, SIGTERM."""

from __future__ import annotations

import signal
import socket
import subprocess
from pathlib import Path

import httpx
import pytest

from tests.app.live_server import (
    SAFETY_DEADLINE_SECONDS,
    run_until_exit,
    running_api,
)
from tests.app.taskapi_testing import free_port

pytestmark = pytest.mark.slow


def test_production_with_a_short_secret_refuses_to_start_and_says_why() -> None:
    result = run_until_exit(APP_ENV="production", JWT_SECRET="short-but-private")
    assert result.returncode == 2
    assert "JWT_SECRET is 17 bytes" in result.stderr
    assert "at least 32 bytes" in result.stderr
    assert "Traceback" not in result.stderr
    assert "short-but-private" not in result.stderr + result.stdout


def test_production_without_a_secret_refuses_to_start() -> None:
    result = run_until_exit(APP_ENV="production")
    assert result.returncode == 2
    assert "JWT_SECRET is a known default" in result.stderr


def test_production_without_mongodb_uri_refuses_to_start_and_names_the_variable() -> None:
    result = run_until_exit(APP_ENV="production", JWT_SECRET="k" * 32)
    assert result.returncode == 2
    assert (
        "MONGODB_URI is not set; APP_ENV=production needs a MongoDB connection string"
        " (set MONGODB_URI, or MONGODB_URI_FILE to a file holding it)"
    ) in result.stderr
    assert "Traceback" not in result.stderr


def test_an_invalid_port_is_named() -> None:
    result = run_until_exit(PORT="eighty")
    assert result.returncode == 2
    assert "PORT" in result.stderr


def _read_until(connection: socket.socket, marker: bytes) -> bytes:
    received = b""
    while marker not in received:
        chunk = connection.recv(65536)
        if not chunk:
            break
        received += chunk
    return received


def test_sigterm_lets_the_request_in_flight_finish(live_api: tuple[subprocess.Popen[str], int]) -> None:
    process, port = live_api
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


def test_metrics_on_the_api_port_are_refused() -> None:
    result = run_until_exit(PORT="8123", METRICS_PORT="8123")
    assert result.returncode == 2
    assert "METRICS_PORT and PORT are both 8123" in result.stderr


def test_one_worker_serves_metrics_on_their_own_port_only() -> None:
    metrics_port = free_port()
    with running_api(1, METRICS_PORT=str(metrics_port)) as (_, port):
        assert httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=10).status_code == 200
        assert httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=10).status_code == 404
        metrics = httpx.get(f"http://127.0.0.1:{metrics_port}/metrics", timeout=10).text
    assert 'http_requests_total{method="GET",route="/api/health",status="200"} 1.0' in metrics


def test_a_local_run_listens_on_loopback_only_by_default(live_api: tuple[subprocess.Popen[str], int]) -> None:
    process, port = live_api
    process.terminate()
    assert process.stdout is not None
    assert f"Uvicorn running on http://127.0.0.1:{port}" in process.stdout.read()


def test_without_mongodb_uri_the_data_survives_a_restart(tmp_path: Path) -> None:
    account = {"name": "Ada", "email": "ada@example.com", "password": "s3cret-pass"}
    data = tmp_path / "data"
    with running_api(data_dir=str(data)) as (process, port):
        signup = httpx.post(f"http://127.0.0.1:{port}/api/auth/signup", json=account, timeout=30)
        assert signup.status_code == 201
    with running_api(data_dir=str(data)) as (process, port):
        login = httpx.post(f"http://127.0.0.1:{port}/api/auth/login", json=account, timeout=30)
        process.terminate()
        assert process.stdout is not None
        output = process.stdout.read()
    assert login.status_code == 200
    assert f"started an embedded MongoDB server (SecantusDB) for this run, data in {data}" in output
