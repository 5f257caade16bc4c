"""Sentry is switched on by SENTRY_DSN alone, and never ships request bodies or personal data.

sentry_sdk.init() patches Starlette, FastAPI and the logging module for the whole process, and closing
the client does not undo that: the test that turns Sentry on runs in a process of its own.
"""

from __future__ import annotations

import json
import subprocess
import sys

from app.observability.sentry import init_sentry
from tests.app.live_server import REPO_ROOT, SAFETY_DEADLINE_SECONDS, clean_environment
from tests.app.taskapi_testing import make_settings

DSN = "https://publickey@o0.ingest.sentry.io/0"

# Prints the options of the client init_sentry() started, as JSON.
SENTRY_ON = f"""
import json, sentry_sdk
from app.observability.sentry import init_sentry
from app.settings import Settings
started = init_sentry(Settings(sentry_dsn={DSN!r}, app_env="development"))
options = sentry_sdk.get_client().options
print(json.dumps({{"started": started, **{{key: options[key] for key in (
    "dsn", "data_collection", "max_request_body_size", "environment")}}}}))
"""


def test_without_a_dsn_sentry_stays_off() -> None:
    assert init_sentry(make_settings()) is False


def test_with_a_dsn_sentry_starts_without_personal_data() -> None:
    result = subprocess.run(
        [sys.executable, "-c", SENTRY_ON],
        cwd=REPO_ROOT,
        env=clean_environment(),
        capture_output=True,
        text=True,
        timeout=SAFETY_DEADLINE_SECONDS,
        check=True,
    )
    options = json.loads(result.stdout)
    assert options["started"] is True
    assert options["dsn"] == DSN
    assert options["data_collection"]["user_info"] is False
    assert options["data_collection"]["http_bodies"] == []
    assert options["data_collection"]["stack_frame_variables"] is False
    assert options["max_request_body_size"] == "never"
    assert options["environment"] == "development"
