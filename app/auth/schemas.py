"""Request and response bodies of the auth routes, shaped like the Express service's."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, EmailStr, Field, StringConstraints

from app.serialization import JsDateTime

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
Email = Annotated[EmailStr, AfterValidator(str.lower), Field(max_length=254)]


class SignupRequest(BaseModel):
    model_config = ConfigDict(strict=True)

    name: Name
    email: Email
    password: str = Field(min_length=6, max_length=128)


class LoginRequest(BaseModel):
    model_config = ConfigDict(strict=True)

    email: Email
    password: str = Field(min_length=1, max_length=128)


class ProfileUpdate(BaseModel):
    """Either field may be omitted; an omitted field keeps its value."""

    model_config = ConfigDict(strict=True)

    name: Name | None = None
    email: Email | None = None


class UserPublic(BaseModel):
    id: str
    name: str
    email: str
    createdAt: JsDateTime  # noqa: N815 - the Express service's field name


class AuthResponse(BaseModel):
    token: str
    user: UserPublic
