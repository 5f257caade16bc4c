"""Authentication as dependencies: ``CurrentUserId`` for any route that needs a valid bearer token."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPBearer

from app.auth.repository import UserRepository
from app.auth.tokens import TokenVerifier
from app.deps import prepared_store
from app.errors import UnauthorizedError
from app.redis.profile_cache import ProfileCache


class BearerUser(HTTPBearer):
    """The bearer scheme and the check of its token as one dependency, answering the caller's user id.

    One node instead of two in every authenticated route's dependency graph (FastAPI pays for each
    node on every request); still an ``HTTPBearer``, so the OpenAPI document declares the scheme.
    """

    async def __call__(self, request: Request) -> str:  # type: ignore[override]
        credentials = await super().__call__(request)
        if credentials is None:
            raise UnauthorizedError("No token, authorization denied")
        verifier: TokenVerifier = request.app.state.token_verifier
        return verifier.user_id(credentials.credentials)


# auto_error=False: a missing header must answer 401 {message}, not the framework's 403. The scheme
# keeps the name HTTPBearer in the OpenAPI document.
current_user_id = BearerUser(
    auto_error=False,
    scheme_name="HTTPBearer",
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
