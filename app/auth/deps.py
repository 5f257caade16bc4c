"""Authentication as dependencies: ``CurrentUserId`` for any route that needs a valid bearer token."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from app.auth.repository import UserRepository
from app.auth.tokens import TokenVerifier
from app.errors import UnauthorizedError
from app.redis.profile_cache import ProfileCache

# auto_error=False: a missing header must answer 401 {message}, not the framework's 403.
_bearer = HTTPBearer(auto_error=False, description="JWT from /api/auth/login or /api/auth/signup")


async def current_user_id(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> str:
    if credentials is None:
        raise UnauthorizedError("No token, authorization denied")
    verifier: TokenVerifier = request.app.state.token_verifier
    return verifier.user_id(credentials.credentials)


async def user_repository(request: Request) -> UserRepository:
    return UserRepository(request.app.state.store.users)


async def profile_cache(request: Request) -> ProfileCache:
    cache: ProfileCache = request.app.state.profile_cache
    return cache


CurrentUserId = Annotated[str, Depends(current_user_id)]
Users = Annotated[UserRepository, Depends(user_repository)]
Profiles = Annotated[ProfileCache, Depends(profile_cache)]
