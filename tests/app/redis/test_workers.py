"""The limit holds across worker processes: the real server, two workers, one Redis."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from redis.asyncio import Redis

from app.redis.windows import KEY_PREFIX
from tests.app.redis.redis_server import RedisServer, free_port

LIMIT = 10
REQUESTS = 40
REPO_ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def two_workers(redis_server: RedisServer, tmp_path: Path) -> Iterator[str]:
    """``python -m app --workers 2`` against the test Redis; yields its base URL."""
    port = free_port()
    env = {
        **os.environ,
        "APP_ENV": "development",
        "REDIS_URL": redis_server.url,
        "RATE_LIMIT_MAX": str(LIMIT),
        "RATE_LIMIT_WINDOW_SECONDS": "900",
        "LOG_LEVEL": "warning",
    }
    env.pop("MONGODB_URI", None)
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    log = (tmp_path / "server.log").open("wb")
    server = subprocess.Popen(
        [sys.executable, "-m", "app", "--workers", "2", "--host", "127.0.0.1", "--port", str(port)],
        cwd=REPO_ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base_url = f"http://127.0.0.1:{port}"
    try:
        wait_until_serving(server, base_url, tmp_path / "server.log")
        yield base_url
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


def wait_until_serving(server: subprocess.Popen[bytes], base_url: str, log: Path) -> None:
    # /health is outside /api, so waiting spends none of the limit under test.
    for _ in range(600):
        if server.poll() is not None:
            pytest.fail(f"the server exited with {server.returncode}:\n{log.read_text()}")
        try:
            if httpx.get(f"{base_url}/health", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.05)
    pytest.fail(f"the server never answered /health:\n{log.read_text()}")


async def test_two_worker_processes_allow_exactly_the_limit_in_total(
    two_workers: str, redis_server: RedisServer
) -> None:
    async def one_request() -> int:
        # A fresh connection each time, so the kernel spreads the requests over both workers.
        async with httpx.AsyncClient(base_url=two_workers) as client:
            return (await client.get("/api/health")).status_code

    statuses = await asyncio.gather(*(one_request() for _ in range(REQUESTS)))
    assert statuses.count(200) == LIMIT
    assert statuses.count(429) == REQUESTS - LIMIT
    async with Redis.from_url(redis_server.url) as probe:
        assert int(await probe.get(f"{KEY_PREFIX}127.0.0.1") or 0) == REQUESTS
