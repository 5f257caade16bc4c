"""The image's own HEALTHCHECK command, run as written in app/Dockerfile against a live API."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest

from tests.app.live_server import REPO_ROOT, SAFETY_DEADLINE_SECONDS
from tests.app.taskapi_testing import free_port

DOCKERFILE = REPO_ROOT / "app" / "Dockerfile"

pytestmark = pytest.mark.slow


def healthcheck_command() -> list[str]:
    text = DOCKERFILE.read_text().replace("\\\n", " ")
    match = re.search(r"^HEALTHCHECK\s.*?\bCMD\s+(\[.*\])\s*$", text, re.MULTILINE)
    assert match is not None, "app/Dockerfile has no exec-form HEALTHCHECK"
    command: list[str] = json.loads(match.group(1))
    return command


def _run_healthcheck(port: int) -> int:
    command = healthcheck_command()
    # The image's python is on PATH; here the test's interpreter plays its part.
    if command[0] == "python":
        command = [sys.executable, *command[1:]]
    environment = {**os.environ, "PORT": str(port)}
    return subprocess.run(command, env=environment, capture_output=True, timeout=30, check=False).returncode


def test_the_healthcheck_passes_against_a_running_api(live_api: tuple[subprocess.Popen[str], int]) -> None:
    assert _run_healthcheck(live_api[1]) == 0


def test_the_healthcheck_fails_when_nothing_answers() -> None:
    assert _run_healthcheck(free_port()) != 0


def test_the_image_runs_as_uid_10001_and_listens_on_8000() -> None:
    text = DOCKERFILE.read_text()
    assert re.search(r"^USER 10001:10001$", text, re.MULTILINE)
    assert re.search(r"^EXPOSE 8000$", text, re.MULTILINE)
    assert "--no-default-groups" in text  # runtime dependencies only: no Pulumi, no test tools


def test_the_image_listens_on_all_interfaces() -> None:
    # `python -m app` binds 127.0.0.1 unless HOST says otherwise; in a container that would be unreachable.
    text = DOCKERFILE.read_text().replace("\\\n", " ")
    assert re.search(r"^ENV\s.*\bHOST=0\.0\.0\.0\b", text, re.MULTILINE)


def test_the_image_installs_neither_the_embedded_mongodb_server_nor_mongomock() -> None:
    """SecantusDB is beta and GPL-2.0: a development dependency only. The image installs what this lists."""
    runtime = subprocess.run(
        ["uv", "export", "--frozen", "--no-default-groups", "--no-hashes", "--no-emit-project"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=SAFETY_DEADLINE_SECONDS,
        check=True,
    ).stdout
    packages = {line.split("==")[0] for line in runtime.splitlines() if "==" in line}
    assert {"fastapi", "pymongo", "uvicorn"} <= packages
    assert not packages & {"secantusdb", "mongomock"}
