"""Error bodies as schemas, so /docs documents every 4xx and 503 a route can answer."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
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


_DESCRIPTIONS: dict[int, tuple[Any, str]] = {
    400: (ValidationErrors, "Invalid input: malformed JSON, wrong types, values out of range"),
    401: (Message, "Missing, invalid or expired bearer token"),
    404: (Message, "No such resource for this user"),
    413: (Message, "Request body larger than 1 MiB"),
    429: (Message, "Rate limit exceeded; see Retry-After and the RateLimit headers"),
    503: (Message, "MongoDB (or, for login and signup, Redis) is unavailable; retry after Retry-After"),
}


def error_responses(*status_codes: int) -> dict[int | str, dict[str, Any]]:
    return {
        code: {"model": _DESCRIPTIONS[code][0], "description": _DESCRIPTIONS[code][1]}
        for code in status_codes
    }


def email_taken_responses() -> dict[int | str, dict[str, Any]]:
    """The 400 of a route that stores an email: field problems as {errors}, and, as the Express service
    answered, an email that belongs to another account as {message}."""
    return {
        400: {
            "model": ValidationErrors | Message,
            "description": "Invalid input ({errors}), or the email belongs to another account"
            ' ({message: "User already exists"})',
        }
    }


def document_express_errors(app: FastAPI) -> None:
    """Drop the 422 FastAPI documents by default: this API answers validation problems with 400."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = generate()
            for path_item in schema.get("paths", {}).values():
                for operation in path_item.values():
                    operation.get("responses", {}).pop("422", None)
            for unused in ("HTTPValidationError", "ValidationError"):
                schema.get("components", {}).get("schemas", {}).pop(unused, None)
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
