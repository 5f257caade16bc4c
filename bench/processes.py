"""The processes a benchmark run needs on loopback: redis-server, the task API, the floor app."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

import httpx

REPO_ROOT = Path(__file__).resolve().parents[1]
START_DEADLINE_SECONDS = 90.0


class BenchError(RuntimeError):
    """A run that cannot go ahead; the message says what is missing."""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def require_binary(name: str, package: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BenchError(f"{name} is not installed (apt-get install {package})")
    return path


@contextmanager
def running(
    command: Sequence[str], ready_url: str, log_path: Path, env: Mapping[str, str] | None = None
) -> Iterator[subprocess.Popen[bytes]]:
    """Start ``command``, wait until ``ready_url`` answers 200, stop it with SIGTERM on exit."""
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            list(command), cwd=REPO_ROOT, env=dict(env or os.environ), stdout=log, stderr=subprocess.STDOUT
        )
        try:
            _wait_until_ready(process, ready_url, log_path)
            yield process
        finally:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _wait_until_ready(process: subprocess.Popen[bytes], url: str, log_path: Path) -> None:
    deadline = time.monotonic() + START_DEADLINE_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise BenchError(f"{process.args!r} exited with {process.returncode}:\n{log_path.read_text()}")
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise BenchError(f"{url} did not answer within {START_DEADLINE_SECONDS:.0f} s:\n{log_path.read_text()}")


@contextmanager
def redis_server(directory: Path) -> Iterator[str]:
    """A throw-away redis-server on a free loopback port; yields its URL."""
    binary = require_binary("redis-server", "redis-server")
    port = free_port()
    command = [binary, "--port", str(port), "--bind", "127.0.0.1", "--dir", str(directory), "--save", ""]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_for_port(port, process)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(timeout=10)


def _wait_for_port(port: int, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + START_DEADLINE_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise BenchError(f"redis-server exited with {process.returncode}")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise BenchError(f"redis-server did not listen on port {port}")


def floor_command(port: int, workers: int) -> list[str]:
    """uvicorn with the settings ``python -m app`` passes, so only the application differs."""
    return [
        sys.executable, "-m", "uvicorn", "bench.floor:app",
        "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers),
        "--no-access-log", "--no-server-header", "--no-proxy-headers", "--log-level", "warning",
    ]  # fmt: skip
