"""Error bodies as schemas, so /docs documents every 4xx a route can answer."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class Message(BaseModel):
    message: str


class FieldError(BaseModel):
    type: str = Field(description='Always "field"')
    msg: str = Field(description="What is wrong with the value")
    path: str = Field(description='The field, e.g. "title" or "tasks[3].title"; "" for the whole body')
    param: str = Field(description="Same as path, for clients of older express-validator releases")
    location: str = Field(description="body, query or path")


class ValidationErrors(BaseModel):
    errors: list[FieldError]


# A duplicate email answers 400 {message}, as the Express service did; field problems answer {errors}.
BadRequest = ValidationErrors | Message

_DESCRIPTIONS: dict[int, tuple[Any, str]] = {
    400: (BadRequest, "Invalid input: malformed JSON, wrong types, values out of range"),
    401: (Message, "Missing, invalid or expired bearer token"),
    404: (Message, "No such resource for this user"),
    413: (Message, "Request body larger than 1 MiB"),
    429: (Message, "Rate limit exceeded; see Retry-After and the RateLimit headers"),
    503: (Message, "A required backing service is unavailable"),
}


def error_responses(*status_codes: int) -> dict[int | str, dict[str, Any]]:
    return {
        code: {"model": _DESCRIPTIONS[code][0], "description": _DESCRIPTIONS[code][1]}
        for code in status_codes
    }
