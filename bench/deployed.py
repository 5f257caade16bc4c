"""The task API served as production serves it, on loopback, and one measured load run against it.

As deployed: Sentry on (its DSN points at a local sink), ``WEB_CONCURRENCY`` workers (2 in
production), JSON log lines at info level for every request, Redis for the rate limit and the
profile cache, and the store ``python -m app`` uses when no ``MONGODB_URI`` is given.
"""

from __future__ import annotations

import json
import os
import secrets
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, suppress
from dataclasses import dataclass, replace
from pathlib import Path

import httpx

from bench.callers import browser_origin, prod_cors_origins
from bench.fixed_store import fixed_task_id
from bench.processes import BenchError, free_port, running
from bench.served_app import FIXED_STORE_ENV
from bench.served_cpu import cpu_seconds, worker_pids
from bench.wrk import Result, Scenario, run_wrk

SEEDED_TASKS = 40
PAGE = 20


@dataclass(frozen=True)
class Server:
    name: str
    base_url: str
    pid: int
    port: int
    log: Path
    # Where the server answers /metrics (python -m app serves it on a port of its own).
    metrics_url: str | None = None


@dataclass(frozen=True)
class Seeded:
    token: str
    task_id: str


def deployed_environment(redis_url: str, sentry_dsn: str, workers: int, rate_limit: int) -> dict[str, str]:
    """The environment of a production pod, pointed at loopback services; MONGODB_URI left unset."""
    # The image runs compiled bytecode. Compiling every module at every start instead (this machine's
    # shells set PYTHONDONTWRITEBYTECODE) holds a starting worker's GIL long enough on a loaded machine
    # for uvicorn to take it for hung and restart it, again and again.
    unset = {"MONGODB_URI", "PYTHONDONTWRITEBYTECODE"}
    env = {key: value for key, value in os.environ.items() if key not in unset}
    env |= {
        "APP_ENV": "development",  # only picks which settings are refused; the served code is the same
        "JWT_SECRET": secrets.token_urlsafe(48),
        "WEB_CONCURRENCY": str(workers),
        "LOG_LEVEL": "info",
        "REDIS_URL": redis_url,
        "SENTRY_DSN": sentry_dsn,
        # High, so the figures measure work rather than 429 answers; every request still counts in Redis.
        "RATE_LIMIT_MAX": str(rate_limit),
        "CORS_ORIGINS": ",".join(prod_cors_origins()),
    }
    return env


@contextmanager
def served_api(
    name: str,
    directory: Path,
    env: Mapping[str, str],
    *,
    fixed_store: bool = False,
) -> Iterator[Server]:
    """``python -m app`` (through ``bench.api_server``) on a free port until the block ends."""
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    metrics_port = free_port()
    env = dict(env) | {FIXED_STORE_ENV: "1" if fixed_store else "0", "METRICS_PORT": str(metrics_port)}
    # In memory: each run starts from an empty store and leaves no data folder behind.
    command = [
        sys.executable,
        "-m",
        "bench.api_server",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--ephemeral",
    ]
    log = directory / f"{name.replace(' ', '_')}.log"
    with running(command, f"{base_url}/health", log, env) as process:
        yield Server(name, base_url, process.pid, port, log, f"http://127.0.0.1:{metrics_port}")


def seed(server: Server, email: str) -> Seeded:
    """A user with tasks to page through and a warm profile cache."""
    with httpx.Client(base_url=server.base_url, timeout=30) as client:
        user = {"name": "Bench User", "email": email, "password": "bench-password"}
        signup = client.post("/api/auth/signup", json=user)
        signup.raise_for_status()
        token: str = signup.json()["token"]
        auth = {"Authorization": f"Bearer {token}"}
        created = [
            client.post("/api/tasks", json={"title": f"Seeded task {number}"}, headers=auth)
            for number in range(SEEDED_TASKS)
        ]
        for response in created:
            response.raise_for_status()
        client.get("/api/auth/profile", headers=auth).raise_for_status()
        page = client.get("/api/tasks", params={"limit": PAGE}, headers=auth)
        page.raise_for_status()
        if len(page.json()) != PAGE:
            raise BenchError(f"{server.name}: GET /api/tasks returned {len(page.json())} tasks, not {PAGE}")
        return Seeded(token, str(created[0].json()["_id"]))


def scenarios(seeded: Seeded, *, fixed_store: bool) -> dict[str, Scenario]:
    """The four routes the benchmark compares, by short name."""
    task_id = fixed_task_id(0) if fixed_store else seeded.task_id
    new_task = json.dumps({"title": "Benchmark task", "description": "created by wrk", "priority": "high"})
    change = json.dumps({"status": "in-progress", "description": "updated by wrk"})
    caller = {"token": seeded.token, "origin": browser_origin()}
    return {
        "profile": Scenario("GET /api/auth/profile (cache hit)", "/api/auth/profile", **caller),
        "list": Scenario(f"GET /api/tasks (page of {PAGE})", f"/api/tasks?page=1&limit={PAGE}", **caller),
        "create": Scenario("POST /api/tasks", "/api/tasks", method="POST", body=new_task, **caller),
        "update": Scenario(
            "PUT /api/tasks/{id}", f"/api/tasks/{task_id}", method="PUT", body=change, **caller
        ),
    }


def measured_run(
    server: Server, scenario: Scenario, directory: Path, *, threads: int, connections: int, seconds: int
) -> Result:
    """One wrk run, with the CPU seconds the server's workers spent per request answered."""
    workers = worker_pids(server.pid, server.port)
    before = cpu_seconds(workers)
    result = run_wrk(
        server.base_url, scenario, directory, threads=threads, connections=connections, seconds=seconds
    )
    spent = cpu_seconds(workers) - before
    return replace(result, cpu_us_per_request=spent / max(result.requests, 1) * 1e6)


def redis_fallbacks(server: Server) -> int:
    """Requests that fell back from Redis: above 0, the figures are not all cache hits."""
    metrics = httpx.get(f"{server.metrics_url or server.base_url}/metrics", timeout=10).text
    samples = [line for line in metrics.splitlines() if line.startswith("taskapi_redis_fallback_total{")]
    return sum(int(float(line.rsplit(" ", 1)[1])) for line in samples)


def json_log_lines(server: Server, first: int = 1000) -> tuple[int, int]:
    """Of the server's first output lines (startup and the first requests), how many, and how many JSON."""
    lines: list[str] = []
    with server.log.open(errors="replace") as log:
        for line in log:
            if line.strip():
                lines.append(line)
            if len(lines) == first:
                break
    parsed = 0
    for line in lines:
        with suppress(ValueError):
            parsed += isinstance(json.loads(line), dict)
    return len(lines), parsed
