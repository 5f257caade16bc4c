"""create_app(): the task API with its middleware, routes and a lifespan that owns every client."""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.telemetry import TelemetryConfig
from starlette.types import ASGIApp

from app import health
from app.auth.profile_cache import ProfileCache
from app.auth.router import router as auth_router
from app.auth.tokens import TokenVerifier
from app.db.preparation import StorePreparation
from app.db.store import open_store
from app.gc_tuning import settle_garbage_collector
from app.observability.logs import configure_logging
from app.observability.sentry import NamedRoute, init_sentry, with_sentry
from app.openapi import document_express_errors
from app.redis.client import close_redis, create_redis
from app.settings import Settings
from app.tasks.router import fast_list_router
from app.tasks.router import router as tasks_router
from app.web.error_handlers import install_error_handlers
from app.web.middleware import compose_middleware

logger = logging.getLogger(__name__)

# FastAPI's OpenTelemetry hooks, each looked up on every request (about 1.5 us apiece). Tracing stays:
# it starts once a tracer provider is configured. Metrics would repeat the Prometheus ones, and the logs
# would repeat what the app already reports its own way (its JSON lines, Sentry): validation failures,
# and unhandled exceptions with their messages and stack traces.
NATIVE_TELEMETRY: TelemetryConfig = {"metrics": False, "logs": False}


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    settings: Settings = app.state.settings
    store = open_store(settings)
    app.state.store = store
    app.state.redis = create_redis(settings)
    app.state.profile_cache = ProfileCache(app.state.redis, settings.profile_cache_ttl_seconds)
    preparation = app.state.store_preparation = StorePreparation(store)
    try:
        await preparation.start()
        logger.info(
            "task API started",
            extra={
                "env": settings.app_env,
                "durableStore": store.durable,
                "ready": preparation.ready,
                "redis": settings.redis_url is not None,
            },
        )
        if settings.gc_tuning:
            settle_garbage_collector()
        yield
    finally:
        await preparation.stop()
        await app.state.profile_cache.close()
        await close_redis(app.state.redis)
        await store.close()
        logger.info("task API stopped")


class TaskApi(FastAPI):
    """FastAPI, inside Sentry's ASGI middleware when Sentry is on (app.observability.sentry)."""

    sentry = False

    def build_middleware_stack(self) -> ASGIApp:
        stack = super().build_middleware_stack()
        if not self.sentry:
            return stack
        settings: Settings = self.state.settings
        return with_sentry(stack, settings.sentry_traces_sample_rate)


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings if settings is not None else Settings()
    configure_logging(settings.log_level)
    sentry = init_sentry(settings)
    # The schema may be turned on anywhere; the pages, whose scripts come from a CDN, only in development.
    docs_pages = settings.serves_docs and settings.app_env == "development"

    app = TaskApi(
        title="primetradeai task API",
        version="1.0.0",
        description="Task management API: signup/login with JWT, a profile, task CRUD.",
        lifespan=lifespan,
        telemetry=NATIVE_TELEMETRY,
        openapi_url="/openapi.json" if settings.serves_docs else None,
        docs_url="/docs" if docs_pages else None,
        redoc_url="/redoc" if docs_pages else None,
    )
    app.sentry = sentry
    app.router.route_class = NamedRoute  # routes added to the app itself are named as the routers' are
    app.state.settings = settings
    app.state.token_verifier = TokenVerifier(settings)
    app.state.started_monotonic = time.monotonic()
    app.state.redis = None

    # Matched in this order: the API's routes first, the probes (polled every few seconds) last.
    fast_list = [fast_list_router] if settings.fast_list_query else []
    for router in (auth_router, *fast_list, tasks_router, health.router):
        app.include_router(router)
    install_error_handlers(app)
    document_express_errors(app)

    app.add_middleware(compose_middleware, settings=settings, docs_pages=docs_pages)
    return app
