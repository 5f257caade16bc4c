"""Sentry is switched on by SENTRY_DSN alone, and never ships request bodies or personal data."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import sentry_sdk

from app.observability.sentry import init_sentry
from tests.app.taskapi_testing import make_settings


@pytest.fixture
def isolated_sentry() -> Iterator[None]:
    yield
    sentry_sdk.get_client().close()
    sentry_sdk.init()  # back to a disabled client for the tests that follow


def test_without_a_dsn_sentry_stays_off() -> None:
    assert init_sentry(make_settings()) is False


def test_with_a_dsn_sentry_starts_without_personal_data(isolated_sentry: None) -> None:
    dsn = "https://publickey@o0.ingest.sentry.io/0"
    assert init_sentry(make_settings(sentry_dsn=dsn, app_env="development")) is True
    options = sentry_sdk.get_client().options
    assert options["dsn"] == dsn
    assert options["data_collection"]["user_info"] is False
    assert options["data_collection"]["http_bodies"] == []
    assert options["data_collection"]["stack_frame_variables"] is False
    assert options["max_request_body_size"] == "never"
    assert options["environment"] == "development"
