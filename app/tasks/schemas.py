"""Task bodies: what clients send (create, update, batch) and the task they get back."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    GetJsonSchemaHandler,
    StringConstraints,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import core_schema

from app.openapi import FieldError
from app.serialization import JsDateTime

Status = Literal["pending", "in-progress", "completed"]
Priority = Literal["low", "medium", "high"]

MAX_TITLE = 200
MAX_DESCRIPTION = 2000
MAX_BATCH = 100

Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_TITLE)]
Description = Annotated[str, StringConstraints(strip_whitespace=True, max_length=MAX_DESCRIPTION)]


def _parse_iso_date(value: object) -> object:
    """Only ISO 8601 strings: a number would otherwise be read as a Unix time, which no client means."""
    if value is None or isinstance(value, datetime):
        return value
    if not isinstance(value, str):
        raise ValueError("dueDate must be an ISO 8601 date string, e.g. 2025-01-31 or 2025-01-31T09:30:00Z")
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(f"dueDate {value[:40]!r} is not an ISO 8601 date") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


DueDate = Annotated[
    datetime,
    BeforeValidator(_parse_iso_date),
    Field(json_schema_extra={"type": "string", "format": "date-time"}),
]


class TaskCreate(BaseModel):
    model_config = ConfigDict(strict=True)

    title: Title
    description: Description = ""
    status: Status = "pending"
    priority: Priority = "medium"
    dueDate: DueDate | None = None  # noqa: N815 - the Express service's field name


class TaskUpdate(BaseModel):
    """Fields left out keep their value; ``"dueDate": null`` clears the due date."""

    model_config = ConfigDict(strict=True)

    title: Title | None = None
    description: Description | None = None
    status: Status | None = None
    priority: Priority | None = None
    dueDate: DueDate | None = None  # noqa: N815

    def changes(self) -> dict[str, Any]:
        """Only what the client sent; ``null`` is meaningful for dueDate alone."""
        sent = self.model_dump(include=self.model_fields_set)
        return {key: value for key, value in sent.items() if value is not None or key == "dueDate"}


class Task(BaseModel):
    """A stored task, serialised exactly like the Express service's Mongoose document."""

    model_config = ConfigDict(populate_by_name=True)

    id: str = Field(serialization_alias="_id", validation_alias="_id")
    title: str
    description: str
    status: Status
    priority: Priority
    dueDate: JsDateTime | None = None  # noqa: N815
    userId: str  # noqa: N815
    createdAt: JsDateTime  # noqa: N815
    updatedAt: JsDateTime  # noqa: N815


class _DeclaredAsTaskCreate:
    """Declares a batch item as a TaskCreate in the schema while the body is read as a plain object:
    each item is validated on its own (app.tasks.batch), so one bad task does not sink the other 99."""

    @classmethod
    def __get_pydantic_json_schema__(
        cls, _: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return handler(TaskCreate.__pydantic_core_schema__)


BatchItem = Annotated[dict[str, Any], _DeclaredAsTaskCreate]


class BatchCreate(BaseModel):
    tasks: list[BatchItem] = Field(min_length=1, max_length=MAX_BATCH)


class BatchItemError(FieldError):
    index: int = Field(description="Position of the failed item in the request's tasks array")


class BatchResult(BaseModel):
    created: list[Task]
    errors: list[BatchItemError]
