"""Typed settings read from the environment variables fixed in docs/interfaces.md."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, PydanticBaseSettingsSource, SettingsConfigDict

from app.secret_files import SecretFilesSource

# The development key is public on purpose: anything outside development refuses it.
DEVELOPMENT_JWT_SECRET = "development-only-jwt-secret-not-for-real-use"
MIN_JWT_SECRET_BYTES = 32

# Defaults that tutorials and .env samples ship with; a deployment still carrying one is misconfigured.
KNOWN_DEFAULT_JWT_SECRETS = frozenset(
    {
        DEVELOPMENT_JWT_SECRET,
        "secret",
        "changeme",
        "change-me",
        "jwt_secret",
        "jwt-secret",
        "your-secret-key",
        "your_jwt_secret",
        "your-jwt-secret",
        "your_jwt_secret_key",
        "your-super-secret-jwt-key",
        "supersecret",
        "mysecret",
    }
)

MONGODB_SCHEMES = ("mongodb://", "mongodb+srv://")
REDIS_SCHEMES = ("redis://", "rediss://", "unix://")

# The settings a mounted Secret provides, each also read from the file its <NAME>_FILE variable names.
SECRET_FIELDS = ("mongodb_uri", "redis_url", "jwt_secret", "sentry_dsn")

AppEnv = Literal["development", "staging", "production"]
LogLevel = Literal["critical", "error", "warning", "info", "debug"]


class Settings(BaseSettings):
    """Every knob of the API; names match the environment variables one to one."""

    # hide_input_in_errors: a validation error must never print a URI or key it was given.
    model_config = SettingsConfigDict(
        case_sensitive=False, env_ignore_empty=True, extra="ignore", hide_input_in_errors=True
    )

    app_env: AppEnv = "development"
    # Loopback for local runs; the image and the chart listen on all interfaces (HOST=0.0.0.0).
    host: str = Field(default="127.0.0.1", min_length=1)
    port: int = Field(default=8000, ge=1, le=65535)
    # /metrics has a listener of its own, so the API port (the one the Ingress routes) never serves it.
    metrics_port: int = Field(default=9464, ge=1, le=65535)
    # None: on in development only. The docs describe every route and error to whoever asks.
    docs_enabled: bool | None = None
    web_concurrency: int = Field(default=1, ge=1, le=64)
    log_level: LogLevel = "info"
    cors_origins: Annotated[list[str], NoDecode] = Field(default_factory=list)

    mongodb_uri: SecretStr | None = None
    mongodb_database: str = Field(default="taskmanager", min_length=1)
    redis_url: SecretStr | None = None
    sentry_dsn: SecretStr | None = None
    # The share of requests Sentry traces; 0 (the default, as deployed): errors only.
    sentry_traces_sample_rate: float = Field(default=0.0, ge=0.0, le=1.0)

    jwt_secret: SecretStr = SecretStr(DEVELOPMENT_JWT_SECRET)
    jwt_issuer: str = Field(default="primetradeai-taskapi", min_length=1)
    jwt_audience: str = Field(default="primetradeai-clients", min_length=1)
    jwt_expires_seconds: int = Field(default=604800, ge=60)

    rate_limit_max: int = Field(default=100, ge=1)
    rate_limit_window_seconds: int = Field(default=900, ge=1)
    profile_cache_ttl_seconds: int = Field(default=3600, ge=1)
    trusted_proxy_hops: int = Field(default=0, ge=0)
    # Shortcuts kept because they save a measured share of each request's CPU as deployed
    # (docs/benchmarks.md); each can be turned off. The collector's tuning (app.gc_tuning) is off
    # where apps start by the hundred (the tests), as its full collection at each startup is what costs.
    gc_tuning: bool = True
    redis_auto_pipelining: bool = True
    fast_list_query: bool = True

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        files = SecretFilesSource(settings_cls, SECRET_FIELDS)
        return init_settings, files, env_settings, dotenv_settings, file_secret_settings

    @property
    def serves_docs(self) -> bool:
        """Whether /openapi.json is served (and, in development, the /docs and /redoc pages)."""
        return self.docs_enabled if self.docs_enabled is not None else self.app_env == "development"

    @field_validator("log_level", mode="before")
    @classmethod
    def _lowercase_log_level(cls, value: object) -> object:
        return value.lower() if isinstance(value, str) else value

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _split_origins(cls, value: object) -> object:
        if isinstance(value, str):
            return [origin.strip() for origin in value.split(",") if origin.strip()]
        return value

    @model_validator(mode="after")
    def _refuse_weak_secret_outside_development(self) -> Settings:
        if self.app_env == "development":
            return self
        secret = self.jwt_secret.get_secret_value()
        if secret in KNOWN_DEFAULT_JWT_SECRETS:
            raise ValueError(
                f"JWT_SECRET is a known default value; APP_ENV={self.app_env} needs a random secret "
                f"of at least {MIN_JWT_SECRET_BYTES} bytes"
            )
        if len(secret.encode()) < MIN_JWT_SECRET_BYTES:
            raise ValueError(
                f"JWT_SECRET is {len(secret.encode())} bytes; APP_ENV={self.app_env} needs at least "
                f"{MIN_JWT_SECRET_BYTES} bytes"
            )
        return self

    @model_validator(mode="after")
    def _refuse_the_embedded_store_outside_development(self) -> Settings:
        # Without MONGODB_URI the API runs on an embedded development server: never in a deployment.
        if self.app_env != "development" and self.mongodb_uri is None:
            raise ValueError(
                f"MONGODB_URI is not set; APP_ENV={self.app_env} needs a MongoDB connection string"
                " (set MONGODB_URI, or MONGODB_URI_FILE to a file holding it)"
            )
        return self

    @field_validator("mongodb_uri")
    @classmethod
    def _mongodb_scheme(cls, value: SecretStr | None) -> SecretStr | None:
        # Checked here so a typo fails at startup with the variable's name, never echoing its value.
        if value is not None and not value.get_secret_value().startswith(MONGODB_SCHEMES):
            raise ValueError(f"MONGODB_URI must start with {' or '.join(MONGODB_SCHEMES)}")
        return value

    @field_validator("redis_url")
    @classmethod
    def _redis_scheme(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not value.get_secret_value().startswith(REDIS_SCHEMES):
            raise ValueError(f"REDIS_URL must start with {' or '.join(REDIS_SCHEMES)}")
        return value
