"""HS256 access tokens: exp, iat, sub, iss and aud all required and checked."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import jwt

from app.errors import UnauthorizedError
from app.settings import Settings

ALGORITHM = "HS256"
REQUIRED_CLAIMS = ["exp", "iat", "sub", "iss", "aud"]


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


def user_id_from_token(token: str, settings: Settings) -> str:
    """The token's subject, or UnauthorizedError for anything forged, expired or incomplete."""
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
    return subject
