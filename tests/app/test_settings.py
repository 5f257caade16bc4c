"""Settings come from the environment; outside development a weak JWT secret or no MONGODB_URI refuses
to start."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from app.settings import DEVELOPMENT_JWT_SECRET, Settings


def test_defaults_match_the_interface_document(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (
        "APP_ENV",
        "PORT",
        "MONGODB_URI",
        "REDIS_URL",
        "JWT_SECRET",
        "CORS_ORIGINS",
        "RATE_LIMIT_MAX",
        "GC_TUNING",
        "HOST",
    ):
        monkeypatch.delenv(name, raising=False)
    settings = Settings()
    assert (settings.app_env, settings.port, settings.web_concurrency) == ("development", 8000, 1)
    assert settings.host == "127.0.0.1"
    assert settings.gc_tuning is True
    assert (settings.rate_limit_max, settings.rate_limit_window_seconds) == (100, 900)
    assert settings.profile_cache_ttl_seconds == 3600
    assert settings.jwt_expires_seconds == 604800
    assert (settings.mongodb_uri, settings.redis_url) == (None, None)
    assert settings.mongodb_database == "taskmanager"
    assert settings.cors_origins == []


def test_variables_are_read_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PORT", "9001")
    monkeypatch.setenv("CORS_ORIGINS", "https://a.example.com, https://b.example.com,")
    monkeypatch.setenv("REDIS_URL", "redis://cache:6379/0")
    monkeypatch.setenv("LOG_LEVEL", "WARNING")
    settings = Settings()
    assert settings.port == 9001
    assert settings.cors_origins == ["https://a.example.com", "https://b.example.com"]
    assert settings.redis_url is not None
    assert settings.redis_url.get_secret_value() == "redis://cache:6379/0"
    assert settings.log_level == "warning"


def test_an_empty_variable_counts_as_unset(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MONGODB_URI", "")
    assert Settings().mongodb_uri is None


def test_secrets_do_not_show_in_the_settings_repr(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MONGODB_URI", "mongodb://user:hunter2@db/")
    monkeypatch.setenv("JWT_SECRET", "a-very-private-signing-key")
    shown = repr(Settings())
    assert "hunter2" not in shown
    assert "a-very-private-signing-key" not in shown


def test_development_runs_with_the_built_in_secret() -> None:
    assert Settings(app_env="development").jwt_secret.get_secret_value() == DEVELOPMENT_JWT_SECRET


@pytest.mark.parametrize("env", ["staging", "production"])
def test_outside_development_the_built_in_secret_is_refused(env: str) -> None:
    with pytest.raises(ValidationError, match="JWT_SECRET is a known default"):
        Settings(app_env=env)


@pytest.mark.parametrize("secret", ["secret", "changeme", "your-secret-key"])
def test_outside_development_a_well_known_secret_is_refused(secret: str) -> None:
    with pytest.raises(ValidationError, match="known default"):
        Settings(app_env="production", jwt_secret=secret)


def test_outside_development_a_secret_under_32_bytes_is_refused() -> None:
    with pytest.raises(ValidationError, match="JWT_SECRET is 31 bytes"):
        Settings(app_env="production", jwt_secret="x" * 31)


def test_outside_development_a_32_byte_secret_is_accepted() -> None:
    settings = Settings(app_env="production", jwt_secret="k" * 32, mongodb_uri="mongodb://db.internal/")
    assert settings.app_env == "production"


@pytest.mark.parametrize("env", ["staging", "production"])
def test_outside_development_a_missing_mongodb_uri_is_refused(
    env: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("MONGODB_URI", raising=False)
    with pytest.raises(ValidationError, match=f"MONGODB_URI is not set; APP_ENV={env} needs"):
        Settings(app_env=env, jwt_secret="k" * 32)


def test_development_runs_without_mongodb_uri(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MONGODB_URI", raising=False)
    assert Settings(app_env="development").mongodb_uri is None


@pytest.mark.parametrize(("name", "value"), [("app_env", "prod"), ("port", 0), ("rate_limit_max", 0)])
def test_an_out_of_range_value_names_the_setting(name: str, value: object) -> None:
    with pytest.raises(ValidationError, match=name):
        Settings.model_validate({name: value})


@pytest.mark.parametrize(
    ("name", "value"),
    [("mongodb_uri", "htp://user:hunter2@db/"), ("redis_url", "http://:hunter2@cache:6379")],
)
def test_a_url_with_the_wrong_scheme_is_refused_without_echoing_it(name: str, value: str) -> None:
    with pytest.raises(ValidationError, match=name.upper()) as raised:
        Settings.model_validate({name: value})
    assert "hunter2" not in str(raised.value)


def test_a_refused_secret_is_not_echoed_in_the_error() -> None:
    with pytest.raises(ValidationError) as raised:
        Settings(app_env="production", jwt_secret="private-but-short")
    assert "private-but-short" not in str(raised.value)
