"""Batch create: each item validated on its own, every problem reported with the item's index."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pydantic import ValidationError

from app.errors import field_error
from app.tasks.repository import InsertFailure
from app.tasks.schemas import BatchItemError, TaskCreate
from app.web.error_handlers import express_errors


def validate_items(
    items: Sequence[dict[str, Any]],
) -> tuple[list[tuple[int, TaskCreate]], list[BatchItemError]]:
    """The valid tasks with their positions, and a field error for each invalid one."""
    valid: list[tuple[int, TaskCreate]] = []
    errors: list[BatchItemError] = []
    for index, item in enumerate(items):
        try:
            valid.append((index, TaskCreate.model_validate(item)))
        except ValidationError as invalid:
            located = [
                {**error, "loc": ("body", "tasks", index, *error["loc"])} for error in invalid.errors()
            ]
            errors += [BatchItemError(index=index, **error) for error in express_errors(located)]
    return valid, errors


def insert_errors(failures: Sequence[InsertFailure]) -> list[BatchItemError]:
    """Items the database refused, reported in the same shape as validation problems."""
    return [
        BatchItemError(index=failure.index, **field_error(failure.message, f"tasks[{failure.index}]"))
        for failure in failures
    ]
