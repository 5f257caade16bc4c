"""Per-client-IP rate limit on /api, counted in Redis so every worker process shares one count.

Outage policy: with Redis configured but unreachable, ordinary routes are limited per process
(service continues, limits loosen by the number of processes) while login and signup fail closed
with 503, because those are the routes a password-guessing attack needs. Without REDIS_URL
(local development) the per-process limit applies everywhere and nothing fails closed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from redis.asyncio import Redis
from starlette.types import ASGIApp, Receive, Scope, Send

from app.errors import SERVICE_UNAVAILABLE, message_body_bytes
from app.redis.breaker import COOLDOWN_SECONDS, breaker_for
from app.redis.fallback import REDIS_ERRORS, record_fallback
from app.web.client_ip import client_ip
from app.web.rate_limit_windows import LocalWindow, RedisWindow, WindowState
from app.web.response_headers import RawHeaders, appending, editing_response_headers

if TYPE_CHECKING:
    from app.settings import Settings

FAIL_CLOSED_PATHS = frozenset({"/api/auth/login", "/api/auth/signup"})
TOO_MANY_REQUESTS = "Too many requests, please try again later."


class RateLimitMiddleware:
    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self._trusted_proxy_hops = settings.trusted_proxy_hops
        self._shared = RedisWindow(settings.rate_limit_max, settings.rate_limit_window_seconds)
        self._local = LocalWindow(settings.rate_limit_max, settings.rate_limit_window_seconds)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not _is_api_path(scope["path"]):
            await self.app(scope, receive, send)
            return
        fails_closed = scope["method"] == "POST" and scope["path"].rstrip("/") in FAIL_CLOSED_PATHS
        state = await self._count(_redis_of(scope), client_ip(scope, self._trusted_proxy_hops), fails_closed)
        if state is None:
            retry = [(b"retry-after", str(int(COOLDOWN_SECONDS)).encode())]
            await _send_message(send, 503, SERVICE_UNAVAILABLE, retry)
            return
        headers = _rate_limit_headers(state)
        if not state.allowed:
            headers.append((b"retry-after", str(state.reset_seconds).encode()))
            await _send_message(send, 429, TOO_MANY_REQUESTS, headers)
            return
        await self.app(scope, receive, editing_response_headers(send, appending(headers)))

    async def _count(self, redis: Redis | None, ip: str, fails_closed: bool) -> WindowState | None:
        """The client's window after this request, or None when the request must fail closed."""
        if redis is None:
            return self._local.hit(ip)
        fallback = "503 fail closed" if fails_closed else "per-process limit"
        breaker = breaker_for(redis)
        if not breaker.should_try():
            record_fallback("rate_limit", fallback, None)
        else:
            try:
                state = await self._shared.hit(redis, ip)
            except REDIS_ERRORS as error:
                breaker.record_failure(error)
                record_fallback("rate_limit", fallback, error)
            else:
                breaker.record_success()
                return state
        return None if fails_closed else self._local.hit(ip)


def _is_api_path(path: str) -> bool:
    return path == "/api" or path.startswith("/api/")


def _redis_of(scope: Scope) -> Redis | None:
    # Read per request: the app's lifespan creates the client after this middleware is built.
    state = getattr(scope.get("app"), "state", None)
    client = getattr(state, "redis", None)
    return client if isinstance(client, Redis) else None


def _rate_limit_headers(state: WindowState) -> RawHeaders:
    # The IETF draft's RateLimit-* fields, as express-rate-limit sends them with standardHeaders.
    return [
        (b"ratelimit-limit", str(state.limit).encode()),
        (b"ratelimit-remaining", str(state.remaining).encode()),
        (b"ratelimit-reset", str(state.reset_seconds).encode()),
    ]


async def _send_message(send: Send, status: int, message: str, headers: RawHeaders) -> None:
    body = message_body_bytes(message)
    start_headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
        *headers,
    ]
    await send({"type": "http.response.start", "status": status, "headers": start_headers})
    await send({"type": "http.response.body", "body": body})
