"""Helpers the task API tests share: settings isolated from the environment, test accounts."""

from __future__ import annotations

import socket
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from prometheus_client import generate_latest

from app.observability.metrics import metrics_registry
from app.settings import Settings
from tests.app.mongodb_server import TEST_MONGODB

TEST_JWT_SECRET = "test-secret-that-is-long-enough-for-hs256-0123456789"


def make_settings(**overrides: Any) -> Settings:
    """Settings independent of the developer's environment: every external service but MongoDB off by
    default, and a database of its own on the session's MongoDB."""
    values: dict[str, Any] = {
        "app_env": "development",
        "mongodb_uri": TEST_MONGODB.uri,
        "mongodb_database": TEST_MONGODB.new_database_name(),
        "redis_url": None,
        "sentry_dsn": None,
        "jwt_secret": TEST_JWT_SECRET,
        "cors_origins": ["https://app.example.com"],
        "log_level": "info",
        # Tests send hundreds of requests from one address; the limit itself is tested in tests/app/web.
        "rate_limit_max": 1_000_000,
        # Its full collection at each app startup cost the suite about a minute; tests/app/test_gc_tuning.py
        # covers it on.
        "gc_tuning": False,
    }
    values.update(overrides)
    return Settings(**values)


@dataclass(frozen=True)
class Account:
    id: str
    email: str
    password: str
    token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


SignUp = Callable[..., Awaitable[Account]]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def exposed_metrics() -> str:
    """What the metrics listener of this process would answer now."""
    return generate_latest(metrics_registry()).decode()
