"""The headers helmet sets by default, added to every response."""

from __future__ import annotations

from starlette.types import ASGIApp, Receive, Scope, Send

from app.web.response_headers import RawHeaders, editing_response_headers

CONTENT_SECURITY_POLICY = (
    "default-src 'self';base-uri 'self';font-src 'self' https: data:;form-action 'self';"
    "frame-ancestors 'self';img-src 'self' data:;object-src 'none';script-src 'self';"
    "script-src-attr 'none';style-src 'self' https: 'unsafe-inline';upgrade-insecure-requests"
)

HELMET_HEADERS: dict[str, str] = {
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Origin-Agent-Cluster": "?1",
    "Referrer-Policy": "no-referrer",
    "Strict-Transport-Security": "max-age=31536000; includeSubDomains",
    "X-Content-Type-Options": "nosniff",
    "X-DNS-Prefetch-Control": "off",
    "X-Download-Options": "noopen",
    "X-Frame-Options": "SAMEORIGIN",
    "X-Permitted-Cross-Domain-Policies": "none",
    "X-XSS-Protection": "0",
}

# Encoded once: this runs on every response.
_RAW_HEADERS = [
    (name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in HELMET_HEADERS.items()
]
_RAW_CSP = (b"content-security-policy", CONTENT_SECURITY_POLICY.encode("latin-1"))

# The interactive docs load their script and styles from a CDN, which the strict policy would block:
# they exist in development only, and only there does this exception apply.
DOCS_PAGES = ("/docs", "/redoc")


class SecurityHeadersMiddleware:
    def __init__(self, app: ASGIApp, relaxed_paths: tuple[str, ...] = ()) -> None:
        self.app = app
        self._relaxed_paths = relaxed_paths

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        relaxed = self._relaxed_paths and str(scope["path"]).startswith(self._relaxed_paths)
        added = _RAW_HEADERS if relaxed else [*_RAW_HEADERS, _RAW_CSP]

        def with_security_headers(headers: RawHeaders) -> RawHeaders:
            present = {name.lower() for name, _ in headers}
            # A header the route set itself wins, as with helmet.
            return headers + [header for header in added if header[0] not in present]

        await self.app(scope, receive, editing_response_headers(send, with_security_headers))
