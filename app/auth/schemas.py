"""Request and response bodies of the auth routes, shaped like the Express service's."""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from app.serialization import JsDateTime

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]

# An email address is what this one pattern admits, in the validator and in the OpenAPI document alike:
# the HTML standard's "valid e-mail address" (what a browser's <input type=email> accepts, so the web
# client and the API agree), except that the domain needs a dot, as the Express service's isEmail did.
# JSON Schema's `format: email` (RFC 5321 mailboxes, quoted and IP-literal ones included) is not
# declared: no validator the API uses admits exactly that set.
EMAIL_PATTERN = (
    r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+"
    r"@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$"
)
MAX_EMAIL = 254
_EMAIL = re.compile(EMAIL_PATTERN.removeprefix("^").removesuffix("$"))


def _email_address(value: str) -> str:
    # fullmatch: `$` in a Python pattern would also admit a trailing newline, which the schema refuses.
    if _EMAIL.fullmatch(value) is None:
        raise ValueError("email must be an address like name@example.com")
    return value.lower()


Email = Annotated[
    str,
    StringConstraints(max_length=MAX_EMAIL),
    AfterValidator(_email_address),
    Field(json_schema_extra={"pattern": EMAIL_PATTERN}),
]


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
