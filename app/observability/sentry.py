"""Sentry error tracking, switched on only when SENTRY_DSN is set."""

from __future__ import annotations

import re
from typing import Any

import sentry_sdk
from sentry_sdk.integrations import Integration
from sentry_sdk.integrations.fastapi import FastApiIntegration
from sentry_sdk.integrations.logging import ignore_logger
from sentry_sdk.integrations.starlette import StarletteIntegration

from app.observability.access_log import logger as access_logger
from app.settings import Settings

# A path parameter's convertor, as in "{id:task_id}".
_CONVERTOR = re.compile(r"\{(\w+):\w+\}")


def route_template(name: str) -> str:
    """A route's path as clients and the OpenAPI document write it: ``/api/tasks/{id}``, not the
    router's ``/api/tasks/{id:task_id}``."""
    return _CONVERTOR.sub(r"{\1}", name)


def _named_by_route_template(event: Any, hint: object) -> Any:
    # Sentry names a request by the matched route's path, convertors included; renamed once per event
    # sent rather than on every request.
    name = event.get("transaction")
    if isinstance(name, str):
        event["transaction"] = route_template(name)
    return event


def web_integrations(traces_sample_rate: float) -> list[Integration]:
    """Sentry's Starlette and FastAPI integrations, starting a transaction per request only when some
    are traced.

    With tracing off, a transaction per request is one that is never sent: continuing the caller's trace,
    a sampling decision and its discarding cost about a quarter of Sentry's time per request
    (docs/benchmarks.md). Errors are reported either way, with the request and the route.
    """
    methods = None if traces_sample_rate > 0 else ()
    if methods is None:
        return [StarletteIntegration(), FastApiIntegration()]
    return [
        StarletteIntegration(http_methods_to_capture=methods),
        FastApiIntegration(http_methods_to_capture=methods),
    ]


def init_sentry(settings: Settings) -> bool:
    if settings.sentry_dsn is None:
        return False
    rate = settings.sentry_traces_sample_rate
    sentry_sdk.init(
        dsn=settings.sentry_dsn.get_secret_value(),
        environment=settings.app_env,
        # Requests carry passwords and tokens, and so do local variables in a handler's frames:
        # ship neither, nor any user identity.
        data_collection={"user_info": False, "http_bodies": [], "stack_frame_variables": False},
        max_request_body_size="never",
        traces_sample_rate=rate,
        integrations=web_integrations(rate),
        # Only the web integrations above, on top of the defaults (logging, excepthook, dedupe, atexit...):
        # the auto-enabled ones add nothing to error or release-health reports, and PyMongo's deep-copies,
        # strips and JSON-dumps every command for a breadcrumb and a span, 30-40 us of CPU per command
        # with tracing off (docs/benchmarks.md). Errors raised by the drivers are reported as any other.
        auto_enabling_integrations=False,
        before_send=_named_by_route_template,
        before_send_transaction=_named_by_route_template,
    )
    # The access line is written after the response, as the request's Sentry scope closes: as a
    # breadcrumb no event would ever carry it, and it never reports an error.
    ignore_logger(access_logger.name)
    return True
