"""The app's own middleware, composed into the one ASGI layer that ``create_app`` adds.

One layer, not eight, and added as a factory function rather than a class: with Sentry on, its
Starlette integration wraps the ``__call__`` of every middleware class added through Starlette, and each
wrapper looks up the route and renames the transaction on every request (docs/benchmarks.md). A
function has no class ``__call__`` to wrap; the wrapper around Starlette's own ServerErrorMiddleware,
outside this layer, has already named the request by its route for any error raised in here.
"""

from __future__ import annotations

from starlette.middleware.cors import CORSMiddleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.types import ASGIApp

from app.observability.access_log import AccessLogMiddleware
from app.observability.metrics import MetricsMiddleware
from app.observability.request_id import REQUEST_ID_HEADER, RequestIdMiddleware
from app.settings import Settings
from app.web.body_limit import BodyLimitMiddleware
from app.web.error_handlers import UnhandledErrorMiddleware
from app.web.rate_limit import RateLimitMiddleware
from app.web.security_headers import DOCS_PAGES, SecurityHeadersMiddleware

# Answers below this size go uncompressed: the gzip header and trailer would outweigh the saving.
GZIP_MINIMUM_BYTES = 1024
# The fastest level (Starlette's default is the slowest, 9). In production the compressed answer only
# crosses the hop to Cloudflare, which asks for it on every request and serves each visitor the
# encoding that visitor asks for. A page of 20 tasks (5.6 KB of JSON) costs 17 µs at level 1 against
# 29 at level 9, and goes out as 484 bytes against 438 (`python -m bench.gzip_levels`).
GZIP_LEVEL = 1

# Headers a browser client may read from a cross-origin response.
EXPOSED_HEADERS = [
    REQUEST_ID_HEADER,
    "X-Total-Count",
    "Link",
    "Retry-After",
    "RateLimit-Limit",
    "RateLimit-Remaining",
    "RateLimit-Reset",
    "RateLimit-Policy",
    "RateLimit",
]


def compose_middleware(app: ASGIApp, settings: Settings, docs_pages: bool) -> ASGIApp:
    """``app`` inside the app's middleware, outermost first: request id, access log, metrics, security
    headers, CORS, rate limit, unhandled errors, body limit, gzip. Starlette's ``add_middleware`` takes
    it as a factory."""
    # Ours, not FastAPI's max_body_size: that one answers text/plain outside the request-id and
    # security-header middleware, and clients expect {message}.
    inner: ASGIApp = BodyLimitMiddleware(
        GZipMiddleware(app, minimum_size=GZIP_MINIMUM_BYTES, compresslevel=GZIP_LEVEL)
    )
    # Inside every header-adding layer and the request id: a 500 carries what any answer does, and the
    # line that logs its error the request id (Starlette's own handler runs outside all of them).
    inner = UnhandledErrorMiddleware(inner)
    # Inside CORS and the security headers, so a 429 or 503 carries them like any other answer.
    inner = RateLimitMiddleware(inner, settings=settings)
    inner = CORSMiddleware(
        inner,
        allow_origins=settings.cors_origins,
        allow_methods=["GET", "POST", "PUT", "DELETE", "OPTIONS"],
        allow_headers=["Authorization", "Content-Type", REQUEST_ID_HEADER],
        expose_headers=EXPOSED_HEADERS,
        max_age=600,
    )
    inner = SecurityHeadersMiddleware(inner, relaxed_paths=DOCS_PAGES if docs_pages else ())
    # The request id wraps everything so every log line and response carries it.
    return RequestIdMiddleware(AccessLogMiddleware(MetricsMiddleware(inner)))
