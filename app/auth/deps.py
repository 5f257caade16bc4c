"""Authentication as dependencies: ``CurrentUserId`` for any route that needs a valid bearer token."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.security import HTTPBearer
from fastapi.security.utils import get_authorization_scheme_param

from app.auth.profile_cache import ProfileCache
from app.auth.repository import UserRepository
from app.auth.tokens import TokenVerifier
from app.deps import prepared_store
from app.errors import UnauthorizedError

BEARER_SCHEME = "HTTPBearer"
# What an operation that checks the bearer token itself declares, as the dependency below would.
BEARER_SECURITY: dict[str, Any] = {"security": [{BEARER_SCHEME: []}]}


def bearer_user_id(request: Request) -> str:
    """The caller's user id, from a valid ``Authorization: Bearer`` token; else a 401 UnauthorizedError.

    The header is parsed as HTTPBearer parses it. For the busiest route, which calls this directly
    instead of through a dependency (see the profile route).
    """
    scheme, token = get_authorization_scheme_param(request.headers.get("Authorization"))
    if scheme.lower() != "bearer" or not token:
        raise UnauthorizedError("No token, authorization denied")
    verifier: TokenVerifier = request.app.state.token_verifier
    return verifier.user_id(token)


class BearerUser(HTTPBearer):
    """The bearer scheme and the check of its token as one dependency, answering the caller's user id.

    One node instead of two in every authenticated route's dependency graph (FastAPI pays for each
    node on every request); still an ``HTTPBearer``, so the OpenAPI document declares the scheme.
    """

    async def __call__(self, request: Request) -> str:  # type: ignore[override]
        return bearer_user_id(request)


current_user_id = BearerUser(
    scheme_name=BEARER_SCHEME,
    description="JWT from /api/auth/login or /api/auth/signup",
)


def users_of(request: Request) -> UserRepository:
    return UserRepository(prepared_store(request).users)


def profile_cache_of(request: Request) -> ProfileCache:
    cache: ProfileCache = request.app.state.profile_cache
    return cache


async def user_repository(request: Request) -> UserRepository:
    return users_of(request)


async def profile_cache(request: Request) -> ProfileCache:
    return profile_cache_of(request)


CurrentUserId = Annotated[str, Depends(current_user_id)]
Users = Annotated[UserRepository, Depends(user_repository)]
Profiles = Annotated[ProfileCache, Depends(profile_cache)]
