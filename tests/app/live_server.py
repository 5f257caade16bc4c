"""``python -m app`` as a real process on a free port, the way an operator or the image starts it."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from tests.app.taskapi_testing import free_port

REPO_ROOT = Path(__file__).resolve().parents[2]
SAFETY_DEADLINE_SECONDS = 60
# Long enough for a clean shutdown of an idle API, short enough not to slow the suite when one hangs.
STOP_GRACE_SECONDS = 10
_SERVICE_VARIABLES = (
    "MONGODB_URI",
    "REDIS_URL",
    "JWT_SECRET",
    "SENTRY_DSN",
    "MONGODB_URI_FILE",
    "REDIS_URL_FILE",
    "JWT_SECRET_FILE",
    "SENTRY_DSN_FILE",
    "APP_ENV",
    "PORT",
    "WEB_CONCURRENCY",
    "PROMETHEUS_MULTIPROC_DIR",
    "METRICS_PORT",
    "DOCS_ENABLED",
    "HOST",
)


def clean_environment(**values: str) -> dict[str, str]:
    """The caller's environment without any service settings, plus ``values``."""
    environment = {key: value for key, value in os.environ.items() if key not in _SERVICE_VARIABLES}
    environment.update(values)
    return environment


def run_until_exit(**values: str) -> subprocess.CompletedProcess[str]:
    """``python -m app`` with ``values`` as its settings, for a start that must stop on its own."""
    return subprocess.run(
        [sys.executable, "-m", "app"],
        cwd=REPO_ROOT,
        env=clean_environment(**values),
        capture_output=True,
        text=True,
        timeout=SAFETY_DEADLINE_SECONDS,
        check=False,
    )


@contextmanager
def running_api(
    workers: int = 1, data_dir: str = "", **values: str
) -> Iterator[tuple[subprocess.Popen[str], int]]:
    """Start the API, wait until /health answers, and yield the process (stdout piped) and its port.

    Without MONGODB_URI in ``values`` it runs on its embedded MongoDB server: in memory, or with its
    data in the folder ``data_dir``. The metrics listener gets a free port too, unless METRICS_PORT is
    among ``values``."""
    port = free_port()
    values.setdefault("METRICS_PORT", str(free_port()))
    storage = ["--data-dir", data_dir] if data_dir else ["--ephemeral"]
    process = subprocess.Popen(
        [sys.executable, "-m", "app", "--port", str(port), "--workers", str(workers), *storage],
        cwd=REPO_ROOT,
        env=clean_environment(APP_ENV="development", **values),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # its own process group, so the workers can be stopped with it
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
                os.killpg(process.pid, signal.SIGKILL)
                output = process.stdout.read() if process.stdout else ""
                raise RuntimeError(f"the API did not start:\n{output}")
            time.sleep(0.1)
        yield process, port
    finally:
        stop(process)


def stop(process: subprocess.Popen[str]) -> None:
    """Stop the API and every process it started: a SIGKILL to the supervisor alone orphans its workers."""
    if process.poll() is None:
        process.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=STOP_GRACE_SECONDS)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)  # whatever is left of the group
    process.wait(timeout=SAFETY_DEADLINE_SECONDS)
    if process.stdout is not None:
        process.stdout.close()
