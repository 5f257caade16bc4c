"""``python -m app`` given its secrets as files: a bad file stops it with one line, and no secret it
reads ever shows in its output."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from app.auth.tokens import issue_token
from app.settings import Settings
from tests.app.live_server import (
    run_until_exit,
    running_api,
)
from tests.app.taskapi_testing import free_port

pytestmark = pytest.mark.slow

SENTINEL = "planted-5d0a77c3e1"


def planted_files(directory: Path) -> dict[str, str]:
    """A file with a sentinel-bearing value for each secret, and the _FILE variables naming them.

    MongoDB and Redis point at closed ports, so the API logs its failed attempts to reach them.
    """
    values = {
        "MONGODB_URI": f"mongodb://api:{SENTINEL}@127.0.0.1:{free_port()}/?serverSelectionTimeoutMS=200",
        "REDIS_URL": f"redis://:{SENTINEL}@127.0.0.1:{free_port()}/0",
        "JWT_SECRET": f"{SENTINEL}-" + "k" * 32,
        "SENTRY_DSN": f"https://{SENTINEL}@127.0.0.1:{free_port()}/1",
    }
    variables = {}
    for name, value in values.items():
        path = directory / name
        path.write_text(value)
        path.chmod(0o400)
        variables[f"{name}_FILE"] = str(path)
    return variables


def test_a_missing_secret_file_stops_the_api_with_one_line_naming_the_variable_and_path(
    tmp_path: Path,
) -> None:
    missing = tmp_path / "JWT_SECRET"

    result = run_until_exit(APP_ENV="production", JWT_SECRET_FILE=str(missing))

    assert result.returncode == 2
    assert result.stderr == (
        f"The task API cannot start: JWT_SECRET_FILE={missing}: cannot read the file "
        "(No such file or directory)\n"
    )


def test_a_planted_secret_shows_in_no_startup_error(tmp_path: Path) -> None:
    variables = planted_files(tmp_path)
    # A valid file for each, but the MongoDB URI also set as a plain variable: refused before any is used.
    result = run_until_exit(APP_ENV="production", MONGODB_URI=f"mongodb://{SENTINEL}@db/", **variables)

    assert result.returncode == 2
    assert "MONGODB_URI and MONGODB_URI_FILE are both set" in result.stderr
    assert "Traceback" not in result.stderr
    assert SENTINEL not in result.stderr + result.stdout


def test_a_planted_secret_with_a_bad_value_is_named_but_not_shown(tmp_path: Path) -> None:
    variables = planted_files(tmp_path)
    Path(variables["REDIS_URL_FILE"]).chmod(0o600)
    Path(variables["REDIS_URL_FILE"]).write_text(f"http://{SENTINEL}@cache/")

    result = run_until_exit(APP_ENV="production", **variables)

    assert result.returncode == 2
    assert "REDIS_URL must start with" in result.stderr
    assert SENTINEL not in result.stderr + result.stdout


def test_a_running_api_reads_its_secrets_from_files_and_logs_none_of_them(tmp_path: Path) -> None:
    variables = planted_files(tmp_path)
    with running_api(1, LOG_LEVEL="debug", **variables) as (process, port):
        base = f"http://127.0.0.1:{port}"
        # MongoDB and Redis are unreachable: readiness and signup fail and are logged.
        assert httpx.get(f"{base}/ready", timeout=10).json()["redis"] == "down"
        signup = {"name": "Files", "email": "files@example.com", "password": "secret1"}
        assert httpx.post(f"{base}/api/auth/signup", json=signup, timeout=10).status_code == 503
        # A token signed with the planted key gets past authentication (to the unreachable MongoDB): the
        # key was read from its file. The same token signed with another key is refused.
        profile = f"{base}/api/auth/profile"
        for key, status in ((Path(variables["JWT_SECRET_FILE"]).read_text(), 503), ("k" * 40, 401)):
            signer = Settings(jwt_secret=key)
            bearer = {"Authorization": f"Bearer {issue_token('64b7f0c2a1b2c3d4e5f60718', signer)}"}
            assert httpx.get(profile, headers=bearer, timeout=10).status_code == status
        process.terminate()
        assert process.stdout is not None
        output = process.stdout.read()

    assert "readiness probe failed" in output
    assert SENTINEL not in output
