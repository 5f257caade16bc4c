"""The client address a rate limit counts against."""

from __future__ import annotations

from starlette.types import Scope

UNKNOWN_CLIENT = "unknown"


def client_ip(scope: Scope, trusted_proxy_hops: int) -> str:
    """The address as seen by the last untrusted hop.

    With ``trusted_proxy_hops`` = N, the N proxies in front of the app (load balancer, ingress)
    each appended the address they saw to X-Forwarded-For, so the client is the N-th entry from
    the right; entries further left were written by the client and could be forged. With N = 0
    the header is ignored and the socket peer counts.
    """
    if trusted_proxy_hops > 0:
        forwarded = _forwarded_for(scope)
        if forwarded:
            return forwarded[-min(trusted_proxy_hops, len(forwarded))]
    client = scope.get("client")
    return str(client[0]) if client else UNKNOWN_CLIENT


def _forwarded_for(scope: Scope) -> list[str]:
    # Several X-Forwarded-For headers are one list in the order they arrived (RFC 9110, 5.3).
    hops: list[str] = []
    for name, value in scope.get("headers", ()):
        if name == b"x-forwarded-for":
            hops.extend(part.strip() for part in value.decode("latin-1").split(","))
    return [hop for hop in hops if hop]
