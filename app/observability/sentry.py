"""Sentry error tracking, switched on only when SENTRY_DSN is set.

Sentry's own ASGI middleware wraps the whole app once (``with_sentry``): a scope per request, release-health
sessions, the request's data on its events, a transaction when tracing is on. Sentry's Starlette and
FastAPI integrations are left off: they put that same middleware around the app anew on every request,
wrap every middleware class to look the route up again, and wrap every endpoint to extract request data
that no event here may carry (bodies, cookies, user info), about 190 of a cached profile read's 1,390
Python calls (docs/benchmarks.md). What they add that errors need, the route's name, ``NamedRoute``
gives: every route sets it as it starts handling its request.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

import sentry_sdk
from fastapi import Request, Response
from fastapi.routing import APIRoute
from sentry_sdk.integrations.asgi import SentryAsgiMiddleware
from sentry_sdk.integrations.logging import LoggingIntegration, ignore_logger, ignore_logger_for_sentry_logs
from sentry_sdk.tracing import TransactionSource
from starlette.types import ASGIApp

from app.observability.access_log import logger as access_logger
from app.settings import Settings

# As the Starlette integration calls itself on events (mechanism) and spans (origin), so that what
# reaches Sentry reads as it did with it.
MECHANISM = "starlette"
SPAN_ORIGIN = "auto.http.starlette"
# What the Starlette integration traces when tracing is on.
TRACED_METHODS = ("CONNECT", "DELETE", "GET", "PATCH", "POST", "PUT", "TRACE")


def init_sentry(settings: Settings) -> bool:
    if settings.sentry_dsn is None:
        return False
    sentry_sdk.init(
        dsn=settings.sentry_dsn.get_secret_value(),
        environment=settings.app_env,
        # Requests carry passwords and tokens, and so do local variables in a handler's frames:
        # ship neither, nor any user identity.
        data_collection={"user_info": False, "http_bodies": [], "stack_frame_variables": False},
        max_request_body_size="never",
        traces_sample_rate=settings.sentry_traces_sample_rate,
        # The defaults only (logging, excepthook, dedupe, atexit...): the web part is ``with_sentry``, and
        # the auto-enabled integrations add nothing to error or release-health reports; PyMongo's copies,
        # strips and JSON-dumps every command for a breadcrumb and a span, 30-50 us of CPU per command
        # with tracing off (bench.sentry_pymongo). Errors raised by the drivers are reported as any other.
        auto_enabling_integrations=False,
        # Breadcrumbs and error events from log records as by default, but no Sentry Logs handler: the
        # logs ship as JSON lines on stdout, and with Sentry Logs off (``enable_logs``) that handler
        # only ran its logger-name patterns over every record to find nothing to do.
        integrations=[LoggingIntegration(sentry_logs_level=None)],
    )
    # The access line is written after the response, as the request's Sentry scope closes: as a
    # breadcrumb no event would ever carry it, and it never reports an error.
    ignore_logger(access_logger.name)
    ignore_logger_for_sentry_logs(access_logger.name)
    return True


def with_sentry(app: ASGIApp, traces_sample_rate: float) -> ASGIApp:
    """``app`` inside Sentry's ASGI middleware, outside everything else, as the Starlette integration
    places it: an error that Starlette's ServerErrorMiddleware answers with a 500 still reaches it.

    With tracing off no transaction is started: continuing the caller's trace, a sampling decision and its
    discarding cost about a quarter of Sentry's time per request (docs/benchmarks.md)."""
    return SentryAsgiMiddleware(
        app,
        transaction_style="url",
        mechanism_type=MECHANISM,
        span_origin=SPAN_ORIGIN,
        http_methods_to_capture=TRACED_METHODS if traces_sample_rate > 0 else (),
        asgi_version=3,
    )


class NamedRoute(APIRoute):
    """A route that names the request's Sentry transaction after its template (``/api/tasks/{id}``, not
    the router's ``{id:task_id}``) before anything of its own runs, so errors and log events raised by
    its dependencies, its endpoint and its error handlers all carry it. Without Sentry, a scope nobody
    reads is named."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()
        name = self.path_format

        async def named_handler(request: Request) -> Response:
            sentry_sdk.get_current_scope().set_transaction_name(name, source=TransactionSource.ROUTE)
            return await handler(request)

        return named_handler
