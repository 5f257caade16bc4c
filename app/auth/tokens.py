"""HS256 access tokens: exp, iat, sub, iss and aud all required and checked."""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import jwt

from app.errors import UnauthorizedError
from app.settings import Settings

ALGORITHM = "HS256"
REQUIRED_CLAIMS = ["exp", "iat", "sub", "iss", "aud"]
# Enough for every client active in a worker at once; beyond it the least recently seen token is dropped.
VERIFIED_TOKENS_KEPT = 10_000


def issue_token(user_id: str, settings: Settings) -> str:
    now = datetime.now(UTC)
    claims = {
        "sub": user_id,
        "iat": now,
        "exp": now + timedelta(seconds=settings.jwt_expires_seconds),
        "iss": settings.jwt_issuer,
        "aud": settings.jwt_audience,
    }
    return jwt.encode(claims, settings.jwt_secret.get_secret_value(), algorithm=ALGORITHM)


def verify_token(token: str, settings: Settings) -> tuple[str, float]:
    """The token's subject and expiry, or UnauthorizedError for anything forged, expired or incomplete."""
    try:
        claims = jwt.decode(
            token,
            settings.jwt_secret.get_secret_value(),
            algorithms=[ALGORITHM],  # a fixed list: "none" and algorithm swaps are rejected
            issuer=settings.jwt_issuer,
            audience=settings.jwt_audience,
            options={"require": REQUIRED_CLAIMS},
        )
    except jwt.ExpiredSignatureError:
        raise UnauthorizedError("Token expired") from None
    except jwt.PyJWTError:
        raise UnauthorizedError("Token is not valid") from None
    subject = claims["sub"]
    if not isinstance(subject, str) or not subject:
        raise UnauthorizedError("Token is not valid")
    return subject, float(claims["exp"])


class TokenVerifier:
    """Verifies bearer tokens, remembering the ones that passed until they expire.

    A client sends the same token on every request, and full verification (base64, HMAC, claims)
    is the costliest step of a cached profile read. The cache key is the whole token, signature
    included, so a token that differs by one byte is verified from scratch; expiry is checked on
    every hit.
    """

    def __init__(
        self, settings: Settings, kept: int = VERIFIED_TOKENS_KEPT, clock: Callable[[], float] = time.time
    ) -> None:
        self._settings = settings
        self._kept = kept
        self._clock = clock
        self._verified: OrderedDict[str, tuple[str, float]] = OrderedDict()

    def remembered(self) -> int:
        return len(self._verified)

    def user_id(self, token: str) -> str:
        remembered = self._verified.get(token)
        if remembered is not None:
            subject, expires = remembered
            if self._clock() >= expires:
                del self._verified[token]
                raise UnauthorizedError("Token expired")
            self._verified.move_to_end(token)
            return subject
        subject, expires = verify_token(token, self._settings)
        self._verified[token] = (subject, expires)
        if len(self._verified) > self._kept:
            self._verified.popitem(last=False)
        return subject
